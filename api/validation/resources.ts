// Compute resources of containers (ResourceRequirements): resource names,
// quantities, requests against limits. pkg/apis/core/validation and core/helper.

import type { ResourceRequirements } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { forbidden, invalid, required } from '../field-error.ts';
import { IS_NEGATIVE_ERROR_MSG, IS_NOT_INTEGER_ERROR_MSG } from './messages.ts';
import { isQualifiedName } from './names.ts';
import { child, key } from './path.ts';
import { formatQuantity, parseQuantityWithFormat, QUANTITY_FORMAT_ERROR } from './quantity.ts';
import type { ParsedQuantity } from './quantity.ts';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);
const INTEGER_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

const isHugePages = (name: string) => name.startsWith('hugepages-');
/** Kubernetes' own resources: no domain prefix, or a kubernetes.io one. */
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');

/** Extended resources: domain-prefixed, outside kubernetes.io (e.g. example.com/gpu). */
export function isExtendedResourceName(name: string): boolean {
  if (isNative(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Whether requests may be lower than limits (not for extended resources or hugepages). */
export function isOvercommitAllowed(name: string): boolean {
  return isNative(name) && !isHugePages(name);
}

function isIntegerResource(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
    errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  return errs;
}

export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNative(name) && !isExtendedResourceName(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function quantityErrors(name: string, raw: unknown, path: string): { q?: ParsedQuantity; errs: FieldError[] } {
  const q = typeof raw === 'string' || typeof raw === 'number' ? parseQuantityWithFormat(raw) : undefined;
  if (!q) return { errs: [invalid(path, raw, QUANTITY_FORMAT_ERROR)] };
  const errs: FieldError[] = [];
  if (q.value < 0) errs.push(invalid(path, formatQuantity(q.value, q.format), IS_NEGATIVE_ERROR_MSG));
  if (isIntegerResource(name) && !Number.isInteger(q.value)) errs.push(invalid(path, formatQuantity(q.value, q.format), IS_NOT_INTEGER_ERROR_MSG));
  if (isHugePages(name)) {
    const size = parseQuantityWithFormat(name.slice('hugepages-'.length))?.value;
    if (!size || q.value <= 0 || q.value % size !== 0) {
      errs.push(invalid(path, formatQuantity(q.value, q.format), `${formatQuantity(q.value, q.format)} is not positive integer multiple of ${name}`));
    }
  }
  return { q, errs };
}

/** Checks a quantity value for a resource (non-negative; whole for integer resources). */
export function validateResourceQuantityValue(name: string, raw: unknown, path: string): FieldError[] {
  return quantityErrors(name, raw, path).errs;
}

export function validateResourceRequirements(req: ResourceRequirements | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits = req?.limits ?? {};
  const requests = req?.requests ?? {};
  const limitValues = new Map<string, ParsedQuantity>();
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, raw] of Object.entries(limits)) {
    const p = key(limPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const got = quantityErrors(name, raw, p);
    errs.push(...got.errs);
    if (got.q) limitValues.set(name, got.q);
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
    if (isHugePages(name)) hugePages = true;
  }
  for (const [name, raw] of Object.entries(requests)) {
    const p = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const got = quantityErrors(name, raw, p);
    errs.push(...got.errs);
    const limit = limitValues.get(name);
    if (got.q && limit) {
      const shown = formatQuantity(got.q.value, got.q.format);
      const limitShown = formatQuantity(limit.value, limit.format);
      if (got.q.value !== limit.value && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, shown, `must be equal to ${name} limit of ${limitShown}`));
      } else if (got.q.value > limit.value) {
        errs.push(invalid(reqPath, shown, `must be less than or equal to ${name} limit of ${limitShown}`));
      }
    } else if (!(name in limits) && !isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
    if (isHugePages(name)) hugePages = true;
  }
  if (hugePages && !cpuOrMemory) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}
