// autoscaling/v2 HorizontalPodAutoscaler (pkg/apis/autoscaling/validation).

import type {
  CrossVersionObjectReference,
  HPAScalingRules,
  HorizontalPodAutoscaler,
  MetricIdentifier,
  MetricSpec,
  MetricTarget,
} from 'kubernetes-types/autoscaling/v2.js';
import type { FieldError } from '../field-error.ts';
import { forbidden, invalid, notSupported, required } from '../field-error.ts';
import { isPathSegmentName, nameIsDnsSubdomain } from './names.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { child, index } from './path.ts';
import { parseQuantity } from './quantity.ts';
import { validateContainerResourceName } from './resources.ts';

export const MAX_PERIOD_SECONDS = 1800;
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

export function validateCrossVersionObjectReference(ref: CrossVersionObjectReference | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['kind', 'name'] as const) {
    const v = ref?.[f] ?? '';
    if (!v) errs.push(required(child(path, f)));
    else errs.push(...isPathSegmentName(v).map((msg) => invalid(child(path, f), v, msg)));
  }
  return errs;
}

function validateMetricIdentifier(id: MetricIdentifier | undefined, path: string): FieldError[] {
  const name = id?.name ?? '';
  if (!name) return [required(child(path, 'name'), 'must specify a metric name')];
  return isPathSegmentName(name).map((msg) => invalid(child(path, 'name'), name, msg));
}

