// apps/v1: Deployment and ReplicaSet.
//
// Field numbers, patch strategies and list types follow upstream
// k8s.io/api/apps/v1 (generated.proto and the Go struct tags).

import { model, p, t, typeMeta } from './dsl.ts';
import type { Model } from './dsl.ts';
import { LabelSelector, ObjectMeta } from './meta.ts';
import { PodTemplateSpec } from './core/index.ts';

const conditionList = (item: () => Model) =>
  t.array(t.ref(item), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] });

// ---- Deployment ------------------------------------------------------------

export const RollingUpdateDeployment: Model = model(
  'io.k8s.api.apps.v1.RollingUpdateDeployment',
  'Spec to control the desired behavior of rolling update.',
  {
    maxUnavailable: p(1, t.intOrString(), 'Maximum number (or percentage) of pods that can be unavailable during the update. Defaults to 25%.'),
    maxSurge: p(2, t.intOrString(), 'Maximum number (or percentage) of pods that can be scheduled above the desired number during the update. Defaults to 25%.'),
  },
);

export const DeploymentStrategy: Model = model(
  'io.k8s.api.apps.v1.DeploymentStrategy',
  'DeploymentStrategy describes how to replace existing pods with new ones.',
  {
    type: p(1, t.string({ enum: ['Recreate', 'RollingUpdate'] }), 'Type of deployment: "Recreate" or "RollingUpdate" (the default).'),
    rollingUpdate: p(2, t.ref(() => RollingUpdateDeployment), 'Rolling update parameters; present only when type is RollingUpdate.'),
  },
);

export const DeploymentSpec: Model = model(
  'io.k8s.api.apps.v1.DeploymentSpec',
  'DeploymentSpec is the specification of the desired behavior of the Deployment.',
  {
    replicas: p(1, t.int32(), 'Number of desired pods. Defaults to 1.'),
    selector: p(2, t.ref(() => LabelSelector), 'Label selector for the pods managed by this deployment; must match the template labels.', { required: true }),
    template: p(3, t.ref(() => PodTemplateSpec), 'Template of the pods this deployment creates.', { required: true }),
    strategy: p(4, t.ref(() => DeploymentStrategy), 'The strategy used to replace existing pods with new ones.', { patchStrategy: 'retainKeys' }),
    minReadySeconds: p(5, t.int32(), 'Seconds a new pod must be ready without crashing to be considered available. Defaults to 0.', { omitZero: true }),
    revisionHistoryLimit: p(6, t.int32(), 'Number of old ReplicaSets kept to allow rollback. Defaults to 10.'),
    paused: p(7, t.bool(), 'Indicates that the deployment is paused.', { omitZero: true }),
    progressDeadlineSeconds: p(9, t.int32(), 'Seconds after which a deployment that makes no progress is reported as failed. Defaults to 600.'),
    podReplacementPolicy: p(10, t.string(), 'When replacement pods are created: TerminationStarted or TerminationComplete (alpha).'),
  },
);

export const DeploymentCondition: Model = model(
  'io.k8s.api.apps.v1.DeploymentCondition',
  'DeploymentCondition describes the state of a deployment at a certain point.',
  {
    type: p(1, t.string(), 'Type of deployment condition.', { required: true }),
    status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
    lastUpdateTime: p(6, t.time(), 'The last time this condition was updated.'),
    lastTransitionTime: p(7, t.time(), 'Last time the condition changed from one status to another.'),
    reason: p(4, t.string(), "Machine-readable reason for the condition's last transition."),
    message: p(5, t.string(), 'Human-readable details about the last transition.'),
  },
);

