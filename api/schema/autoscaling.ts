// autoscaling/v2 and autoscaling/v1: HorizontalPodAutoscaler, and the
// autoscaling/v1 Scale subresource object.
//
// Field numbers, patch strategies and list types follow upstream
// k8s.io/api/autoscaling/{v1,v2} (generated.proto and the Go struct tags).
// Both HPA versions are one resource stored as v2; hpaV1ToV2/hpaV2ToV1 convert
// between them the way pkg/apis/autoscaling/v1/conversion.go does, keeping
// what v1 cannot express in `autoscaling.alpha.kubernetes.io/*` annotations.

import { model, p, t, typeMeta } from './dsl.ts';
import type { Model } from './dsl.ts';
import { LabelSelector, ObjectMeta } from './meta.ts';

const V2 = 'io.k8s.api.autoscaling.v2';
const V1 = 'io.k8s.api.autoscaling.v1';

// ============================================================================
// autoscaling/v2
// ============================================================================

export const CrossVersionObjectReferenceV2: Model = model(
  `${V2}.CrossVersionObjectReference`,
  'CrossVersionObjectReference contains enough information to identify the referred resource.',
  {
    kind: p(1, t.string(), 'Kind of the referent.', { required: true }),
    name: p(2, t.string(), 'Name of the referent.', { required: true }),
    apiVersion: p(3, t.string(), 'API version of the referent.'),
  },
);

export const MetricIdentifier: Model = model(
  `${V2}.MetricIdentifier`,
  'MetricIdentifier defines the name and optionally the selector of a metric.',
  {
    name: p(1, t.string(), 'Name of the metric.', { required: true }),
    selector: p(2, t.ref(() => LabelSelector), 'Label selector passed to the metrics server to narrow the metric; only the name is used when unset.'),
  },
);

export const MetricTarget: Model = model(
  `${V2}.MetricTarget`,
  'MetricTarget defines the target value, average value or average utilization of a metric.',
  {
    type: p(1, t.string(), 'Whether the target is a Utilization, Value or AverageValue.', { required: true }),
    value: p(2, t.quantity(), 'Target value of the metric.'),
    averageValue: p(3, t.quantity(), 'Target value of the metric averaged across all relevant pods.'),
    averageUtilization: p(4, t.int32(), 'Target average utilization across all relevant pods, as a percentage of the requested resource.'),
  },
);

export const MetricValueStatus: Model = model(
  `${V2}.MetricValueStatus`,
  'MetricValueStatus holds the current value of a metric.',
  {
    value: p(1, t.quantity(), 'Current value of the metric.'),
    averageValue: p(2, t.quantity(), 'Current value of the metric averaged across all relevant pods.'),
    averageUtilization: p(3, t.int32(), 'Current average utilization across all relevant pods, as a percentage of the requested resource.'),
  },
);

export const ObjectMetricSource: Model = model(
  `${V2}.ObjectMetricSource`,
  'ObjectMetricSource scales on a metric describing a Kubernetes object, e.g. hits-per-second on an Ingress.',
  {
    describedObject: p(1, t.ref(() => CrossVersionObjectReferenceV2), 'The object the metric describes.', { required: true }),
    target: p(2, t.ref(() => MetricTarget), 'Target value of the metric.', { required: true }),
    metric: p(3, t.ref(() => MetricIdentifier), 'Name and selector of the metric.', { required: true }),
  },
);

export const PodsMetricSource: Model = model(
  `${V2}.PodsMetricSource`,
  'PodsMetricSource scales on a metric describing each pod of the scale target, averaged across pods.',
  {
    metric: p(1, t.ref(() => MetricIdentifier), 'Name and selector of the metric.', { required: true }),
    target: p(2, t.ref(() => MetricTarget), 'Target value of the metric.', { required: true }),
  },
);

export const ResourceMetricSource: Model = model(
  `${V2}.ResourceMetricSource`,
  'ResourceMetricSource scales on a resource metric (e.g. cpu, memory) of each pod of the scale target.',
  {
    name: p(1, t.string(), 'Name of the resource.', { required: true }),
    target: p(2, t.ref(() => MetricTarget), 'Target value of the metric.', { required: true }),
  },
);

export const ContainerResourceMetricSource: Model = model(
  `${V2}.ContainerResourceMetricSource`,
  'ContainerResourceMetricSource scales on a resource metric of one container in each pod of the scale target.',
  {
    name: p(1, t.string(), 'Name of the resource.', { required: true }),
    target: p(2, t.ref(() => MetricTarget), 'Target value of the metric.', { required: true }),
    container: p(3, t.string(), 'Name of the container in the pods of the scale target.', { required: true }),
  },
);

