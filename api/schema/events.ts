// events.k8s.io/v1: Event, and its conversion to and from the core/v1 Event.
//
// Both versions are one resource kept in core/v1 storage, so the API server
// converts on every read and write. Field numbers follow upstream
// k8s.io/api/events/v1 (generated.proto); the conversion follows
// pkg/apis/events/v1/conversion.go (renamed fields) plus the generated
// one-to-one copies.

import { model, p, t, typeMeta } from './dsl.ts';
import type { Model } from './dsl.ts';
import { ObjectMeta } from './meta.ts';
import { EventSource, ObjectReference } from './core/index.ts';

export const EventSeries: Model = model(
  'io.k8s.api.events.v1.EventSeries',
  'EventSeries contains information on a series of events, i.e. something that happened repeatedly.',
  {
    count: p(1, t.int32(), 'Number of occurrences in this series up to the last heartbeat time.', { required: true }),
    lastObservedTime: p(2, t.microTime(), 'When the last event of the series was seen before the last heartbeat.', { required: true }),
  },
);

export const EventsEvent: Model = model(
  'io.k8s.api.events.v1.Event',
  'Event is a report of an event somewhere in the cluster, generally a state change in the system.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    eventTime: p(2, t.microTime(), 'When this Event was first observed.', { required: true }),
    series: p(3, t.ref(() => EventSeries), 'Data about the series this event represents; nil for a singleton event.'),
    reportingController: p(4, t.string(), 'Name of the controller that emitted this event, e.g. kubernetes.io/kubelet.'),
    reportingInstance: p(5, t.string(), 'ID of the controller instance, e.g. kubelet-xyzf.'),
    action: p(6, t.string(), 'Machine-readable action taken or failed on the regarding object.'),
    reason: p(7, t.string(), 'Human-readable reason why the action was taken.'),
    regarding: p(8, t.ref(() => ObjectReference), 'The object this event is about.'),
    related: p(9, t.ref(() => ObjectReference), 'Optional secondary object for more complex actions.'),
    note: p(10, t.string(), 'Human-readable description of the status of this operation.'),
    type: p(11, t.string(), 'Type of this event: Normal or Warning.'),
    deprecatedSource: p(12, t.ref(() => EventSource), 'Deprecated; the core/v1 source field.'),
    deprecatedFirstTimestamp: p(13, t.time(), 'Deprecated; the core/v1 firstTimestamp field.'),
    deprecatedLastTimestamp: p(14, t.time(), 'Deprecated; the core/v1 lastTimestamp field.'),
    deprecatedCount: p(15, t.int32(), 'Deprecated; the core/v1 count field.', { omitZero: true }),
  },
  { gvk: [{ group: 'events.k8s.io', version: 'v1', kind: 'Event' }] },
);

// ---- conversion ------------------------------------------------------------

type Json = Record<string, unknown>;

/** [events.k8s.io/v1 field, core/v1 field] for every field the two share. */
const FIELD_MAP: readonly (readonly [string, string])[] = [
  ['metadata', 'metadata'],
  ['eventTime', 'eventTime'],
  ['series', 'series'],
  ['reportingController', 'reportingComponent'],
  ['reportingInstance', 'reportingInstance'],
  ['action', 'action'],
  ['reason', 'reason'],
  ['regarding', 'involvedObject'],
  ['related', 'related'],
  ['note', 'message'],
  ['type', 'type'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function copyFields(obj: Json, from: 0 | 1, head: Json): Json {
  const out: Json = { ...head };
  const to = from === 0 ? 1 : 0;
  for (const pair of FIELD_MAP) {
    const v = obj[pair[from]];
    if (v !== undefined) out[pair[to]] = structuredClone(v);
  }
  return out;
}

/** An events.k8s.io/v1 Event (plain JSON) as the core/v1 Event it stands for. */
export function eventsV1ToCore(obj: Json): Json {
  return copyFields(obj, 0, { apiVersion: 'v1', kind: 'Event' });
}

/** A core/v1 Event (plain JSON) as an events.k8s.io/v1 Event. */
export function coreToEventsV1(obj: Json): Json {
  return copyFields(obj, 1, { apiVersion: 'events.k8s.io/v1', kind: 'Event' });
}
