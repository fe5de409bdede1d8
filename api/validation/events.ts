// Events (pkg/apis/core/validation/events.go). core/v1 Events get the legacy
// checks only; events.k8s.io/v1 Events also get the strict ones. Both shapes
// are read into the internal field names that upstream's messages use.

import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsEvent } from 'kubernetes-types/events/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from '../field-error.ts';
import { invalid, required } from '../field-error.ts';
import { semanticEqual } from './equality.ts';
import { isDns1123Subdomain, isQualifiedName, nameIsDnsSubdomain } from './names.ts';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';

const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 } as const;

interface InternalEvent {
  metadata?: ObjectMeta;
  involvedObject?: CoreEvent['involvedObject'];
  reason?: string;
  message?: string;
  source?: CoreEvent['source'];
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  type?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  action?: string;
  related?: unknown;
  reportingController?: string;
  reportingInstance?: string;
}

function fromEventsV1(e: EventsEvent): InternalEvent {
  return {
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series,
    action: e.action,
    related: e.related,
    reportingController: e.reportingController,
    reportingInstance: e.reportingInstance,
  };
}

function legacyValidateEvent(e: InternalEvent): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata?.namespace ?? '';
  const involvedNs = e.involvedObject?.namespace ?? '';
  const mismatch = () => invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!e.eventTime) {
    // An old-style event: its namespace must agree with the involved object's.
    if (involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs) errs.push(mismatch());
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const controller = e.reportingController ?? '';
    if (!controller) errs.push(required('reportingController'));
    errs.push(...isQualifiedName(controller).map((msg) => invalid('reportingController', controller, msg)));
    for (const f of ['reportingInstance', 'action', 'reason'] as const) {
      const v = e[f] ?? '';
      if (!v) errs.push(required(f));
      if (v.length > LIMITS[f]) errs.push(invalid(f, '', `can have at most ${LIMITS[f]} characters`));
    }
    if ((e.message ?? '').length > LIMITS.message) errs.push(invalid('message', '', `can have at most ${LIMITS.message} characters`));
  }
  errs.push(...isDns1123Subdomain(ns).map((msg) => invalid('namespace', ns, msg)));
  return errs;
}

function validateSeries(e: InternalEvent): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if ((e.series.count ?? 0) < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
  if (!e.series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  return errs;
}

function strictValidateEvent(e: InternalEvent): FieldError[] {
  const errs = validateObjectMeta(e.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  errs.push(...validateSeries(e));
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.firstTimestamp) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (e.lastTimestamp) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (e.count) errs.push(invalid('count', '', 'needs to be unset'));
  if (e.source?.component || e.source?.host) errs.push(invalid('source', '', 'needs to be unset'));
  return errs;
}

function strictValidateEventUpdate(e: InternalEvent, old: InternalEvent): FieldError[] {
  const errs = validateObjectMetaUpdate(e.metadata, old.metadata);
  if (!semanticEqual(e.series, old.series)) errs.push(...validateSeries(e));
  for (const f of [
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'type',
    'eventTime',
    'action',
    'related',
    'reportingController',
    'reportingInstance',
  ] as const) {
    errs.push(...validateImmutableField(e[f], old[f], f));
  }
  return errs;
}

/** A core/v1 Event: only the legacy checks, for compatibility with old clients. */
export function validateCoreEvent(e: CoreEvent): FieldError[] {
  const { reportingComponent, ...rest } = e as CoreEvent & { reportingComponent?: string };
  return legacyValidateEvent({ ...(rest as InternalEvent), reportingController: reportingComponent });
}

/** An events.k8s.io/v1 Event: the legacy checks plus the strict ones. */
export function validateEventsEvent(e: EventsEvent, old?: EventsEvent): FieldError[] {
  const internal = fromEventsV1(e);
  const strict = old ? strictValidateEventUpdate(internal, fromEventsV1(old)) : strictValidateEvent(internal);
  return [...legacyValidateEvent(internal), ...strict];
}
