// apps/v1 Deployment and ReplicaSet (pkg/apis/apps/validation, with the
// apps/v1 rule that a selector cannot change after creation).

import type { Deployment, DeploymentStrategy, ReplicaSet, RollingUpdateDeployment } from 'kubernetes-types/apps/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { forbidden, invalid, notSupported, required } from '../field-error.ts';
import { isValidPercent } from './formats.ts';
import type { SelectorMatcher } from './labels.ts';
import { labelSelectorAsMatcher, validateLabelSelector } from './labels.ts';
import { nameIsDnsSubdomain } from './names.ts';
import { validateImmutableField, validateNonnegativeField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { child } from './path.ts';
import { validatePodTemplateSpec } from './pod-spec.ts';

/** The pod template of a ReplicaSet or Deployment: selected by the selector, restartPolicy Always. */
function validateTemplateForReplicaSet(template: PodTemplateSpec | undefined, matcher: SelectorMatcher, path: string): FieldError[] {
  const t = template ?? {};
  const errs: FieldError[] = [];
  if (!matcher.empty && !matcher.matches(t.metadata?.labels)) {
    errs.push(invalid(child(path, 'metadata', 'labels'), t.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(t, path, { restartPolicyRequired: true }));
  const policy = t.spec?.restartPolicy;
  if (policy !== 'Always') errs.push(notSupported(child(path, 'spec', 'restartPolicy'), policy ?? '', ['Always']));
  if (t.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden(child(path, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

function validateSelectorAndTemplate(spec: { selector?: LabelSelector; template?: PodTemplateSpec }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = child(path, 'selector');
  if (!spec.selector) {
    errs.push(required(selPath));
  } else {
    errs.push(...validateLabelSelector(spec.selector, selPath));
    const n = Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions ?? []).length;
    if (n === 0) errs.push(invalid(selPath, spec.selector, 'empty selector is invalid for deployment'));
  }
  const matcher = labelSelectorAsMatcher(spec.selector);
  if (!matcher) errs.push(invalid(selPath, spec.selector, 'invalid label selector'));
  else errs.push(...validateTemplateForReplicaSet(spec.template, matcher, child(path, 'template')));
  return errs;
}

// intstr's value: a number, a percent's number, or a numeric string (else 0), as upstream reads it.
function intOrPercent(v: number | string | undefined): number {
  if (typeof v === 'number') return v;
  if (v === undefined) return 0;
  if (isValidPercent(v).length === 0) return Number(v.slice(0, -1));
  return /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
}

function validatePositiveIntOrPercent(v: number | string | undefined, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((msg) => invalid(path, v, msg));
  return validateNonnegativeField(v, path);
}

function validateRollingUpdate(ru: RollingUpdateDeployment, path: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, child(path, 'maxUnavailable')),
    ...validatePositiveIntOrPercent(ru.maxSurge, child(path, 'maxSurge')),
  ];
  if (intOrPercent(ru.maxUnavailable) === 0 && intOrPercent(ru.maxSurge) === 0) {
    errs.push(invalid(child(path, 'maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  if (typeof ru.maxUnavailable === 'string' && isValidPercent(ru.maxUnavailable).length === 0 && intOrPercent(ru.maxUnavailable) > 100) {
    errs.push(invalid(child(path, 'maxUnavailable'), ru.maxUnavailable, 'must not be greater than 100%'));
  }
  return errs;
}

function validateStrategy(strategy: DeploymentStrategy | undefined, path: string): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate ? [forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      return s.rollingUpdate
        ? validateRollingUpdate(s.rollingUpdate, child(path, 'rollingUpdate'))
        : [required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
    default:
      return [notSupported(path, s, ['Recreate', 'RollingUpdate'])];
  }
}

export function validateDeployment(d: Deployment, old?: Deployment): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(d.metadata, old.metadata)
    : validateObjectMeta(d.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  const spec = d.spec ?? { selector: undefined as unknown as LabelSelector, template: {} };
  errs.push(...validateNonnegativeField(spec.replicas, 'spec.replicas'));
  errs.push(...validateSelectorAndTemplate(spec, 'spec'));
  errs.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  errs.push(...validateNonnegativeField(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegativeField(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...validateNonnegativeField(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) errs.push(...validateImmutableField(spec.selector, old.spec?.selector, 'spec.selector'));
  return errs;
}

export function validateReplicaSet(rs: ReplicaSet, old?: ReplicaSet): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(rs.metadata, old.metadata)
    : validateObjectMeta(rs.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  const spec = rs.spec ?? { selector: undefined as unknown as LabelSelector };
  errs.push(...validateNonnegativeField(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonnegativeField(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(spec, 'spec'));
  if (old) errs.push(...validateImmutableField(spec.selector, old.spec?.selector, 'spec.selector'));
  return errs;
}
