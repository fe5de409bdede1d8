// Pod, its spec and status, pod templates and Binding.

import { model, p, t, typeMeta } from '../dsl.ts';
import { ObjectMeta } from '../meta.ts';
import { CORE } from './name.ts';
import { LocalObjectReference, ObjectReference } from './common.ts';
import { Container, EphemeralContainer, ResourceRequirements } from './container.ts';
import { ContainerStatus } from './container-status.ts';
import { PodSecurityContext } from './security-context.ts';
import { Volume } from './volume.ts';
import { Affinity, Toleration, TopologySpreadConstraint } from './affinity.ts';

export const Pod = model(
  `${CORE}Pod`,
  'Pod is a collection of containers that can run on a host.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    spec: p(2, t.ref(() => PodSpec), 'Desired behavior of the pod.'),
    status: p(3, t.ref(() => PodStatus), 'Most recently observed status of the pod; read-only.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Pod' }] },
);

export const PodTemplateSpec = model(`${CORE}PodTemplateSpec`, 'PodTemplateSpec describes the data a pod should have when created from a template.', {
  metadata: p(1, t.ref(() => ObjectMeta), 'Metadata of the pods created from the template.'),
  spec: p(2, t.ref(() => PodSpec), 'Spec of the pods created from the template.'),
});

const byName = { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] } as const;

