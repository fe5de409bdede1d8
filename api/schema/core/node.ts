// Node, its spec (taints, pod CIDRs) and status (capacity, conditions, info).

import { model, p, t, typeMeta } from '../dsl.ts';
import { ObjectMeta } from '../meta.ts';
import { CORE } from './name.ts';

export const Node = model(
  `${CORE}Node`,
  'Node is a worker node in Kubernetes.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    spec: p(2, t.ref(() => NodeSpec), 'Desired behavior of the node.'),
    status: p(3, t.ref(() => NodeStatus), 'Most recently observed status of the node; read-only.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Node' }] },
);

export const NodeSpec = model(`${CORE}NodeSpec`, 'NodeSpec describes the attributes that a node is created with.', {
  podCIDR: p(1, t.string(), 'Pod IP range assigned to the node.'),
  podCIDRs: p(7, t.array(t.string(), { patchStrategy: 'merge', listType: 'set' }), 'Pod IP ranges assigned to the node, at most one per family.'),
  providerID: p(3, t.string(), 'Cloud provider ID of the node, <ProviderName>://<ProviderSpecificNodeID>.'),
  unschedulable: p(4, t.bool(), 'Keep new pods from being scheduled on the node.', { omitZero: true }),
  taints: p(5, t.array(t.ref(() => Taint), { listType: 'atomic' }), 'Taints of the node.'),
  configSource: p(6, t.ref(() => NodeConfigSource), 'Deprecated: source of dynamic kubelet configuration.'),
  externalID: p(2, t.string(), 'Deprecated: external ID of the node.'),
});

export const Taint = model(`${CORE}Taint`, 'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.', {
  key: p(1, t.string(), 'Taint key.', { required: true }),
  value: p(2, t.string(), 'Taint value.'),
  effect: p(3, t.string(), 'Effect on pods that do not tolerate it: NoSchedule, PreferNoSchedule or NoExecute.', { required: true }),
  timeAdded: p(4, t.time(), 'When the taint was added.'),
});

export const NodeConfigSource = model(`${CORE}NodeConfigSource`, 'NodeConfigSource specifies a source of node configuration (deprecated).', {
  configMap: p(2, t.ref(() => ConfigMapNodeConfigSource), 'ConfigMap holding the node configuration.'),
});

export const ConfigMapNodeConfigSource = model(
  `${CORE}ConfigMapNodeConfigSource`,
  'ConfigMapNodeConfigSource references a ConfigMap as a config source for the Node (deprecated).',
  {
    namespace: p(1, t.string(), 'Namespace of the ConfigMap.', { required: true }),
    name: p(2, t.string(), 'Name of the ConfigMap.', { required: true }),
    uid: p(3, t.string(), 'UID of the ConfigMap.'),
    resourceVersion: p(4, t.string(), 'resourceVersion of the ConfigMap.'),
    kubeletConfigKey: p(5, t.string(), 'Key of the ConfigMap holding the KubeletConfiguration.', { required: true }),
  },
);

