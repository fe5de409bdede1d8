// Models of io.k8s.apimachinery.pkg.apis.meta.v1: the metadata every object
// carries, label selectors, conditions, and the Status / DeleteOptions bodies.
// Field numbers follow apimachinery's pkg/apis/meta/v1/generated.proto.

import { model, p, t, typeMeta } from './dsl.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export const ObjectMeta = model(
  `${META}ObjectMeta`,
  'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  {
    name: p(1, t.string(), 'Name of the object, unique within its namespace; cannot be updated.'),
    generateName: p(2, t.string(), 'Prefix the server uses to generate a unique name when name is not set.'),
    namespace: p(3, t.string(), 'Namespace the object lives in; empty for cluster-scoped objects.'),
    selfLink: p(4, t.string(), 'Deprecated legacy URL of the object; no longer populated.'),
    uid: p(5, t.string(), 'Unique identifier of the object in time and space, set by the server.'),
    resourceVersion: p(6, t.string(), 'Opaque version of the object used for optimistic concurrency and watches.'),
    generation: p(7, t.int64(), 'Sequence number of the desired state, incremented by the server on spec changes.', { omitZero: true }),
    creationTimestamp: p(8, t.time(), 'Server time at which the object was created.'),
    deletionTimestamp: p(9, t.time(), 'Time after which the object will be deleted, set when graceful deletion is requested.'),
    deletionGracePeriodSeconds: p(10, t.int64(), 'Seconds the object has to terminate gracefully once deletion was requested.'),
    labels: p(11, t.map(t.string()), 'Key/value pairs used to organize and select objects.'),
    annotations: p(12, t.map(t.string()), 'Unstructured key/value data attached to the object by tools.'),
    ownerReferences: p(
      13,
      t.array(t.ref(() => OwnerReference), { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] }),
      'Objects this object depends on; it is garbage collected when all of them are gone.',
    ),
    finalizers: p(14, t.array(t.string(), { patchStrategy: 'merge', listType: 'set' }), 'Identifiers that must all be removed before the object is deleted from storage.'),
    managedFields: p(17, t.array(t.ref(() => ManagedFieldsEntry), { listType: 'atomic' }), 'Which field manager owns which fields, for server-side apply.'),
  },
);

export const ListMeta = model(
  `${META}ListMeta`,
  'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
  {
    selfLink: p(1, t.string(), 'Deprecated legacy URL of the list; no longer populated.'),
    resourceVersion: p(2, t.string(), 'Version of the collection the list was read at; start a watch from here.'),
    continue: p(3, t.string(), 'Opaque token to fetch the next chunk of a paginated list.'),
    remainingItemCount: p(4, t.int64(), 'Estimated number of items not yet returned in a paginated list.'),
  },
);

export const OwnerReference = model(
  `${META}OwnerReference`,
  'OwnerReference contains enough information to let you identify an owning object in the same namespace or cluster-scoped.',
  {
    apiVersion: p(5, t.string(), 'API version of the owner.', { required: true }),
    kind: p(1, t.string(), 'Kind of the owner.', { required: true }),
    name: p(3, t.string(), 'Name of the owner.', { required: true }),
    uid: p(4, t.string(), 'UID of the owner.', { required: true }),
    controller: p(6, t.bool(), 'True if the owner is the managing controller of this object.'),
    blockOwnerDeletion: p(7, t.bool(), 'If true, foreground deletion of the owner waits until this reference is removed.'),
  },
);

export const ManagedFieldsEntry = model(
  `${META}ManagedFieldsEntry`,
  'ManagedFieldsEntry records the set of fields a field manager owns and the API version they apply to.',
  {
    manager: p(1, t.string(), 'Identifier of the workflow managing these fields.'),
    operation: p(2, t.string(), 'Operation that produced this entry: Apply or Update.'),
    apiVersion: p(3, t.string(), 'API version the field set is expressed in.'),
    time: p(4, t.time(), 'When the entry was last changed.'),
    fieldsType: p(6, t.string(), 'Format of the field set; currently always FieldsV1.'),
    fieldsV1: p(7, t.any(), 'The owned field set, as a FieldsV1 trie.'),
    subresource: p(8, t.string(), 'Subresource the update went through, empty for the main resource.'),
  },
);

export const LabelSelector = model(
  `${META}LabelSelector`,
  'A label query over a set of resources: matchLabels and matchExpressions are ANDed; an empty selector matches everything.',
  {
    matchLabels: p(1, t.map(t.string()), 'Labels that must all be present with these exact values.'),
    matchExpressions: p(2, t.array(t.ref(() => LabelSelectorRequirement), { listType: 'atomic' }), 'Set-based requirements that must all hold.'),
  },
);

