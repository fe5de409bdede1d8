// Which fields each resource can be selected by, as Kubernetes registers them.
//
// Two upstream tables, kept apart here because they differ:
// - the field set of an object (each registry's GetAttrs/ToSelectableFields),
//   what a term is matched against; and
// - the labels a request may use (the field label conversion function of the
//   group/version/kind, or the default that knows only metadata.name and
//   metadata.namespace). A label outside it is a 400 with that function's own
//   message.
// Upstream renames a few labels on the way in (pods' legacy "spec.host";
// events.k8s.io's "regarding.*" and "reportingController"); here the field set
// of that group/resource carries them under those names as well, so a selector
// that passed validation matches as it is.
// A few fields are in one table only, as upstream: ReplicaSets carry
// status.replicas but apps/v1 has no conversion function, so selecting by it is
// refused; pods accept status.podIPs but do not carry it, so it reads as "".

import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { Node, Pod, Secret, Service, Namespace, Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { FieldSelector } from './field.ts';
import { eventsV1ToCore } from '../schema/events.ts';

type Fields = Record<string, string>;

/** generic.ObjectMetaFieldsSet: the name, and the namespace of a namespaced object. */
function objectMetaFields(meta: ObjectMeta | undefined, namespaced: boolean): Fields {
  const fields: Fields = { 'metadata.name': meta?.name ?? '' };
  if (namespaced) fields['metadata.namespace'] = meta?.namespace ?? '';
  return fields;
}

function podFields(pod: Pod): Fields {
  return {
    ...objectMetaFields(pod.metadata, true),
    'spec.nodeName': pod.spec?.nodeName ?? '',
    'spec.host': pod.spec?.nodeName ?? '',
    'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '',
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  };
}

/** Either shape of an Event: events.k8s.io/v1 is selected through the core/v1 Event it stands for. */
function eventFields(obj: object): Fields {
  const e = ('involvedObject' in obj ? obj : eventsV1ToCore(obj as Record<string, unknown>)) as Partial<CoreEvent>;
  const ref = e.involvedObject ?? {};
  return {
    ...objectMetaFields(e.metadata, true),
    'involvedObject.kind': ref.kind ?? '',
    'involvedObject.namespace': ref.namespace ?? '',
    'involvedObject.name': ref.name ?? '',
    'involvedObject.uid': ref.uid ?? '',
    'involvedObject.apiVersion': ref.apiVersion ?? '',
    'involvedObject.resourceVersion': ref.resourceVersion ?? '',
    'involvedObject.fieldPath': ref.fieldPath ?? '',
    reason: e.reason ?? '',
    reportingComponent: e.reportingComponent ?? '',
    source: e.source?.component || e.reportingComponent || '',
    type: e.type ?? '',
  };
}

/** events.k8s.io names: regarding.* for involvedObject.*, reportingController for reportingComponent. */
function eventsK8sIoFields(obj: object): Fields {
  const fields = eventFields(obj);
  for (const key of Object.keys(fields)) {
    if (key.startsWith('involvedObject.')) fields[`regarding.${key.slice('involvedObject.'.length)}`] = fields[key];
  }
  fields.reportingController = fields.reportingComponent;
  return fields;
}

// Keyed by "group/resource" ("" for core).
const FIELD_SETS: Record<string, (obj: never) => Fields> = {
  '/pods': podFields,
  '/events': eventFields,
  'events.k8s.io/events': eventsK8sIoFields,
  '/nodes': (node: Node) => ({ ...objectMetaFields(node.metadata, false), 'spec.unschedulable': String(node.spec?.unschedulable ?? false) }),
  // "name" is a field set entry upstream keeps for compatibility; no request can select by it.
  '/namespaces': (ns: Namespace) => ({ ...objectMetaFields(ns.metadata, false), 'status.phase': ns.status?.phase ?? '', name: ns.metadata?.name ?? '' }),
  '/secrets': (s: Secret) => ({ ...objectMetaFields(s.metadata, true), type: s.type ?? '' }),
  '/services': (s: Service) => ({ ...objectMetaFields(s.metadata, true), 'spec.clusterIP': s.spec?.clusterIP ?? '', 'spec.type': s.spec?.type ?? '' }),
  'apps/replicasets': (rs: ReplicaSet) => ({ ...objectMetaFields(rs.metadata, true), 'status.replicas': String(rs.status?.replicas ?? 0) }),
  'batch/jobs': (job: Job) => ({ ...objectMetaFields(job.metadata, true), 'status.successful': String(job.status?.succeeded ?? 0) }),
};

/**
 * The selectable fields of an object of group/resource, as matched against a
 * field selector. Other resources offer metadata.name, and metadata.namespace
 * when the object has one.
 */
export function fieldsFor(group: string, resource: string, obj: object): Fields {
  const fieldSet = FIELD_SETS[`${group}/${resource}`] as ((o: object) => Fields) | undefined;
  if (fieldSet) return fieldSet(obj);
  const meta = (obj as { metadata?: ObjectMeta }).metadata;
  return objectMetaFields(meta, meta?.namespace !== undefined);
}

interface LabelConversion {
  readonly labels: ReadonlySet<string>;
  readonly unsupported: (label: string) => string;
}

const notSupported = (label: string): string => `field label not supported: ${label}`;

const CONVERSIONS: Record<string, LabelConversion> = {
  '/pods': {
    labels: new Set([
      'metadata.name',
      'metadata.namespace',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
      'spec.host',
    ]),
    unsupported: notSupported,
  },
  '/nodes': { labels: new Set(['metadata.name', 'spec.unschedulable']), unsupported: notSupported },
  '/events': {
    labels: new Set([
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
      'metadata.namespace',
      'metadata.name',
    ]),
    unsupported: notSupported,
  },
  '/namespaces': { labels: new Set(['status.phase', 'metadata.name']), unsupported: notSupported },
  '/secrets': { labels: new Set(['type', 'metadata.namespace', 'metadata.name']), unsupported: notSupported },
  '/services': { labels: new Set(['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type']), unsupported: notSupported },
  'batch/jobs': {
    labels: new Set(['metadata.name', 'metadata.namespace', 'status.successful']),
    unsupported: (label) => `field label "${label}" not supported for batchv1.Job`,
  },
  'events.k8s.io/events': {
    labels: new Set([
      'reason',
      'regarding.kind',
      'regarding.namespace',
      'regarding.name',
      'regarding.uid',
      'regarding.apiVersion',
      'regarding.resourceVersion',
      'regarding.fieldPath',
      'reportingController',
      'source',
      'type',
      'metadata.namespace',
      'metadata.name',
    ]),
    unsupported: notSupported,
  },
};

const DEFAULT_CONVERSION: LabelConversion = {
  labels: new Set(['metadata.name', 'metadata.namespace']),
  unsupported: (label) => `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

/**
 * Why group/resource cannot be selected by this selector, in Kubernetes' words
 * (the first unsupported field in sorted order: "field label not supported:
 * foo"; the API server answers it with 400 BadRequest), or undefined when every
 * field is supported.
 */
export function validateFieldSelector(group: string, resource: string, sel: FieldSelector): string | undefined {
  const conversion = CONVERSIONS[`${group}/${resource}`] ?? DEFAULT_CONVERSION;
  const bad = sel.find((r) => !conversion.labels.has(r.field));
  return bad && conversion.unsupported(bad.field);
}