export const NodeStatus = model(`${CORE}NodeStatus`, 'NodeStatus is information about the current status of a node.', {
  capacity: p(1, t.map(t.quantity()), 'Total resources of the node.'),
  allocatable: p(2, t.map(t.quantity()), 'Resources of the node available for scheduling.'),
  phase: p(3, t.string(), 'Deprecated and never populated: lifecycle phase of the node.'),
  conditions: p(
    4,
    t.array(t.ref(() => NodeCondition), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
    'Current conditions of the node, e.g. Ready.',
  ),
  addresses: p(
    5,
    t.array(t.ref(() => NodeAddress), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
    'Addresses the node is reachable at.',
  ),
  daemonEndpoints: p(6, t.ref(() => NodeDaemonEndpoints), 'Endpoints of daemons running on the node.'),
  nodeInfo: p(7, t.ref(() => NodeSystemInfo), 'Identifiers and versions reported by the node.'),
  images: p(8, t.array(t.ref(() => ContainerImage), { listType: 'atomic' }), 'Container images present on the node.'),
  volumesInUse: p(9, t.array(t.string(), { listType: 'atomic' }), 'Attachable volumes in use by the node.'),
  volumesAttached: p(10, t.array(t.ref(() => AttachedVolume), { listType: 'atomic' }), 'Volumes attached to the node.'),
  config: p(11, t.ref(() => NodeConfigStatus), 'Status of dynamic kubelet configuration (deprecated).'),
  runtimeHandlers: p(12, t.array(t.ref(() => NodeRuntimeHandler), { listType: 'atomic' }), 'Runtime handlers available on the node.'),
  features: p(13, t.ref(() => NodeFeatures), 'Features implemented by the CRI implementation.'),
});

export const NodeCondition = model(`${CORE}NodeCondition`, 'NodeCondition contains condition information for a node.', {
  type: p(1, t.string(), 'Type of the condition, e.g. Ready or MemoryPressure.', { required: true }),
  status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
  lastHeartbeatTime: p(3, t.time(), 'Last time the condition was updated.'),
  lastTransitionTime: p(4, t.time(), 'Last time the status changed.'),
  reason: p(5, t.string(), 'Brief reason for the last transition.'),
  message: p(6, t.string(), 'Human-readable details about the last transition.'),
});

export const NodeAddress = model(`${CORE}NodeAddress`, "NodeAddress contains information for the node's address.", {
  type: p(1, t.string(), 'Address type: Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', { required: true }),
  address: p(2, t.string(), 'The address.', { required: true }),
});

export const NodeDaemonEndpoints = model(`${CORE}NodeDaemonEndpoints`, 'NodeDaemonEndpoints lists ports opened by daemons running on the Node.', {
  kubeletEndpoint: p(1, t.ref(() => DaemonEndpoint), 'Endpoint the kubelet listens on.'),
});

export const DaemonEndpoint = model(`${CORE}DaemonEndpoint`, 'DaemonEndpoint contains information about a single Daemon endpoint.', {
  Port: p(1, t.int32(), 'Port number of the endpoint.', { required: true }),
});

export const NodeSystemInfo = model(`${CORE}NodeSystemInfo`, 'NodeSystemInfo is a set of ids/uuids to uniquely identify the node.', {
  machineID: p(1, t.string(), 'Machine ID reported by the node.', { required: true }),
  systemUUID: p(2, t.string(), 'System UUID reported by the node.', { required: true }),
  bootID: p(3, t.string(), 'Boot ID reported by the node.', { required: true }),
  kernelVersion: p(4, t.string(), 'Kernel version reported by the node (uname -r).', { required: true }),
  osImage: p(5, t.string(), 'OS image reported by the node (/etc/os-release).', { required: true }),
  containerRuntimeVersion: p(6, t.string(), 'Container runtime and version, e.g. containerd://1.7.0.', { required: true }),
  kubeletVersion: p(7, t.string(), 'Kubelet version.', { required: true }),
  kubeProxyVersion: p(8, t.string(), 'Deprecated: kube-proxy version.', { required: true }),
  operatingSystem: p(9, t.string(), 'Operating system, e.g. linux.', { required: true }),
  architecture: p(10, t.string(), 'CPU architecture, e.g. amd64.', { required: true }),
  swap: p(11, t.ref(() => NodeSwapStatus), 'Swap memory reported by the node.'),
});

export const NodeSwapStatus = model(`${CORE}NodeSwapStatus`, 'NodeSwapStatus represents swap memory information.', {
  capacity: p(1, t.int64(), 'Total swap memory in bytes.'),
});

export const ContainerImage = model(`${CORE}ContainerImage`, 'Describe a container image.', {
  names: p(1, t.array(t.string(), { listType: 'atomic' }), 'Names the image is known by.'),
  sizeBytes: p(2, t.int64(), 'Size of the image in bytes.', { omitZero: true }),
});

export const AttachedVolume = model(`${CORE}AttachedVolume`, 'AttachedVolume describes a volume attached to a node.', {
  name: p(1, t.string(), 'Name of the attached volume.', { required: true }),
  devicePath: p(2, t.string(), 'Device path the volume is available at.', { required: true }),
});

export const NodeConfigStatus = model(`${CORE}NodeConfigStatus`, 'NodeConfigStatus describes the status of the config assigned by Node.Spec.ConfigSource.', {
  assigned: p(1, t.ref(() => NodeConfigSource), 'Config the node will try to use.'),
  active: p(2, t.ref(() => NodeConfigSource), 'Config the node is using.'),
  lastKnownGood: p(3, t.ref(() => NodeConfigSource), 'Config the node falls back to on error.'),
  error: p(4, t.string(), 'Problem reconciling the assigned config.'),
});

export const NodeFeatures = model(`${CORE}NodeFeatures`, 'NodeFeatures describes the set of features implemented by the CRI implementation.', {
  supplementalGroupsPolicy: p(1, t.bool(), 'The runtime supports supplementalGroupsPolicy and ContainerUser.'),
});

export const NodeRuntimeHandler = model(`${CORE}NodeRuntimeHandler`, 'NodeRuntimeHandler is a set of runtime handler information.', {
  name: p(1, t.string(), 'Name of the runtime handler; empty for the default one.'),
  features: p(2, t.ref(() => NodeRuntimeHandlerFeatures), 'Features the handler supports.'),
});

export const NodeRuntimeHandlerFeatures = model(
  `${CORE}NodeRuntimeHandlerFeatures`,
  'NodeRuntimeHandlerFeatures is a set of features implemented by the runtime handler.',
  {
    recursiveReadOnlyMounts: p(1, t.bool(), 'The handler supports recursive read-only mounts.'),
    userNamespaces: p(2, t.bool(), 'The handler supports user namespaces, including for volumes.'),
  },
);