export const ExternalMetricSource: Model = model(
  `${V2}.ExternalMetricSource`,
  'ExternalMetricSource scales on a metric not associated with any Kubernetes object.',
  {
    metric: p(1, t.ref(() => MetricIdentifier), 'Name and selector of the metric.', { required: true }),
    target: p(2, t.ref(() => MetricTarget), 'Target value of the metric.', { required: true }),
  },
);

export const MetricSpec: Model = model(
  `${V2}.MetricSpec`,
  'MetricSpec specifies how to scale based on a single metric; only type and the matching source are set.',
  {
    type: p(1, t.string(), 'Type of metric source: ContainerResource, External, Object, Pods or Resource.', { required: true }),
    object: p(2, t.ref(() => ObjectMetricSource), 'A metric describing a single Kubernetes object.'),
    pods: p(3, t.ref(() => PodsMetricSource), 'A metric describing each pod of the scale target.'),
    resource: p(4, t.ref(() => ResourceMetricSource), 'A resource metric of each pod of the scale target.'),
    containerResource: p(7, t.ref(() => ContainerResourceMetricSource), 'A resource metric of one container in each pod of the scale target.'),
    external: p(5, t.ref(() => ExternalMetricSource), 'A global metric not associated with any Kubernetes object.'),
  },
);

export const HPAScalingPolicy: Model = model(
  `${V2}.HPAScalingPolicy`,
  'HPAScalingPolicy is a single policy which must hold true for a specified past interval.',
  {
    type: p(1, t.string(), 'Kind of policy: Pods or Percent.', { required: true }),
    value: p(2, t.int32(), 'Amount of change the policy permits; greater than zero.', { required: true }),
    periodSeconds: p(3, t.int32(), 'Window in seconds over which the policy must hold (1 to 1800).', { required: true }),
  },
);

export const HPAScalingRules: Model = model(
  `${V2}.HPAScalingRules`,
  'HPAScalingRules configures the scaling behavior in one direction.',
  {
    stabilizationWindowSeconds: p(3, t.int32(), 'Seconds of past recommendations considered when scaling (0 to 3600).'),
    selectPolicy: p(1, t.string(), 'Which policy applies: Max (default), Min or Disabled.'),
    policies: p(2, t.array(t.ref(() => HPAScalingPolicy), { listType: 'atomic' }), 'Scaling policies that may be used while scaling.'),
    tolerance: p(4, t.quantity(), 'Ratio of current to desired metric value under which no scaling happens, e.g. 0.01 (beta).'),
  },
);

export const HorizontalPodAutoscalerBehavior: Model = model(
  `${V2}.HorizontalPodAutoscalerBehavior`,
  'HorizontalPodAutoscalerBehavior configures scaling up and down.',
  {
    scaleUp: p(1, t.ref(() => HPAScalingRules), 'Scaling rules for scaling up.'),
    scaleDown: p(2, t.ref(() => HPAScalingRules), 'Scaling rules for scaling down.'),
  },
);

export const HorizontalPodAutoscalerSpecV2: Model = model(
  `${V2}.HorizontalPodAutoscalerSpec`,
  'HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler.',
  {
    scaleTargetRef: p(1, t.ref(() => CrossVersionObjectReferenceV2), 'The resource to scale and whose pods provide the metrics.', { required: true }),
    minReplicas: p(2, t.int32(), 'Lower limit for the number of replicas. Defaults to 1.'),
    maxReplicas: p(3, t.int32(), 'Upper limit for the number of replicas; not less than minReplicas.', { required: true }),
    metrics: p(4, t.array(t.ref(() => MetricSpec), { listType: 'atomic' }), 'Metrics used to compute the desired replica count; defaults to 80% average CPU utilization.'),
    behavior: p(5, t.ref(() => HorizontalPodAutoscalerBehavior), 'Scaling behavior for scaling up and down.'),
  },
);

export const ObjectMetricStatus: Model = model(
  `${V2}.ObjectMetricStatus`,
  'ObjectMetricStatus is the current value of a metric describing a Kubernetes object.',
  {
    metric: p(1, t.ref(() => MetricIdentifier), 'Name and selector of the metric.', { required: true }),
    current: p(2, t.ref(() => MetricValueStatus), 'Current value of the metric.', { required: true }),
    describedObject: p(3, t.ref(() => CrossVersionObjectReferenceV2), 'The object the metric describes.', { required: true }),
  },
);