export const LabelSelectorRequirement = model(
  `${META}LabelSelectorRequirement`,
  'A selector requirement relating a label key to a set of values through an operator.',
  {
    key: p(1, t.string(), 'Label key the requirement applies to.', { required: true }),
    operator: p(2, t.string(), 'One of In, NotIn, Exists, DoesNotExist.', { required: true }),
    values: p(3, t.array(t.string(), { listType: 'atomic' }), 'Values for In/NotIn; must be empty for Exists/DoesNotExist.'),
  },
);

export const Condition = model(
  `${META}Condition`,
  'Condition contains details for one aspect of the current state of an API resource.',
  {
    type: p(1, t.string(), 'Type of the condition, in CamelCase or foo.example.com/CamelCase.', { required: true }),
    status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
    observedGeneration: p(3, t.int64(), 'metadata.generation the condition was computed from.', { omitZero: true }),
    lastTransitionTime: p(4, t.time(), 'Last time the status changed.', { required: true }),
    reason: p(5, t.string(), 'Programmatic CamelCase identifier of the reason for the last transition.', { required: true }),
    message: p(6, t.string(), 'Human-readable details about the transition.', { required: true }),
  },
);

export const StatusCause = model(
  `${META}StatusCause`,
  'StatusCause gives more detail on one cause of an API failure.',
  {
    reason: p(1, t.string(), 'Machine-readable cause of the error.'),
    message: p(2, t.string(), 'Human-readable description of the cause.'),
    field: p(3, t.string(), 'Path of the field that caused the error, e.g. spec.containers[0].name.'),
  },
);

export const StatusDetails = model(
  `${META}StatusDetails`,
  'StatusDetails carries additional, reason-specific information about a Status.',
  {
    name: p(1, t.string(), 'Name of the resource the status is about.'),
    group: p(2, t.string(), 'API group of the resource the status is about.'),
    kind: p(3, t.string(), 'Kind of the resource the status is about.'),
    uid: p(6, t.string(), 'UID of the resource the status is about.'),
    causes: p(4, t.array(t.ref(() => StatusCause), { listType: 'atomic' }), 'Individual causes of the failure.'),
    retryAfterSeconds: p(5, t.int32(), 'Seconds to wait before retrying the operation.', { omitZero: true }),
  },
);

export const Status = model(
  `${META}Status`,
  'Status is a return value for calls that do not return other objects.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ListMeta), 'Standard list metadata.'),
    status: p(2, t.string(), 'Outcome of the operation: Success or Failure.'),
    message: p(3, t.string(), 'Human-readable description of the status.'),
    reason: p(4, t.string(), 'Machine-readable reason for a Failure status.'),
    details: p(5, t.ref(() => StatusDetails), 'Extended, reason-specific data.'),
    code: p(6, t.int32(), 'Suggested HTTP status code, 0 if not set.', { omitZero: true }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Status' }] },
);

export const Preconditions = model(
  `${META}Preconditions`,
  'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
  {
    uid: p(1, t.string(), 'The operation only proceeds if the object has this UID.'),
    resourceVersion: p(2, t.string(), 'The operation only proceeds if the object is at this resourceVersion.'),
  },
);

export const DeleteOptions = model(
  `${META}DeleteOptions`,
  'DeleteOptions may be provided when deleting an API object.',
  {
    ...typeMeta(),
    gracePeriodSeconds: p(1, t.int64(), 'Seconds before the object is deleted; zero deletes immediately.'),
    preconditions: p(2, t.ref(() => Preconditions), 'Conditions that must hold for the deletion to proceed.'),
    orphanDependents: p(3, t.bool(), 'Deprecated: whether dependents are orphaned; use propagationPolicy.'),
    propagationPolicy: p(4, t.string(), 'Garbage collection policy for dependents: Orphan, Background or Foreground.'),
    dryRun: p(5, t.array(t.string(), { listType: 'atomic' }), 'If set to All, the deletion is validated but not persisted.'),
    ignoreStoreReadErrorWithClusterBreakingPotential: p(
      6,
      t.bool(),
      'Force an unsafe deletion of an object that cannot be read from storage.',
    ),
  },
  {
    gvk: [
      { group: '', version: 'v1', kind: 'DeleteOptions' },
      { group: 'apps', version: 'v1', kind: 'DeleteOptions' },
      { group: 'autoscaling', version: 'v1', kind: 'DeleteOptions' },
      { group: 'autoscaling', version: 'v2', kind: 'DeleteOptions' },
      { group: 'batch', version: 'v1', kind: 'DeleteOptions' },
      { group: 'coordination.k8s.io', version: 'v1', kind: 'DeleteOptions' },
      { group: 'discovery.k8s.io', version: 'v1', kind: 'DeleteOptions' },
      { group: 'events.k8s.io', version: 'v1', kind: 'DeleteOptions' },
      { group: 'networking.k8s.io', version: 'v1', kind: 'DeleteOptions' },
    ],
  },
);