function validateMetricTarget(mt: MetricTarget | undefined, path: string): FieldError[] {
  const t = mt ?? ({} as MetricTarget);
  const errs: FieldError[] = [];
  if (!t.type) errs.push(required(child(path, 'type'), 'must specify a metric target type'));
  if (t.type !== 'Utilization' && t.type !== 'Value' && t.type !== 'AverageValue') {
    errs.push(invalid(child(path, 'type'), t.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  }
  for (const f of ['value', 'averageValue'] as const) {
    const raw = t[f];
    if (raw !== undefined && !((parseQuantity(raw) ?? 0) > 0)) errs.push(invalid(child(path, f), raw, 'must be positive'));
  }
  if (t.averageUtilization !== undefined && t.averageUtilization < 1) {
    errs.push(invalid(child(path, 'averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function validateResourceTarget(target: MetricTarget | undefined, path: string): FieldError[] {
  const errs = validateMetricTarget(target, child(path, 'target'));
  if (target?.averageUtilization === undefined && target?.averageValue === undefined) {
    errs.push(required(child(path, 'target', 'averageUtilization'), 'must set either a target raw value or a target utilization'));
  }
  if (target?.averageUtilization !== undefined && target.averageValue !== undefined) {
    errs.push(forbidden(child(path, 'target', 'averageValue'), 'may not set both a target raw value and a target utilization'));
  }
  return errs;
}

function validateSource(spec: MetricSpec, field: string, path: string): FieldError[] {
  const p = child(path, field);
  switch (field) {
    case 'object': {
      const src = spec.object!;
      const errs = [
        ...validateCrossVersionObjectReference(src.describedObject, child(p, 'describedObject')),
        ...validateMetricIdentifier(src.metric, child(p, 'metric')),
        ...validateMetricTarget(src.target, child(p, 'target')),
      ];
      if (src.target?.value === undefined && src.target?.averageValue === undefined) {
        errs.push(required(child(p, 'target', 'averageValue'), 'must set either a target value or averageValue'));
      }
      return errs;
    }
    case 'external': {
      const src = spec.external!;
      const errs = [...validateMetricIdentifier(src.metric, child(p, 'metric')), ...validateMetricTarget(src.target, child(p, 'target'))];
      if (src.target?.value === undefined && src.target?.averageValue === undefined) {
        errs.push(required(child(p, 'target', 'averageValue'), 'must set either a target value for metric or a per-pod target'));
      }
      if (src.target?.value !== undefined && src.target.averageValue !== undefined) {
        errs.push(forbidden(child(p, 'target', 'value'), 'may not set both a target value for metric and a per-pod target'));
      }
      return errs;
    }
    case 'pods': {
      const src = spec.pods!;
      const errs = [...validateMetricIdentifier(src.metric, child(p, 'metric')), ...validateMetricTarget(src.target, child(p, 'target'))];
      if (src.target?.averageValue === undefined) errs.push(required(child(p, 'target', 'averageValue'), 'must specify a positive target averageValue'));
      return errs;
    }
    case 'resource': {
      const src = spec.resource!;
      const errs = src.name ? validateContainerResourceName(src.name, child(p, 'name')) : [required(child(p, 'name'), 'must specify a resource name')];
      return [...errs, ...validateResourceTarget(src.target, p)];
    }
    default: {
      const src = spec.containerResource!;
      const errs = src.name ? validateContainerResourceName(src.name, child(p, 'name')) : [required(child(p, 'name'), 'must specify a resource name')];
      if (!src.container) errs.push(required(child(p, 'container'), 'must specify a container'));
      return [...errs, ...validateResourceTarget(src.target, p)];
    }
  }
}

const FIELD_OF_TYPE: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
  External: 'external',
};

function validateMetricSpec(spec: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.type) errs.push(required(child(path, 'type'), 'must specify a metric source type'));
  const present = ['object', 'external', 'pods', 'resource', 'containerResource'].filter((f) => (spec as unknown as Record<string, unknown>)[f] !== undefined);
  if (present.length > 0) errs.push(...validateSource(spec, present[0], path));
  const expected = FIELD_OF_TYPE[spec.type];
  if (!expected) errs.push(notSupported(child(path, 'type'), spec.type ?? '', SOURCE_TYPES));
  else if (!present.includes(expected)) errs.push(required(child(path, expected), 'must populate information for the given metric source'));
  if (present.length !== 1) for (const f of present.filter((f) => f !== expected)) errs.push(forbidden(child(path, f), 'must populate the given metric source only'));
  return errs;
}

function validateScalingRules(rules: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (w !== undefined && w < 0) errs.push(invalid(child(path, 'stabilizationWindowSeconds'), w, 'must be greater than or equal to zero'));
  if (w !== undefined && w > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(invalid(child(path, 'stabilizationWindowSeconds'), w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy)) {
    errs.push(notSupported(child(path, 'selectPolicy'), rules.selectPolicy, SELECT_POLICIES));
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(required(child(path, 'policies'), 'must specify at least one Policy'));
  policies.forEach((policy, i) => {
    const p = index(child(path, 'policies'), i);
    if (!POLICY_TYPES.includes(policy.type)) errs.push(notSupported(child(p, 'type'), policy.type, POLICY_TYPES));
    if (policy.value <= 0) errs.push(invalid(child(p, 'value'), policy.value, 'must be greater than zero'));
    if (policy.periodSeconds <= 0) errs.push(invalid(child(p, 'periodSeconds'), policy.periodSeconds, 'must be greater than zero'));
    if (policy.periodSeconds > MAX_PERIOD_SECONDS) {
      errs.push(invalid(child(p, 'periodSeconds'), policy.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
    }
  });
  return errs;
}

export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler, old?: HorizontalPodAutoscaler): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(hpa.metadata, old.metadata) : validateObjectMeta(hpa.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  const spec = hpa.spec ?? ({ maxReplicas: 0 } as NonNullable<HorizontalPodAutoscaler['spec']>);
  if (spec.minReplicas !== undefined && spec.minReplicas < 1) errs.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if ((spec.maxReplicas ?? 0) < 1) errs.push(invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  if (spec.minReplicas !== undefined && (spec.maxReplicas ?? 0) < spec.minReplicas) {
    errs.push(invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than or equal to `minReplicas`'));
  }
  errs.push(...validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  (spec.metrics ?? []).forEach((m, i) => errs.push(...validateMetricSpec(m, index('spec.metrics', i))));
  if (spec.behavior) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errs;
}