export const PodsMetricStatus: Model = model(
  `${V2}.PodsMetricStatus`,
  'PodsMetricStatus is the current value of a metric describing each pod of the scale target.',
  {
    metric: p(1, t.ref(() => MetricIdentifier), 'Name and selector of the metric.', { required: true }),
    current: p(2, t.ref(() => MetricValueStatus), 'Current value of the metric.', { required: true }),
  },
);

export const ResourceMetricStatus: Model = model(
  `${V2}.ResourceMetricStatus`,
  'ResourceMetricStatus is the current value of a resource metric of each pod of the scale target.',
  {
    name: p(1, t.string(), 'Name of the resource.', { required: true }),
    current: p(2, t.ref(() => MetricValueStatus), 'Current value of the metric.', { required: true }),
  },
);

export const ContainerResourceMetricStatus: Model = model(
  `${V2}.ContainerResourceMetricStatus`,
  'ContainerResourceMetricStatus is the current value of a resource metric of one container in each pod.',
  {
    name: p(1, t.string(), 'Name of the resource.', { required: true }),
    current: p(2, t.ref(() => MetricValueStatus), 'Current value of the metric.', { required: true }),
    container: p(3, t.string(), 'Name of the container in the pods of the scale target.', { required: true }),
  },
);

export const ExternalMetricStatus: Model = model(
  `${V2}.ExternalMetricStatus`,
  'ExternalMetricStatus is the current value of a global metric not associated with any Kubernetes object.',
  {
    metric: p(1, t.ref(() => MetricIdentifier), 'Name and selector of the metric.', { required: true }),
    current: p(2, t.ref(() => MetricValueStatus), 'Current value of the metric.', { required: true }),
  },
);

export const MetricStatus: Model = model(
  `${V2}.MetricStatus`,
  'MetricStatus describes the last-read state of a single metric.',
  {
    type: p(1, t.string(), 'Type of metric source: ContainerResource, External, Object, Pods or Resource.', { required: true }),
    object: p(2, t.ref(() => ObjectMetricStatus), 'A metric describing a single Kubernetes object.'),
    pods: p(3, t.ref(() => PodsMetricStatus), 'A metric describing each pod of the scale target.'),
    resource: p(4, t.ref(() => ResourceMetricStatus), 'A resource metric of each pod of the scale target.'),
    containerResource: p(7, t.ref(() => ContainerResourceMetricStatus), 'A resource metric of one container in each pod of the scale target.'),
    external: p(5, t.ref(() => ExternalMetricStatus), 'A global metric not associated with any Kubernetes object.'),
  },
);

export const HorizontalPodAutoscalerCondition: Model = model(
  `${V2}.HorizontalPodAutoscalerCondition`,
  'HorizontalPodAutoscalerCondition describes the state of a HorizontalPodAutoscaler at a certain point.',
  {
    type: p(1, t.string(), 'Type of the condition.', { required: true }),
    status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
    lastTransitionTime: p(3, t.time(), 'Last time the condition changed from one status to another.'),
    reason: p(4, t.string(), "Reason for the condition's last transition."),
    message: p(5, t.string(), 'Human-readable details about the last transition.'),
    observedGeneration: p(6, t.int64(), 'The metadata.generation the condition was set for.'),
  },
);

export const HorizontalPodAutoscalerStatusV2: Model = model(
  `${V2}.HorizontalPodAutoscalerStatus`,
  'HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler.',
  {
    observedGeneration: p(1, t.int64(), 'Most recent generation observed by this autoscaler.'),
    lastScaleTime: p(2, t.time(), 'Last time the autoscaler changed the number of pods.'),
    currentReplicas: p(3, t.int32(), 'Current number of replicas as last seen by the autoscaler.', { omitZero: true }),
    desiredReplicas: p(4, t.int32(), 'Desired number of replicas as last computed by the autoscaler.', { required: true }),
    currentMetrics: p(5, t.array(t.ref(() => MetricStatus), { listType: 'atomic' }), 'Last read state of the metrics used by this autoscaler.'),
    conditions: p(
      6,
      t.array(t.ref(() => HorizontalPodAutoscalerCondition), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
      'Conditions required for this autoscaler to scale its target, and whether they are met.',
    ),
  },
);

export const HorizontalPodAutoscalerV2: Model = model(
  `${V2}.HorizontalPodAutoscaler`,
  'HorizontalPodAutoscaler automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => HorizontalPodAutoscalerSpecV2), 'Specification of the behavior of the autoscaler.'),
    status: p(3, t.ref(() => HorizontalPodAutoscalerStatusV2), 'Current information about the autoscaler.'),
  },
  { gvk: [{ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }] },
);

