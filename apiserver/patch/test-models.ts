// Small DSL models for the patch tests: a Deployment cut down to the fields
// whose patch metadata matters, with the strategies Kubernetes gives them.

import { model, p, t, typeMeta } from '../../api/schema/dsl.ts';

export const EnvVar = model('test.EnvVar', 'An environment variable.', {
  name: p(1, t.string(), 'Name.'),
  value: p(2, t.string(), 'Value.'),
});

export const ContainerPort = model('test.ContainerPort', 'A port.', {
  name: p(1, t.string(), 'Name.'),
  containerPort: p(3, t.int32(), 'Port number.'),
  protocol: p(4, t.string(), 'Protocol.'),
});

export const Resources = model('test.ResourceRequirements', 'Compute resources.', {
  limits: p(1, t.map(t.quantity()), 'Limits.'),
  requests: p(2, t.map(t.quantity()), 'Requests.'),
});

export const Container = model('test.Container', 'A container.', {
  name: p(1, t.string(), 'Name.'),
  image: p(2, t.string(), 'Image.'),
  args: p(4, t.array(t.string(), { listType: 'atomic' }), 'Arguments.'),
  ports: p(6, t.array(t.ref(() => ContainerPort), { patchStrategy: 'merge', patchMergeKey: 'containerPort' }), 'Ports.'),
  env: p(7, t.array(t.ref(() => EnvVar), { patchStrategy: 'merge', patchMergeKey: 'name' }), 'Environment.'),
  resources: p(8, t.ref(() => Resources), 'Resources.'),
});

export const KeyToPath = model('test.KeyToPath', 'A key projected to a path.', {
  key: p(1, t.string(), 'Key.'),
  path: p(2, t.string(), 'Path.'),
});

export const Volume = model('test.Volume', 'A volume: a name and one source.', {
  name: p(1, t.string(), 'Name.'),
  emptyDir: p(2, t.ref(() => model('test.EmptyDir', 'Scratch space.', { medium: p(1, t.string(), 'Medium.') })), 'Scratch space.'),
  configMap: p(
    3,
    t.ref(() =>
      model('test.ConfigMapVolumeSource', 'A ConfigMap as files.', {
        name: p(1, t.string(), 'ConfigMap name.'),
        items: p(2, t.array(t.ref(() => KeyToPath), { listType: 'atomic' }), 'Keys to project.'),
      }),
    ),
    'A ConfigMap as files.',
  ),
});

export const Toleration = model('test.Toleration', 'A toleration.', {
  key: p(1, t.string(), 'Key.'),
  operator: p(2, t.string(), 'Operator.'),
  effect: p(4, t.string(), 'Effect.'),
});

export const DnsConfig = model('test.DNSConfig', 'DNS settings.', {
  nameservers: p(1, t.array(t.string(), { listType: 'atomic' }), 'Name servers.'),
  searches: p(2, t.array(t.string(), { listType: 'atomic' }), 'Search domains.'),
});

export const PodSpec = model('test.PodSpec', 'A pod spec.', {
  containers: p(2, t.array(t.ref(() => Container), { patchStrategy: 'merge', patchMergeKey: 'name' }), 'Containers.'),
  volumes: p(1, t.array(t.ref(() => Volume), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }), 'Volumes.'),
  tolerations: p(22, t.array(t.ref(() => Toleration), { listType: 'atomic' }), 'Tolerations.'),
  nodeSelector: p(7, t.map(t.string()), 'Node selector.'),
  // Not "replace" upstream; a field with that strategy for the tests.
  dnsConfig: p(26, t.ref(() => DnsConfig), 'DNS settings.', { patchStrategy: 'replace' }),
});

export const OwnerReference = model('test.OwnerReference', 'An owner.', {
  uid: p(4, t.string(), 'UID.'),
  name: p(3, t.string(), 'Name.'),
  kind: p(1, t.string(), 'Kind.'),
});

export const ObjectMeta = model('test.ObjectMeta', 'Object metadata.', {
  name: p(1, t.string(), 'Name.'),
  namespace: p(3, t.string(), 'Namespace.'),
  labels: p(11, t.map(t.string()), 'Labels.'),
  annotations: p(12, t.map(t.string()), 'Annotations.'),
  ownerReferences: p(13, t.array(t.ref(() => OwnerReference), { patchStrategy: 'merge', patchMergeKey: 'uid' }), 'Owners.'),
  finalizers: p(14, t.array(t.string(), { patchStrategy: 'merge' }), 'Finalizers.'),
});

export const PodTemplateSpec = model('test.PodTemplateSpec', 'A pod template.', {
  metadata: p(1, t.ref(() => ObjectMeta), 'Metadata.'),
  spec: p(2, t.ref(() => PodSpec), 'Spec.'),
});

export const DeploymentStrategy = model('test.DeploymentStrategy', 'How pods are replaced.', {
  type: p(1, t.string(), 'Recreate or RollingUpdate.'),
  rollingUpdate: p(
    2,
    t.ref(() =>
      model('test.RollingUpdateDeployment', 'Rolling update parameters.', {
        maxUnavailable: p(1, t.intOrString(), 'Max unavailable.'),
        maxSurge: p(2, t.intOrString(), 'Max surge.'),
      }),
    ),
    'Rolling update parameters.',
  ),
});

export const DeploymentSpec = model('test.DeploymentSpec', 'A deployment spec.', {
  replicas: p(1, t.int32(), 'Replicas.'),
  selector: p(2, t.any(), 'Selector (typed any here, to test unmodelled parts).'),
  template: p(3, t.ref(() => PodTemplateSpec), 'Pod template.'),
  strategy: p(4, t.ref(() => DeploymentStrategy), 'Strategy.', { patchStrategy: 'retainKeys' }),
});

export const Deployment = model(
  'test.Deployment',
  'A deployment.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Metadata.'),
    spec: p(2, t.ref(() => DeploymentSpec), 'Spec.'),
    status: p(3, t.any(), 'Status (typed any here).'),
  },
  { gvk: [{ group: 'apps', version: 'v1', kind: 'Deployment' }] },
);

/** Freezes a JSON value deeply, so a test fails if the code under test writes to it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