export const PodSpec = model(`${CORE}PodSpec`, 'PodSpec is a description of a pod.', {
  volumes: p(
    1,
    t.array(t.ref(() => Volume), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
    'Volumes that containers of the pod can mount.',
  ),
  initContainers: p(20, t.array(t.ref(() => Container), byName), 'Containers run in order, each to completion, before the app containers start.'),
  containers: p(2, t.array(t.ref(() => Container), byName), 'Containers of the pod; at least one.', { required: true }),
  ephemeralContainers: p(34, t.array(t.ref(() => EphemeralContainer), byName), 'Ephemeral containers added through the ephemeralcontainers subresource.'),
  restartPolicy: p(3, t.string(), 'Restart policy of all containers: Always, OnFailure or Never.'),
  terminationGracePeriodSeconds: p(4, t.int64(), 'Seconds the pod has to terminate gracefully; defaults to 30.'),
  activeDeadlineSeconds: p(5, t.int64(), 'Seconds the pod may be active on a node before it is failed.'),
  dnsPolicy: p(6, t.string(), 'DNS policy: ClusterFirst, ClusterFirstWithHostNet, Default or None.'),
  nodeSelector: p(7, t.map(t.string()), 'Labels a node must have for the pod to be scheduled on it.'),
  serviceAccountName: p(8, t.string(), 'Name of the ServiceAccount the pod runs as.'),
  serviceAccount: p(9, t.string(), 'Deprecated alias of serviceAccountName.'),
  automountServiceAccountToken: p(21, t.bool(), 'Whether a service account token is mounted automatically.'),
  nodeName: p(10, t.string(), 'Node the pod is bound to.'),
  hostNetwork: p(11, t.bool(), "Use the host's network namespace.", { omitZero: true }),
  hostPID: p(12, t.bool(), "Use the host's PID namespace.", { omitZero: true }),
  hostIPC: p(13, t.bool(), "Use the host's IPC namespace.", { omitZero: true }),
  shareProcessNamespace: p(27, t.bool(), 'Share one process namespace between all containers of the pod.'),
  securityContext: p(14, t.ref(() => PodSecurityContext), 'Pod-level security attributes and common container settings.'),
  imagePullSecrets: p(15, t.array(t.ref(() => LocalObjectReference), byName), 'Secrets used to pull the images of the pod.'),
  hostname: p(16, t.string(), 'Hostname of the pod; defaults to a system-defined value.'),
  subdomain: p(17, t.string(), 'Subdomain making the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.'),
  affinity: p(18, t.ref(() => Affinity), 'Scheduling constraints of the pod.'),
  schedulerName: p(19, t.string(), 'Scheduler that dispatches the pod; the default scheduler when empty.'),
  tolerations: p(22, t.array(t.ref(() => Toleration), { listType: 'atomic' }), 'Taints the pod tolerates.'),
  hostAliases: p(
    23,
    t.array(t.ref(() => HostAlias), { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] }),
    'Entries injected into the hosts file of the pod.',
  ),
  priorityClassName: p(24, t.string(), 'Name of the PriorityClass of the pod.'),
  priority: p(25, t.int32(), 'Priority value, filled in from priorityClassName by admission.'),
  dnsConfig: p(26, t.ref(() => PodDNSConfig), 'DNS parameters merged into the configuration generated from dnsPolicy.'),
  readinessGates: p(28, t.array(t.ref(() => PodReadinessGate), { listType: 'atomic' }), 'Extra conditions that must be True for the pod to be ready.'),
  runtimeClassName: p(29, t.string(), 'RuntimeClass used to run the pod.'),
  enableServiceLinks: p(30, t.bool(), 'Inject service information as environment variables; defaults to true.'),
  preemptionPolicy: p(31, t.string(), 'Whether the pod may preempt lower-priority pods: PreemptLowerPriority or Never.'),
  overhead: p(32, t.map(t.quantity()), 'Resource overhead of running the pod with its RuntimeClass.'),
  topologySpreadConstraints: p(
    33,
    t.array(t.ref(() => TopologySpreadConstraint), {
      patchStrategy: 'merge',
      patchMergeKey: 'topologyKey',
      listType: 'map',
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    }),
    'How pods are spread across topology domains.',
  ),
  setHostnameAsFQDN: p(35, t.bool(), 'Use the FQDN of the pod as its hostname.'),
  os: p(36, t.ref(() => PodOS), 'Operating system of the containers of the pod.'),
  hostUsers: p(37, t.bool(), "Use the host's user namespace; defaults to true."),
  schedulingGates: p(38, t.array(t.ref(() => PodSchedulingGate), byName), 'Gates that block scheduling until they are removed.'),
  resourceClaims: p(
    39,
    t.array(t.ref(() => PodResourceClaim), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
    'ResourceClaims allocated and reserved before the pod starts.',
  ),
  resources: p(40, t.ref(() => ResourceRequirements), 'Total CPU and memory requests and limits of the pod.'),
});

export const PodStatus = model(`${CORE}PodStatus`, 'PodStatus represents information about the status of a pod.', {
  observedGeneration: p(17, t.int64(), 'metadata.generation the status was computed from.', { omitZero: true }),
  phase: p(1, t.string(), 'Lifecycle phase: Pending, Running, Succeeded, Failed or Unknown.'),
  conditions: p(
    2,
    t.array(t.ref(() => PodCondition), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
    'Current conditions of the pod.',
  ),
  message: p(3, t.string(), 'Human-readable details about the pod state.'),
  reason: p(4, t.string(), 'Brief CamelCase reason for the pod state, e.g. Evicted.'),
  nominatedNodeName: p(11, t.string(), 'Node the pod is expected to run on after preempting other pods.'),
  hostIP: p(5, t.string(), 'Primary IP address of the node the pod is assigned to.'),
  hostIPs: p(
    16,
    t.array(t.ref(() => HostIP), { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' }),
    'IP addresses of the node the pod is assigned to.',
  ),
  podIP: p(6, t.string(), 'Primary IP address of the pod.'),
  podIPs: p(
    12,
    t.array(t.ref(() => PodIP), { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] }),
    'IP addresses of the pod, at most one per family.',
  ),
  startTime: p(7, t.time(), 'When the kubelet acknowledged the pod.'),
  initContainerStatuses: p(10, t.array(t.ref(() => ContainerStatus), { listType: 'atomic' }), 'Statuses of the init containers.'),
  containerStatuses: p(8, t.array(t.ref(() => ContainerStatus), { listType: 'atomic' }), 'Statuses of the app containers.'),
  qosClass: p(9, t.string(), 'Quality of service class: Guaranteed, Burstable or BestEffort.'),
  ephemeralContainerStatuses: p(13, t.array(t.ref(() => ContainerStatus), { listType: 'atomic' }), 'Statuses of the ephemeral containers.'),
  resize: p(14, t.string(), 'Deprecated: state of a pending in-place resize.'),
  resourceClaimStatuses: p(
    15,
    t.array(t.ref(() => PodResourceClaimStatus), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
    'Names of the ResourceClaims generated for the pod.',
  ),
});

export const PodCondition = model(`${CORE}PodCondition`, 'PodCondition contains details for the current condition of this pod.', {
  type: p(1, t.string(), 'Type of the condition, e.g. Ready or PodScheduled.', { required: true }),
  observedGeneration: p(7, t.int64(), 'metadata.generation the condition was computed from.', { omitZero: true }),
  status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
  lastProbeTime: p(3, t.time(), 'Last time the condition was probed.'),
  lastTransitionTime: p(4, t.time(), 'Last time the status changed.'),
  reason: p(5, t.string(), 'Brief CamelCase reason for the last transition.'),
  message: p(6, t.string(), 'Human-readable details about the last transition.'),
});

export const PodDNSConfig = model(`${CORE}PodDNSConfig`, 'PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.', {
  nameservers: p(1, t.array(t.string(), { listType: 'atomic' }), 'DNS server IP addresses.'),
  searches: p(2, t.array(t.string(), { listType: 'atomic' }), 'DNS search domains.'),
  options: p(3, t.array(t.ref(() => PodDNSConfigOption), { listType: 'atomic' }), 'DNS resolver options.'),
});

export const PodDNSConfigOption = model(`${CORE}PodDNSConfigOption`, 'PodDNSConfigOption defines DNS resolver options of a pod.', {
  name: p(1, t.string(), 'Name of the resolver option.'),
  value: p(2, t.string(), 'Value of the resolver option.'),
});

export const HostAlias = model(`${CORE}HostAlias`, "HostAlias holds the mapping between IP and hostnames injected into the pod's hosts file.", {
  ip: p(1, t.string(), 'IP address of the entry.', { required: true }),
  hostnames: p(2, t.array(t.string(), { listType: 'atomic' }), 'Host names for the IP address.'),
});

export const PodReadinessGate = model(`${CORE}PodReadinessGate`, 'PodReadinessGate contains the reference to a pod condition.', {
  conditionType: p(1, t.string(), 'Type of a pod condition that must be True for readiness.', { required: true }),
});

export const PodResourceClaim = model(
  `${CORE}PodResourceClaim`,
  'PodResourceClaim references exactly one ResourceClaim, directly or through a ResourceClaimTemplate.',
  {
    name: p(1, t.string(), 'Name of the claim inside the pod, referenced by containers.', { required: true }),
    resourceClaimName: p(3, t.string(), 'Name of an existing ResourceClaim in the pod namespace.'),
    resourceClaimTemplateName: p(4, t.string(), 'Name of a ResourceClaimTemplate a claim is created from for this pod.'),
  },
);

export const PodResourceClaimStatus = model(
  `${CORE}PodResourceClaimStatus`,
  'PodResourceClaimStatus records the ResourceClaim generated for a PodResourceClaim from a template.',
  {
    name: p(1, t.string(), 'Name of the entry in pod.spec.resourceClaims.', { required: true }),
    resourceClaimName: p(2, t.string(), 'Name of the generated ResourceClaim; unset if none was needed.'),
  },
);

export const PodSchedulingGate = model(`${CORE}PodSchedulingGate`, 'PodSchedulingGate is associated to a Pod to guard its scheduling.', {
  name: p(1, t.string(), 'Name of the scheduling gate.', { required: true }),
});

export const PodOS = model(`${CORE}PodOS`, 'PodOS defines the OS parameters of a pod.', {
  name: p(1, t.string(), 'Operating system name: linux or windows.', { required: true }),
});

export const PodIP = model(`${CORE}PodIP`, 'PodIP represents a single IP address allocated to the pod.', {
  ip: p(1, t.string(), 'IP address of the pod.', { required: true }),
});

export const HostIP = model(`${CORE}HostIP`, 'HostIP represents a single IP address allocated to the host.', {
  ip: p(1, t.string(), 'IP address of the host.', { required: true }),
});

export const Binding = model(
  `${CORE}Binding`,
  'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    target: p(2, t.ref(() => ObjectReference), 'Object to bind to, e.g. a Node.', { required: true }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Binding' }] },
);