// ============================================================================
// autoscaling/v1
// ============================================================================

export const CrossVersionObjectReferenceV1: Model = model(
  `${V1}.CrossVersionObjectReference`,
  'CrossVersionObjectReference contains enough information to identify the referred resource.',
  {
    kind: p(1, t.string(), 'Kind of the referent.', { required: true }),
    name: p(2, t.string(), 'Name of the referent.', { required: true }),
    apiVersion: p(3, t.string(), 'API version of the referent.'),
  },
);

export const HorizontalPodAutoscalerSpecV1: Model = model(
  `${V1}.HorizontalPodAutoscalerSpec`,
  'Specification of a horizontal pod autoscaler.',
  {
    scaleTargetRef: p(1, t.ref(() => CrossVersionObjectReferenceV1), 'The scaled resource; its Scale subresource is used to set the replica count.', { required: true }),
    minReplicas: p(2, t.int32(), 'Lower limit for the number of replicas. Defaults to 1.'),
    maxReplicas: p(3, t.int32(), 'Upper limit for the number of replicas; not less than minReplicas.', { required: true }),
    targetCPUUtilizationPercentage: p(4, t.int32(), 'Target average CPU utilization over all pods, as a percentage of requested CPU.'),
  },
);

export const HorizontalPodAutoscalerStatusV1: Model = model(
  `${V1}.HorizontalPodAutoscalerStatus`,
  'Current status of a horizontal pod autoscaler.',
  {
    observedGeneration: p(1, t.int64(), 'Most recent generation observed by this autoscaler.'),
    lastScaleTime: p(2, t.time(), 'Last time the autoscaler changed the number of pods.'),
    currentReplicas: p(3, t.int32(), 'Current number of replicas managed by this autoscaler.', { required: true }),
    desiredReplicas: p(4, t.int32(), 'Desired number of replicas managed by this autoscaler.', { required: true }),
    currentCPUUtilizationPercentage: p(5, t.int32(), 'Current average CPU utilization over all pods, as a percentage of requested CPU.'),
  },
);

export const HorizontalPodAutoscalerV1: Model = model(
  `${V1}.HorizontalPodAutoscaler`,
  'Configuration of a horizontal pod autoscaler.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => HorizontalPodAutoscalerSpecV1), 'Behavior of the autoscaler.'),
    status: p(3, t.ref(() => HorizontalPodAutoscalerStatusV1), 'Current information about the autoscaler.'),
  },
  { gvk: [{ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' }] },
);

export const ScaleSpec: Model = model(
  `${V1}.ScaleSpec`,
  'ScaleSpec describes the attributes of a scale subresource.',
  {
    replicas: p(1, t.int32(), 'Desired number of instances of the scaled object.', { omitZero: true }),
  },
);

export const ScaleStatus: Model = model(
  `${V1}.ScaleStatus`,
  'ScaleStatus represents the current status of a scale subresource.',
  {
    replicas: p(1, t.int32(), 'Actual number of observed instances of the scaled object.', { required: true }),
    selector: p(2, t.string(), 'Label query over the counted pods, in label selector query-parameter syntax.'),
  },
);

export const Scale: Model = model(
  `${V1}.Scale`,
  'Scale represents a scaling request for a resource.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => ScaleSpec), 'Desired behavior of the scale.'),
    status: p(3, t.ref(() => ScaleStatus), 'Current status of the scale. Read-only.'),
  },
  { gvk: [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }] },
);

// ============================================================================
// Conversion between autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscaler
// ============================================================================

type Json = Record<string, unknown>;

