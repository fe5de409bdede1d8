// Container statuses reported in PodStatus.

import { model, p, t } from '../dsl.ts';
import { CORE } from './name.ts';
import { ResourceRequirements } from './container.ts';

export const ContainerStatus = model(`${CORE}ContainerStatus`, 'ContainerStatus contains details for the current status of this container.', {
  name: p(1, t.string(), 'Name of the container.', { required: true }),
  state: p(2, t.ref(() => ContainerState), 'Current state of the container.'),
  lastState: p(3, t.ref(() => ContainerState), 'Last termination state of the container.'),
  ready: p(4, t.bool(), 'Whether the container passes its readiness check.', { required: true }),
  restartCount: p(5, t.int32(), 'Number of times the container has been restarted.', { required: true }),
  image: p(6, t.string(), 'Image the container runs.', { required: true }),
  imageID: p(7, t.string(), 'Image ID of the image the container runs.', { required: true }),
  containerID: p(8, t.string(), "Container ID in the format '<type>://<container_id>'."),
  started: p(9, t.bool(), 'Whether the container finished its postStart hook and passed its startup probe.'),
  allocatedResources: p(10, t.map(t.quantity()), 'Compute resources the node allocated to the container.'),
  resources: p(11, t.ref(() => ResourceRequirements), 'Requests and limits currently enacted on the running container.'),
  volumeMounts: p(
    12,
    t.array(t.ref(() => VolumeMountStatus), { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] }),
    'Status of the volume mounts.',
  ),
  user: p(13, t.ref(() => ContainerUser), 'Identity attached to the first process of the container.'),
  allocatedResourcesStatus: p(
    14,
    t.array(t.ref(() => ResourceStatus), { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }),
    'Health of the resources allocated to the container.',
  ),
  stopSignal: p(15, t.string(), 'Effective stop signal of the container.'),
});

export const ContainerState = model(`${CORE}ContainerState`, 'ContainerState holds a possible state of container; only one member may be set.', {
  waiting: p(1, t.ref(() => ContainerStateWaiting), 'Details about a waiting container.'),
  running: p(2, t.ref(() => ContainerStateRunning), 'Details about a running container.'),
  terminated: p(3, t.ref(() => ContainerStateTerminated), 'Details about a terminated container.'),
});

export const ContainerStateWaiting = model(`${CORE}ContainerStateWaiting`, 'ContainerStateWaiting is a waiting state of a container.', {
  reason: p(1, t.string(), 'Brief reason the container is not running yet.'),
  message: p(2, t.string(), 'Details about why the container is not running yet.'),
});

export const ContainerStateRunning = model(`${CORE}ContainerStateRunning`, 'ContainerStateRunning is a running state of a container.', {
  startedAt: p(1, t.time(), 'When the container was last (re)started.'),
});

export const ContainerStateTerminated = model(`${CORE}ContainerStateTerminated`, 'ContainerStateTerminated is a terminated state of a container.', {
  exitCode: p(1, t.int32(), 'Exit status of the last termination.', { required: true }),
  signal: p(2, t.int32(), 'Signal of the last termination.', { omitZero: true }),
  reason: p(3, t.string(), 'Brief reason of the last termination.'),
  message: p(4, t.string(), 'Details about the last termination.'),
  startedAt: p(5, t.time(), 'When the previous execution of the container started.'),
  finishedAt: p(6, t.time(), 'When the container last terminated.'),
  containerID: p(7, t.string(), "Container ID in the format '<type>://<container_id>'."),
});

export const VolumeMountStatus = model(`${CORE}VolumeMountStatus`, 'VolumeMountStatus shows status of volume mounts.', {
  name: p(1, t.string(), 'Name of the original VolumeMount.', { required: true }),
  mountPath: p(2, t.string(), 'Mount path of the original VolumeMount.', { required: true }),
  readOnly: p(3, t.bool(), 'Whether the mount is read-only.', { omitZero: true }),
  recursiveReadOnly: p(4, t.string(), 'Effective recursive read-only state: Disabled or Enabled.'),
});

export const ContainerUser = model(`${CORE}ContainerUser`, 'ContainerUser represents user identity information.', {
  linux: p(1, t.ref(() => LinuxContainerUser), 'Identity of the first process on Linux.'),
});

export const LinuxContainerUser = model(`${CORE}LinuxContainerUser`, 'LinuxContainerUser represents user identity information in Linux containers.', {
  uid: p(1, t.int64(), 'Primary UID of the first process of the container.', { required: true }),
  gid: p(2, t.int64(), 'Primary GID of the first process of the container.', { required: true }),
  supplementalGroups: p(3, t.array(t.int64(), { listType: 'atomic' }), 'Supplemental groups of the first process of the container.'),
});

export const ResourceStatus = model(`${CORE}ResourceStatus`, 'ResourceStatus represents the status of a single resource allocated to a Pod.', {
  name: p(1, t.string(), 'Resource name, or claim:<claim>/<request> for a DRA resource.', { required: true }),
  resources: p(2, t.array(t.ref(() => ResourceHealth), { listType: 'map', listMapKeys: ['resourceID'] }), 'Health of each allocated resource.'),
});

export const ResourceHealth = model(`${CORE}ResourceHealth`, 'ResourceHealth represents the health of a resource.', {
  resourceID: p(1, t.string(), 'Unique identifier of the resource.', { required: true }),
  health: p(2, t.string(), 'Health of the resource: Healthy, Unhealthy or Unknown.'),
});
