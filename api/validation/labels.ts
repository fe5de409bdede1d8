// Labels and label selectors: apimachinery/pkg/apis/meta/v1/validation and the
// selector semantics of apimachinery/pkg/labels.

import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from '../field-error.ts';
import { forbidden, invalid, required } from '../field-error.ts';
import { isQualifiedName, isValidLabelValue } from './names.ts';
import { child, index } from './path.ts';

export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(path, name, msg));
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    for (const msg of isValidLabelValue(v)) errs.push(invalid(path, v, msg));
  }
  return errs;
}

function validateRequirement(req: LabelSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push(invalid(child(path, 'operator'), req.operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(req.key, child(path, 'key')));
  values.forEach((v, i) => {
    for (const msg of isValidLabelValue(v)) errs.push(invalid(index(child(path, 'values'), i), v, msg));
  });
  return errs;
}

export function validateLabelSelector(selector: LabelSelector | undefined | null, path: string): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, child(path, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((req, i) => errs.push(...validateRequirement(req, index(child(path, 'matchExpressions'), i))));
  return errs;
}

export interface SelectorMatcher {
  /** True for the selector that selects everything ({}). */
  empty: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
}

const NOTHING: SelectorMatcher = { empty: false, matches: () => false };
const EVERYTHING: SelectorMatcher = { empty: true, matches: () => true };

/**
 * metav1.LabelSelectorAsSelector: a missing selector selects nothing, {} selects
 * everything; undefined means the selector cannot be converted (bad key, value or operator).
 */
export function labelSelectorAsMatcher(selector: LabelSelector | undefined | null): SelectorMatcher | undefined {
  if (!selector) return NOTHING;
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const exprs = selector.matchExpressions ?? [];
  if (matchLabels.length + exprs.length === 0) return EVERYTHING;
  for (const [k, v] of matchLabels) if (isQualifiedName(k).length > 0 || isValidLabelValue(v).length > 0) return undefined;
  for (const req of exprs) {
    const values = req.values ?? [];
    if (isQualifiedName(req.key).length > 0 || values.some((v) => isValidLabelValue(v).length > 0)) return undefined;
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) return undefined;
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) return undefined;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(req.operator)) return undefined;
  }
  return {
    empty: false,
    matches(labels) {
      const l = labels ?? {};
      const has = (k: string) => Object.prototype.hasOwnProperty.call(l, k);
      if (!matchLabels.every(([k, v]) => has(k) && l[k] === v)) return false;
      return exprs.every((req) => {
        const values = req.values ?? [];
        switch (req.operator) {
          case 'In':
            return has(req.key) && values.includes(l[req.key]);
          case 'NotIn':
            return !has(req.key) || !values.includes(l[req.key]);
          case 'Exists':
            return has(req.key);
          default:
            return !has(req.key);
        }
      });
    },
  };
}