/** v2 metrics v1 cannot express, as a JSON array of the v1 (v2beta1-shaped) MetricSpec. */
export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
/** The v2 status.currentMetrics, as a JSON array of the v1 MetricStatus. */
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
/** The v2 status.conditions, as a JSON array. */
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
/** The v2 spec.behavior, as Go's internal type marshals it (Go field names as keys). */
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
/** Written by the v2beta2 conversion only; dropped like the others. */
const TOLERANCE_ANNOTATIONS = ['autoscaling.alpha.kubernetes.io/scale-down-tolerance', 'autoscaling.alpha.kubernetes.io/scale-up-tolerance'];
const ROUND_TRIP_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, BEHAVIOR_ANNOTATION, ...TOLERANCE_ANNOTATIONS, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION];
/** autoscaling/v1 objects without any metric get this CPU utilization target. */
const DEFAULT_CPU_UTILIZATION = 80;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function obj(v: unknown): Json {
  return isObj(v) ? v : {};
}
function has(v: unknown): boolean {
  return v !== undefined && v !== null;
}
function clone<T>(v: T): T {
  return structuredClone(v);
}
/** Copies `src[from]` to `out[to]` when it is set. */
function copy(out: Json, to: string, src: Json, from: string = to): void {
  if (has(src[from])) out[to] = clone(src[from]);
}
/** A Go non-pointer resource.Quantity: its zero value marshals as "0". */
function quantity(src: Json, key: string): unknown {
  return has(src[key]) ? clone(src[key]) : '0';
}
function arr(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(obj) : [];
}

function crossRef(r: unknown): Json {
  const src = obj(r);
  const out: Json = {};
  copy(out, 'kind', src);
  copy(out, 'name', src);
  copy(out, 'apiVersion', src);
  return out;
}

function isCpuUtilizationMetric(m: Json): boolean {
  const resource = obj(m.resource);
  return m.type === 'Resource' && isObj(m.resource) && resource.name === 'cpu' && has(obj(resource.target).averageUtilization);
}

function cpuUtilizationMetric(utilization: unknown): Json {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: clone(utilization) } } };
}

// ---- metric specs ----------------------------------------------------------

function metricSpecV2ToV1(m: Json): Json {
  const out: Json = { type: m.type ?? '' };
  if (isObj(m.object)) {
    const src = m.object;
    const target = obj(src.target);
    const metric = obj(src.metric);
    const o: Json = { target: crossRef(src.describedObject), metricName: metric.name ?? '', targetValue: quantity(target, 'value') };
    copy(o, 'selector', metric);
    copy(o, 'averageValue', target);
    out.object = o;
  }
  if (isObj(m.pods)) {
    const target = obj(m.pods.target);
    const metric = obj(m.pods.metric);
    const o: Json = { metricName: metric.name ?? '', targetAverageValue: quantity(target, 'averageValue') };
    copy(o, 'selector', metric);
    out.pods = o;
  }
  if (isObj(m.resource)) {
    const target = obj(m.resource.target);
    const o: Json = { name: m.resource.name ?? '' };
    copy(o, 'targetAverageUtilization', target, 'averageUtilization');
    copy(o, 'targetAverageValue', target, 'averageValue');
    out.resource = o;
  }
  if (isObj(m.containerResource)) {
    const target = obj(m.containerResource.target);
    const o: Json = { name: m.containerResource.name ?? '' };
    copy(o, 'targetAverageUtilization', target, 'averageUtilization');
    copy(o, 'targetAverageValue', target, 'averageValue');
    o.container = m.containerResource.container ?? '';
    out.containerResource = o;
  }
  if (isObj(m.external)) {
    const target = obj(m.external.target);
    const metric = obj(m.external.metric);
    const o: Json = { metricName: metric.name ?? '' };
    copy(o, 'metricSelector', metric, 'selector');
    copy(o, 'targetValue', target, 'value');
    copy(o, 'targetAverageValue', target, 'averageValue');
    out.external = o;
  }
  return out;
}

function identifier(src: Json, nameKey: string, selectorKey: string): Json {
  const out: Json = { name: src[nameKey] ?? '' };
  copy(out, 'selector', src, selectorKey);
  return out;
}

/** v1 Resource/ContainerResource target: Utilization when a utilization is set, else AverageValue. */
function resourceTargetV1ToV2(src: Json): Json {
  const target: Json = { type: has(src.targetAverageUtilization) ? 'Utilization' : 'AverageValue' };
  copy(target, 'averageValue', src, 'targetAverageValue');
  copy(target, 'averageUtilization', src, 'targetAverageUtilization');
  return target;
}