export const DeploymentStatus: Model = model(
  'io.k8s.api.apps.v1.DeploymentStatus',
  'DeploymentStatus is the most recently observed status of the Deployment.',
  {
    observedGeneration: p(1, t.int64(), 'The generation observed by the deployment controller.', { omitZero: true }),
    replicas: p(2, t.int32(), 'Total number of non-terminating pods targeted by this deployment.', { omitZero: true }),
    updatedReplicas: p(3, t.int32(), 'Number of non-terminating pods that have the desired template spec.', { omitZero: true }),
    readyReplicas: p(7, t.int32(), 'Number of non-terminating pods with a Ready condition.', { omitZero: true }),
    availableReplicas: p(4, t.int32(), 'Number of available non-terminating pods (ready for at least minReadySeconds).', { omitZero: true }),
    unavailableReplicas: p(5, t.int32(), 'Number of pods still needed for the deployment to reach full available capacity.', { omitZero: true }),
    terminatingReplicas: p(9, t.int32(), 'Number of terminating pods targeted by this deployment (alpha).'),
    conditions: p(6, conditionList(() => DeploymentCondition), "Latest observations of the deployment's state."),
    collisionCount: p(8, t.int32(), 'Count of hash collisions, used to name the newest ReplicaSet.'),
  },
);

export const Deployment: Model = model(
  'io.k8s.api.apps.v1.Deployment',
  'Deployment enables declarative updates for Pods and ReplicaSets.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => DeploymentSpec), 'Desired behavior of the Deployment.'),
    status: p(3, t.ref(() => DeploymentStatus), 'Most recently observed status of the Deployment.'),
  },
  { gvk: [{ group: 'apps', version: 'v1', kind: 'Deployment' }] },
);

// ---- ReplicaSet ------------------------------------------------------------

export const ReplicaSetSpec: Model = model(
  'io.k8s.api.apps.v1.ReplicaSetSpec',
  'ReplicaSetSpec is the specification of a ReplicaSet.',
  {
    replicas: p(1, t.int32(), 'Number of desired pods. Defaults to 1.'),
    minReadySeconds: p(4, t.int32(), 'Seconds a new pod must be ready without crashing to be considered available. Defaults to 0.', { omitZero: true }),
    selector: p(2, t.ref(() => LabelSelector), 'Label query over the pods counted by this replica set; must match the template labels.', { required: true }),
    template: p(3, t.ref(() => PodTemplateSpec), 'Template of the pods created when replicas are missing.'),
  },
);

export const ReplicaSetCondition: Model = model(
  'io.k8s.api.apps.v1.ReplicaSetCondition',
  'ReplicaSetCondition describes the state of a replica set at a certain point.',
  {
    type: p(1, t.string(), 'Type of replica set condition.', { required: true }),
    status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
    lastTransitionTime: p(3, t.time(), 'Last time the condition changed from one status to another.'),
    reason: p(4, t.string(), "Machine-readable reason for the condition's last transition."),
    message: p(5, t.string(), 'Human-readable details about the last transition.'),
  },
);

export const ReplicaSetStatus: Model = model(
  'io.k8s.api.apps.v1.ReplicaSetStatus',
  'ReplicaSetStatus represents the current status of a ReplicaSet.',
  {
    replicas: p(1, t.int32(), 'Most recently observed number of non-terminating pods.', { required: true }),
    fullyLabeledReplicas: p(2, t.int32(), 'Number of non-terminating pods whose labels match the template labels.', { omitZero: true }),
    readyReplicas: p(4, t.int32(), 'Number of non-terminating pods with a Ready condition.', { omitZero: true }),
    availableReplicas: p(5, t.int32(), 'Number of available non-terminating pods (ready for at least minReadySeconds).', { omitZero: true }),
    terminatingReplicas: p(7, t.int32(), 'Number of terminating pods of this replica set (alpha).'),
    observedGeneration: p(3, t.int64(), 'Generation of the most recently observed ReplicaSet.', { omitZero: true }),
    conditions: p(6, conditionList(() => ReplicaSetCondition), "Latest observations of the replica set's state."),
  },
);

export const ReplicaSet: Model = model(
  'io.k8s.api.apps.v1.ReplicaSet',
  'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => ReplicaSetSpec), 'Desired behavior of the ReplicaSet.'),
    status: p(3, t.ref(() => ReplicaSetStatus), 'Most recently observed status of the ReplicaSet.'),
  },
  { gvk: [{ group: 'apps', version: 'v1', kind: 'ReplicaSet' }] },
);
