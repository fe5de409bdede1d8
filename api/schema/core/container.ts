// Containers: Container, EphemeralContainer and what they are made of
// (ports, environment, resources, mounts).

import { EMBEDS_LOCAL_OBJECT_REFERENCE, model, p, t } from '../dsl.ts';
import type { Prop } from '../dsl.ts';
import { CORE } from './name.ts';
import { ConfigMapKeySelector, ObjectFieldSelector, ResourceFieldSelector, SecretKeySelector } from './common.ts';
import { Lifecycle, Probe } from './probe.ts';
import { SecurityContext } from './security-context.ts';

/** The fields Container and EphemeralContainer share (EphemeralContainerCommon in protobuf). */
function containerFields(kind: 'container' | 'ephemeral'): Record<string, Prop> {
  const eph = kind === 'ephemeral';
  return {
    name: p(1, t.string(), eph ? 'Name of the ephemeral container, unique among all containers of the pod.' : 'Name of the container, a DNS label unique within the pod.', {
      required: true,
    }),
    image: p(2, t.string(), 'Container image reference.'),
    command: p(3, t.array(t.string(), { listType: 'atomic' }), 'Entrypoint array, not run in a shell; replaces the image ENTRYPOINT.'),
    args: p(4, t.array(t.string(), { listType: 'atomic' }), 'Arguments to the entrypoint; replace the image CMD.'),
    workingDir: p(5, t.string(), 'Working directory of the container process.'),
    ports: p(
      6,
      t.array(t.ref(() => ContainerPort), {
        patchStrategy: 'merge',
        patchMergeKey: 'containerPort',
        listType: 'map',
        listMapKeys: ['containerPort', 'protocol'],
      }),
      eph ? 'Ports are not allowed for ephemeral containers.' : 'Network ports the container exposes (informational).',
    ),
    envFrom: p(19, t.array(t.ref(() => EnvFromSource), { listType: 'atomic' }), 'Sources (ConfigMaps, Secrets) to populate environment variables from.'),
    env: p(
      7,
      t.array(t.ref(() => EnvVar), { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
      'Environment variables to set in the container.',
    ),
    resources: p(8, t.ref(() => ResourceRequirements), eph ? 'Resources are not allowed for ephemeral containers.' : 'Compute resources required by the container.'),
    resizePolicy: p(23, t.array(t.ref(() => ContainerResizePolicy), { listType: 'atomic' }), 'How each resource is resized in place.'),
    restartPolicy: p(24, t.string(), 'Per-container restart behavior; Always on an init container makes it a sidecar.'),
    volumeMounts: p(
      9,
      t.array(t.ref(() => VolumeMount), { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] }),
      'Pod volumes to mount into the container filesystem.',
    ),
    volumeDevices: p(
      21,
      t.array(t.ref(() => VolumeDevice), { patchStrategy: 'merge', patchMergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'] }),
      'Raw block devices the container uses.',
    ),
    livenessProbe: p(10, t.ref(() => Probe), 'Periodic probe; the container is restarted when it fails.'),
    readinessProbe: p(11, t.ref(() => Probe), 'Periodic probe; the container is removed from service endpoints when it fails.'),
    startupProbe: p(22, t.ref(() => Probe), 'Probe that must succeed before the other probes start.'),
    lifecycle: p(12, t.ref(() => Lifecycle), 'Actions to take on container lifecycle events.'),
    terminationMessagePath: p(13, t.string(), 'File the termination message is read from; defaults to /dev/termination-log.'),
    terminationMessagePolicy: p(20, t.string(), 'How the termination message is populated: File or FallbackToLogsOnError.'),
    imagePullPolicy: p(14, t.string(), 'When to pull the image: Always, Never or IfNotPresent.'),
    securityContext: p(15, t.ref(() => SecurityContext), 'Security options the container runs with.'),
    stdin: p(16, t.bool(), 'Allocate a buffer for stdin in the container runtime.', { omitZero: true }),
    stdinOnce: p(17, t.bool(), 'Close stdin after the first attach session ends.', { omitZero: true }),
    tty: p(18, t.bool(), 'Allocate a TTY for the container; requires stdin.', { omitZero: true }),
  };
}

export const Container = model(`${CORE}Container`, 'A single application container that you want to run within a pod.', containerFields('container'));

// In protobuf every field but targetContainerName lives in the embedded
// EphemeralContainerCommon message (field 1).
export const EphemeralContainer = model(
  `${CORE}EphemeralContainer`,
  'An EphemeralContainer is a temporary container added to an existing pod for user-initiated activities such as debugging.',
  {
    ...containerFields('ephemeral'),
    targetContainerName: p(2, t.string(), 'Name of the pod container whose namespaces the ephemeral container joins.'),
  },
  { protoEmbedded: [{ field: 1, name: 'ephemeralContainerCommon', properties: Object.keys(containerFields('ephemeral')) }] },
);

export const ContainerPort = model(`${CORE}ContainerPort`, 'ContainerPort represents a network port in a single container.', {
  name: p(1, t.string(), 'IANA_SVC_NAME of the port, unique within the pod, that services can refer to.'),
  hostPort: p(2, t.int32(), 'Port to expose on the host.', { omitZero: true }),
  containerPort: p(3, t.int32(), 'Port to expose on the pod IP address.', { required: true }),
  protocol: p(4, t.string(), 'Protocol of the port: TCP, UDP or SCTP; defaults to TCP.'),
  hostIP: p(5, t.string(), 'Host IP to bind the external port to.'),
});

export const EnvVar = model(`${CORE}EnvVar`, 'EnvVar represents an environment variable present in a Container.', {
  name: p(1, t.string(), 'Name of the environment variable.', { required: true }),
  value: p(2, t.string(), 'Value, with $(VAR_NAME) references expanded.'),
  valueFrom: p(3, t.ref(() => EnvVarSource), 'Source of the value; cannot be used together with value.'),
});

export const EnvVarSource = model(`${CORE}EnvVarSource`, 'EnvVarSource represents a source for the value of an EnvVar.', {
  fieldRef: p(1, t.ref(() => ObjectFieldSelector), 'A field of the pod, e.g. metadata.name or status.podIP.'),
  resourceFieldRef: p(2, t.ref(() => ResourceFieldSelector), 'A resource limit or request of the container.'),
  configMapKeyRef: p(3, t.ref(() => ConfigMapKeySelector), 'A key of a ConfigMap.'),
  secretKeyRef: p(4, t.ref(() => SecretKeySelector), 'A key of a Secret in the pod namespace.'),
});

export const EnvFromSource = model(`${CORE}EnvFromSource`, 'EnvFromSource represents the source of a set of ConfigMaps or Secrets.', {
  prefix: p(1, t.string(), 'Text prepended to the name of each variable.'),
  configMapRef: p(2, t.ref(() => ConfigMapEnvSource), 'ConfigMap to take the variables from.'),
  secretRef: p(3, t.ref(() => SecretEnvSource), 'Secret to take the variables from.'),
});

// name is an embedded LocalObjectReference (protobuf field 1).
export const ConfigMapEnvSource = model(`${CORE}ConfigMapEnvSource`, 'ConfigMapEnvSource selects a ConfigMap to populate environment variables with.', {
  name: p(1, t.string(), 'Name of the ConfigMap.'),
  optional: p(2, t.bool(), 'Whether the ConfigMap may be missing.'),
}, EMBEDS_LOCAL_OBJECT_REFERENCE);

export const SecretEnvSource = model(`${CORE}SecretEnvSource`, 'SecretEnvSource selects a Secret to populate environment variables with.', {
  name: p(1, t.string(), 'Name of the Secret.'),
  optional: p(2, t.bool(), 'Whether the Secret may be missing.'),
}, EMBEDS_LOCAL_OBJECT_REFERENCE);

export const ResourceRequirements = model(`${CORE}ResourceRequirements`, 'ResourceRequirements describes the compute resource requirements.', {
  limits: p(1, t.map(t.quantity()), 'Maximum amount of each compute resource allowed.'),
  requests: p(2, t.map(t.quantity()), 'Minimum amount of each compute resource required.'),
  claims: p(3, t.array(t.ref(() => ResourceClaim), { listType: 'map', listMapKeys: ['name'] }), 'Names of pod resource claims this container uses.'),
});

export const ResourceClaim = model(`${CORE}ResourceClaim`, 'ResourceClaim references one entry in PodSpec.ResourceClaims.', {
  name: p(1, t.string(), 'Name of an entry in pod.spec.resourceClaims.', { required: true }),
  request: p(2, t.string(), 'Name of one request in the claim; empty means the whole claim.'),
});

export const VolumeMount = model(`${CORE}VolumeMount`, 'VolumeMount describes a mounting of a Volume within a container.', {
  name: p(1, t.string(), 'Name of the pod volume to mount.', { required: true }),
  readOnly: p(2, t.bool(), 'Mount read-only when true.', { omitZero: true }),
  recursiveReadOnly: p(7, t.string(), 'Whether a read-only mount is also read-only recursively: Disabled, IfPossible or Enabled.'),
  mountPath: p(3, t.string(), 'Path in the container at which the volume is mounted.', { required: true }),
  subPath: p(4, t.string(), 'Path within the volume to mount instead of its root.'),
  mountPropagation: p(5, t.string(), 'How mounts propagate between host and container: None, HostToContainer or Bidirectional.'),
  subPathExpr: p(6, t.string(), 'Like subPath, with $(VAR_NAME) references expanded from the container environment.'),
});

export const VolumeDevice = model(`${CORE}VolumeDevice`, 'VolumeDevice describes a mapping of a raw block device within a container.', {
  name: p(1, t.string(), 'Name of a persistentVolumeClaim volume of the pod.', { required: true }),
  devicePath: p(2, t.string(), 'Path inside the container the device is mapped to.', { required: true }),
});

export const ContainerResizePolicy = model(`${CORE}ContainerResizePolicy`, 'ContainerResizePolicy represents resource resize policy for the container.', {
  resourceName: p(1, t.string(), 'Resource the policy applies to: cpu or memory.', { required: true }),
  restartPolicy: p(2, t.string(), 'Whether resizing needs a restart: NotRequired or RestartContainer.', { required: true }),
});