function metricSpecV1ToV2(m: Json): Json {
  const out: Json = { type: m.type ?? '' };
  if (isObj(m.object)) {
    const src = m.object;
    const target: Json = { type: has(src.averageValue) ? 'AverageValue' : 'Value', value: quantity(src, 'targetValue') };
    copy(target, 'averageValue', src);
    out.object = { describedObject: crossRef(src.target), target, metric: identifier(src, 'metricName', 'selector') };
  }
  if (isObj(m.pods)) {
    const src = m.pods;
    out.pods = { metric: identifier(src, 'metricName', 'selector'), target: { type: 'AverageValue', averageValue: quantity(src, 'targetAverageValue') } };
  }
  if (isObj(m.resource)) {
    out.resource = { name: m.resource.name ?? '', target: resourceTargetV1ToV2(m.resource) };
  }
  if (isObj(m.containerResource)) {
    const src = m.containerResource;
    out.containerResource = { name: src.name ?? '', target: resourceTargetV1ToV2(src), container: src.container ?? '' };
  }
  if (isObj(m.external)) {
    const src = m.external;
    const target: Json = { type: has(src.targetValue) ? 'Value' : 'AverageValue' };
    copy(target, 'value', src, 'targetValue');
    copy(target, 'averageValue', src, 'targetAverageValue');
    out.external = { metric: identifier(src, 'metricName', 'metricSelector'), target };
  }
  return out;
}

// ---- metric statuses -------------------------------------------------------

function metricStatusV2ToV1(m: Json): Json {
  const out: Json = { type: m.type ?? '' };
  if (isObj(m.object)) {
    const current = obj(m.object.current);
    const metric = obj(m.object.metric);
    const o: Json = { target: crossRef(m.object.describedObject), metricName: metric.name ?? '', currentValue: quantity(current, 'value') };
    copy(o, 'selector', metric);
    copy(o, 'averageValue', current);
    out.object = o;
  }
  if (isObj(m.pods)) {
    const current = obj(m.pods.current);
    const metric = obj(m.pods.metric);
    const o: Json = { metricName: metric.name ?? '', currentAverageValue: quantity(current, 'averageValue') };
    copy(o, 'selector', metric);
    out.pods = o;
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const src = m[key];
    if (!isObj(src)) continue;
    const current = obj(src.current);
    const o: Json = { name: src.name ?? '' };
    copy(o, 'currentAverageUtilization', current, 'averageUtilization');
    o.currentAverageValue = quantity(current, 'averageValue');
    if (key === 'containerResource') o.container = src.container ?? '';
    out[key] = o;
  }
  if (isObj(m.external)) {
    const current = obj(m.external.current);
    const metric = obj(m.external.metric);
    const o: Json = { metricName: metric.name ?? '' };
    copy(o, 'metricSelector', metric, 'selector');
    o.currentValue = quantity(current, 'value');
    copy(o, 'currentAverageValue', current, 'averageValue');
    out.external = o;
  }
  return out;
}

function metricStatusV1ToV2(m: Json): Json {
  const out: Json = { type: m.type ?? '' };
  if (isObj(m.object)) {
    const src = m.object;
    const current: Json = { value: quantity(src, 'currentValue') };
    copy(current, 'averageValue', src);
    out.object = { metric: identifier(src, 'metricName', 'selector'), current, describedObject: crossRef(src.target) };
  }
  if (isObj(m.pods)) {
    const src = m.pods;
    out.pods = { metric: identifier(src, 'metricName', 'selector'), current: { averageValue: quantity(src, 'currentAverageValue') } };
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const src = m[key];
    if (!isObj(src)) continue;
    const current: Json = { averageValue: quantity(src, 'currentAverageValue') };
    copy(current, 'averageUtilization', src, 'currentAverageUtilization');
    const o: Json = { name: src.name ?? '', current };
    if (key === 'containerResource') o.container = src.container ?? '';
    out[key] = o;
  }
  if (isObj(m.external)) {
    const src = m.external;
    const current: Json = { value: quantity(src, 'currentValue') };
    copy(current, 'averageValue', src, 'currentAverageValue');
    out.external = { metric: identifier(src, 'metricName', 'metricSelector'), current };
  }
  return out;
}

// ---- behavior (Go internal JSON) --------------------------------------------

/** Marshals like Go's json.Marshal of the internal (tag-less) HorizontalPodAutoscalerBehavior. */
function behaviorToGoJson(behavior: Json): Json {
  const rules = (r: unknown): Json | null => {
    if (!isObj(r)) return null;
    return {
      StabilizationWindowSeconds: has(r.stabilizationWindowSeconds) ? r.stabilizationWindowSeconds : null,
      SelectPolicy: has(r.selectPolicy) ? r.selectPolicy : null,
      Policies: Array.isArray(r.policies)
        ? arr(r.policies).map((x) => ({ Type: x.type ?? '', Value: x.value ?? 0, PeriodSeconds: x.periodSeconds ?? 0 }))
        : null,
      Tolerance: has(r.tolerance) ? r.tolerance : null,
    };
  };
  return { ScaleUp: rules(behavior.scaleUp), ScaleDown: rules(behavior.scaleDown) };
}

