// Namespace, ConfigMap, Secret and ServiceAccount.

import { model, p, t, typeMeta } from '../dsl.ts';
import { ObjectMeta } from '../meta.ts';
import { CORE } from './name.ts';
import { LocalObjectReference, ObjectReference } from './common.ts';

export const Namespace = model(
  `${CORE}Namespace`,
  'Namespace provides a scope for Names.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    spec: p(2, t.ref(() => NamespaceSpec), 'Desired behavior of the namespace.'),
    status: p(3, t.ref(() => NamespaceStatus), 'Current status of the namespace.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Namespace' }] },
);

export const NamespaceSpec = model(`${CORE}NamespaceSpec`, 'NamespaceSpec describes the attributes on a Namespace.', {
  finalizers: p(1, t.array(t.string(), { listType: 'atomic' }), 'Values that must all be removed before the namespace is deleted from storage.'),
});

export const NamespaceStatus = model(`${CORE}NamespaceStatus`, 'NamespaceStatus is information about the current status of a Namespace.', {
  phase: p(1, t.string(), 'Lifecycle phase of the namespace: Active or Terminating.'),
  conditions: p(
    2,
    t.array(t.ref(() => NamespaceCondition), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
    'Current conditions of the namespace.',
  ),
});

export const NamespaceCondition = model(`${CORE}NamespaceCondition`, 'NamespaceCondition contains details about state of namespace.', {
  type: p(1, t.string(), 'Type of the condition.', { required: true }),
  status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
  lastTransitionTime: p(4, t.time(), 'Last time the status changed.'),
  reason: p(5, t.string(), 'CamelCase reason for the last transition.'),
  message: p(6, t.string(), 'Human-readable details about the last transition.'),
});

export const ConfigMap = model(
  `${CORE}ConfigMap`,
  'ConfigMap holds configuration data for pods to consume.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    immutable: p(4, t.bool(), 'If true, data and binaryData cannot be updated.'),
    data: p(2, t.map(t.string()), 'UTF-8 configuration data.'),
    binaryData: p(3, t.map(t.bytes()), 'Binary configuration data, base64 in JSON.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'ConfigMap' }] },
);

export const Secret = model(
  `${CORE}Secret`,
  'Secret holds secret data of a certain type.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    immutable: p(5, t.bool(), 'If true, data cannot be updated.'),
    data: p(2, t.map(t.bytes()), 'Secret data, base64 in JSON.'),
    stringData: p(4, t.map(t.string()), 'Write-only convenience input, merged into data as plain strings.'),
    type: p(3, t.string(), 'Type of the secret, e.g. Opaque or kubernetes.io/tls.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Secret' }] },
);

export const ServiceAccount = model(
  `${CORE}ServiceAccount`,
  'ServiceAccount binds together a name, a principal that can be authenticated and authorized, and a set of secrets.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    secrets: p(
      2,
      t.array(t.ref(() => ObjectReference), { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
      'Secrets pods running as this service account may use.',
    ),
    imagePullSecrets: p(3, t.array(t.ref(() => LocalObjectReference), { listType: 'atomic' }), 'Secrets used to pull images of pods running as this account.'),
    automountServiceAccountToken: p(4, t.bool(), 'Whether pods running as this account get an API token mounted.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'ServiceAccount' }] },
);
