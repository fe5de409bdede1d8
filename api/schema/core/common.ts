// Object references and field/key selectors shared across core/v1 models.

import { EMBEDS_LOCAL_OBJECT_REFERENCE, model, p, t } from '../dsl.ts';
import { CORE } from './name.ts';

export const ObjectReference = model(
  `${CORE}ObjectReference`,
  'ObjectReference contains enough information to let you inspect or modify the referred object.',
  {
    kind: p(1, t.string(), 'Kind of the referent.'),
    namespace: p(2, t.string(), 'Namespace of the referent.'),
    name: p(3, t.string(), 'Name of the referent.'),
    uid: p(4, t.string(), 'UID of the referent.'),
    apiVersion: p(5, t.string(), 'API version of the referent.'),
    resourceVersion: p(6, t.string(), 'Specific resourceVersion the reference is made to, if any.'),
    fieldPath: p(7, t.string(), 'Path to a part of the object, e.g. spec.containers{name}, when not referring to the whole object.'),
  },
);

export const LocalObjectReference = model(
  `${CORE}LocalObjectReference`,
  'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
  {
    name: p(1, t.string(), 'Name of the referent.'),
  },
);

export const TypedLocalObjectReference = model(
  `${CORE}TypedLocalObjectReference`,
  'TypedLocalObjectReference locates a typed object inside the same namespace.',
  {
    apiGroup: p(1, t.string(), 'API group of the referent; empty for the core group.'),
    kind: p(2, t.string(), 'Kind of the referent.', { required: true }),
    name: p(3, t.string(), 'Name of the referent.', { required: true }),
  },
);

export const TypedObjectReference = model(
  `${CORE}TypedObjectReference`,
  'TypedObjectReference locates a typed object, possibly in another namespace.',
  {
    apiGroup: p(1, t.string(), 'API group of the referent; empty for the core group.'),
    kind: p(2, t.string(), 'Kind of the referent.', { required: true }),
    name: p(3, t.string(), 'Name of the referent.', { required: true }),
    namespace: p(4, t.string(), 'Namespace of the referent, for cross-namespace references.'),
  },
);

export const SecretReference = model(
  `${CORE}SecretReference`,
  'SecretReference names a Secret in any namespace.',
  {
    name: p(1, t.string(), 'Name of the secret.'),
    namespace: p(2, t.string(), 'Namespace of the secret.'),
  },
);

export const ObjectFieldSelector = model(
  `${CORE}ObjectFieldSelector`,
  'ObjectFieldSelector selects an APIVersioned field of an object.',
  {
    apiVersion: p(1, t.string(), 'Schema version the fieldPath is written in; defaults to v1.'),
    fieldPath: p(2, t.string(), 'Path of the field to select, e.g. metadata.name.', { required: true }),
  },
);

export const ResourceFieldSelector = model(
  `${CORE}ResourceFieldSelector`,
  'ResourceFieldSelector selects a container resource (cpu, memory) and its output format.',
  {
    containerName: p(1, t.string(), 'Container whose resources are read; required for volumes.'),
    resource: p(2, t.string(), 'Resource to select, e.g. limits.cpu.', { required: true }),
    divisor: p(3, t.quantity(), 'Unit the value is expressed in; defaults to 1.'),
  },
);

// The name of ConfigMapKeySelector / SecretKeySelector is an embedded
// LocalObjectReference (protobuf field 1).
export const ConfigMapKeySelector = model(
  `${CORE}ConfigMapKeySelector`,
  'Selects a key from a ConfigMap.',
  {
    name: p(1, t.string(), 'Name of the ConfigMap.'),
    key: p(2, t.string(), 'Key to select.', { required: true }),
    optional: p(3, t.bool(), 'Whether the ConfigMap or its key may be missing.'),
  },
  EMBEDS_LOCAL_OBJECT_REFERENCE,
);

export const SecretKeySelector = model(
  `${CORE}SecretKeySelector`,
  'Selects a key of a Secret in the pod namespace.',
  {
    name: p(1, t.string(), 'Name of the Secret.'),
    key: p(2, t.string(), 'Key of the secret to select.', { required: true }),
    optional: p(3, t.bool(), 'Whether the Secret or its key may be missing.'),
  },
  EMBEDS_LOCAL_OBJECT_REFERENCE,
);