/** A key looked up the way Go's encoding/json matches fields: exactly, else case-insensitively. */
function goField(src: Json, name: string): unknown {
  if (name in src) return src[name];
  const lower = name.toLowerCase();
  const key = Object.keys(src).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : src[key];
}

/** Inverse of behaviorToGoJson; undefined when the annotation does not decode or is the zero behavior. */
function behaviorFromGoJson(raw: string): Json | undefined {
  const parsed = parseJson(raw);
  if (!isObj(parsed)) return undefined;
  const rules = (r: unknown): Json | undefined => {
    if (!isObj(r)) return undefined;
    const out: Json = {};
    const stabilization = goField(r, 'StabilizationWindowSeconds');
    if (has(stabilization)) out.stabilizationWindowSeconds = stabilization;
    const selectPolicy = goField(r, 'SelectPolicy');
    if (has(selectPolicy)) out.selectPolicy = selectPolicy;
    const policies = goField(r, 'Policies');
    if (Array.isArray(policies)) {
      out.policies = arr(policies).map((x) => ({
        type: goField(x, 'Type') ?? '',
        value: goField(x, 'Value') ?? 0,
        periodSeconds: goField(x, 'PeriodSeconds') ?? 0,
      }));
    }
    const tolerance = goField(r, 'Tolerance');
    if (has(tolerance)) out.tolerance = tolerance;
    return out;
  };
  const out: Json = {};
  const up = rules(goField(parsed, 'ScaleUp'));
  const down = rules(goField(parsed, 'ScaleDown'));
  if (up) out.scaleUp = up;
  if (down) out.scaleDown = down;
  return up || down ? out : undefined;
}

// ---- annotations -------------------------------------------------------------

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** An annotation holding a JSON array; null decodes as empty, anything else undecodable as absent. */
function arrayAnnotation(annotations: Json, key: string): Json[] | undefined {
  const raw = annotations[key];
  if (typeof raw !== 'string') return undefined;
  const parsed = parseJson(raw);
  if (parsed === null) return [];
  return Array.isArray(parsed) ? parsed.map(obj) : undefined;
}

/** The object with a cloned metadata whose round-trip annotations are removed. */
function dropRoundTripAnnotations(metadata: unknown): Json | undefined {
  if (!isObj(metadata)) return undefined;
  const out = clone(metadata);
  if (isObj(out.annotations)) {
    const annotations = out.annotations;
    if (ROUND_TRIP_ANNOTATIONS.some((k) => k in annotations)) {
      for (const k of ROUND_TRIP_ANNOTATIONS) delete annotations[k];
      if (Object.keys(annotations).length === 0) delete out.annotations;
    }
  }
  return out;
}

function setAnnotation(out: Json, key: string, value: unknown): void {
  const metadata = isObj(out.metadata) ? out.metadata : (out.metadata = {});
  const annotations = isObj(metadata.annotations) ? metadata.annotations : (metadata.annotations = {});
  annotations[key] = JSON.stringify(value);
}

/** Everything except spec and status (metadata gets its round-trip annotations removed). */
function head(src: Json, apiVersion: string): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'spec' || k === 'status') continue;
    out[k] = k === 'metadata' ? dropRoundTripAnnotations(v) : clone(v);
  }
  out.apiVersion = apiVersion;
  if (out.metadata === undefined) delete out.metadata;
  return out;
}

// ---- the conversions -----------------------------------------------------------

/**
 * An autoscaling/v2 HorizontalPodAutoscaler (plain JSON) as autoscaling/v1.
 * The CPU utilization target becomes targetCPUUtilizationPercentage; the other
 * metrics, the current metrics, the behavior and the conditions are kept in
 * annotations so that hpaV1ToV2 restores them.
 */
export function hpaV2ToV1(v2: Json): Json {
  const out = head(v2, 'autoscaling/v1');
  const inSpec = obj(v2.spec);
  const metrics = arr(inSpec.metrics);

  const spec: Json = { scaleTargetRef: crossRef(inSpec.scaleTargetRef) };
  copy(spec, 'minReplicas', inSpec);
  copy(spec, 'maxReplicas', inSpec);
  const cpu = metrics.find(isCpuUtilizationMetric);
  if (cpu) spec.targetCPUUtilizationPercentage = clone(obj(obj(cpu.resource).target).averageUtilization);
  out.spec = spec;

  const inStatus = obj(v2.status);
  const currentMetrics = arr(inStatus.currentMetrics);
  const conditions = arr(inStatus.conditions);
  if (isObj(v2.status)) {
    const status: Json = {};
    copy(status, 'observedGeneration', inStatus);
    copy(status, 'lastScaleTime', inStatus);
    status.currentReplicas = inStatus.currentReplicas ?? 0;
    status.desiredReplicas = inStatus.desiredReplicas ?? 0;
    // Upstream loops without break: the last CPU metric with a utilization wins.
    for (const m of currentMetrics) {
      const resource = obj(m.resource);
      if (m.type === 'Resource' && isObj(m.resource) && resource.name === 'cpu') {
        const utilization = obj(resource.current).averageUtilization;
        if (has(utilization)) status.currentCPUUtilizationPercentage = utilization;
      }
    }
    out.status = status;
  }

  const otherMetrics = metrics.filter((m) => !isCpuUtilizationMetric(m)).map(metricSpecV2ToV1);
  if (otherMetrics.length > 0) setAnnotation(out, METRIC_SPECS_ANNOTATION, otherMetrics);
  if (currentMetrics.length > 0) setAnnotation(out, METRIC_STATUSES_ANNOTATION, currentMetrics.map(metricStatusV2ToV1));
  if (isObj(inSpec.behavior)) setAnnotation(out, BEHAVIOR_ANNOTATION, behaviorToGoJson(inSpec.behavior));
  if (conditions.length > 0) setAnnotation(out, CONDITIONS_ANNOTATION, conditions);
  return out;
}

/**
 * An autoscaling/v1 HorizontalPodAutoscaler (plain JSON) as autoscaling/v2,
 * restoring what hpaV2ToV1 kept in annotations and dropping those annotations.
 * Like upstream, an object with no metric at all gets the implicit 80% CPU
 * utilization target, and the metric from targetCPUUtilizationPercentage comes
 * after the metrics restored from the annotation. Defaulting (minReplicas) is
 * not done here.
 */
export function hpaV1ToV2(v1: Json): Json {
  const out = head(v1, 'autoscaling/v2');
  const annotations = obj(obj(v1.metadata).annotations);
  const inSpec = obj(v1.spec);

  const spec: Json = { scaleTargetRef: crossRef(inSpec.scaleTargetRef) };
  copy(spec, 'minReplicas', inSpec);
  copy(spec, 'maxReplicas', inSpec);
  let metrics: Json[] = has(inSpec.targetCPUUtilizationPercentage) ? [cpuUtilizationMetric(inSpec.targetCPUUtilizationPercentage)] : [];
  const otherMetrics = arrayAnnotation(annotations, METRIC_SPECS_ANNOTATION);
  if (otherMetrics) metrics = [...otherMetrics.map(metricSpecV1ToV2), ...metrics];
  if (metrics.length === 0) metrics = [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
  spec.metrics = metrics;
  const behaviorRaw = annotations[BEHAVIOR_ANNOTATION];
  const behavior = typeof behaviorRaw === 'string' ? behaviorFromGoJson(behaviorRaw) : undefined;
  if (behavior) spec.behavior = behavior;
  out.spec = spec;

  const inStatus = obj(v1.status);
  const currentMetrics = arrayAnnotation(annotations, METRIC_STATUSES_ANNOTATION);
  const conditions = arrayAnnotation(annotations, CONDITIONS_ANNOTATION);
  if (isObj(v1.status) || currentMetrics || conditions) {
    const status: Json = {};
    copy(status, 'observedGeneration', inStatus);
    copy(status, 'lastScaleTime', inStatus);
    // v2 currentReplicas is omitempty.
    if (has(inStatus.currentReplicas) && inStatus.currentReplicas !== 0) status.currentReplicas = inStatus.currentReplicas;
    status.desiredReplicas = inStatus.desiredReplicas ?? 0;
    if (currentMetrics) {
      // The annotation has more information than currentCPUUtilizationPercentage.
      status.currentMetrics = currentMetrics.map(metricStatusV1ToV2);
    } else if (has(inStatus.currentCPUUtilizationPercentage)) {
      status.currentMetrics = [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: inStatus.currentCPUUtilizationPercentage } } },
      ];
    }
    if (conditions) status.conditions = clone(conditions);
    out.status = status;
  }
  return out;
}
