// Label selectors as k8s.io/apimachinery/pkg/labels implements them: the string
// grammar of `?labelSelector=` and `kubectl -l`, the metav1.LabelSelector of
// object specs, matching, and the canonical string form (requirements sorted by
// key, set values sorted) that the Selector column and Scale status.selector show.

import type { LabelSelector as K8sLabelSelector } from 'kubernetes-types/meta/v1.js';
import { SelectorError } from './selector-error.ts';
import { goQuote } from './go-format.ts';
import { parseRequirements } from './label-parser.ts';
import { newRequirement, requirementMatches, requirementString, type LabelOperator, type LabelRequirement } from './label-requirement.ts';

export type { LabelOperator, LabelRequirement } from './label-requirement.ts';

export interface LabelSelector {
  /** ANDed; sorted by key. */
  readonly requirements: readonly LabelRequirement[];
  /** The selector of an absent metav1.LabelSelector: it matches nothing. */
  readonly matchesNothing: boolean;
}

export const EVERYTHING: LabelSelector = { requirements: [], matchesNothing: false };
export const NOTHING: LabelSelector = { requirements: [], matchesNothing: true };

function sortByKey(reqs: LabelRequirement[]): LabelRequirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * labels.Parse: "a=b", "a==b", "a!=b", "a in (x,y)", "a notin (x)", "a", "!a",
 * "a>1", "a<1", comma-separated; whitespace between tokens is ignored.
 * Throws SelectorError with Kubernetes' message.
 */
export function parseLabelSelector(s: string): LabelSelector {
  return { requirements: sortByKey(parseRequirements(s)), matchesNothing: false };
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: absent → matches nothing; no labels and no
 * expressions → matches everything. Throws SelectorError for an unknown
 * operator or invalid keys and values.
 */
export function selectorFromLabelSelector(ls: K8sLabelSelector | null | undefined): LabelSelector {
  if (ls === null || ls === undefined) return NOTHING;
  const labels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (labels.length + expressions.length === 0) return EVERYTHING;
  const requirements: LabelRequirement[] = [];
  const add = (r: LabelRequirement | string): void => {
    if (typeof r === 'string') throw new SelectorError(r);
    requirements.push(r);
  };
  for (const [k, v] of labels) add(newRequirement(k, '=', [v]));
  for (const expr of expressions) {
    const operator = EXPRESSION_OPERATORS[expr.operator];
    if (operator === undefined) throw new SelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    add(newRequirement(expr.key, operator, expr.values?.length ? expr.values : null));
  }
  return { requirements: sortByKey(requirements), matchesNothing: false };
}

export function matches(sel: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (sel.matchesNothing) return false;
  const set = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, set));
}

/** True when the selector does not restrict (the "nothing" selector does). */
export function isEmpty(sel: LabelSelector): boolean {
  return !sel.matchesNothing && sel.requirements.length === 0;
}

/** Selector.String() of a parsed selector: "app=web,tier in (a,b),!canary"; "" when it has no requirements. */
export function stringifySelector(sel: LabelSelector): string {
  return sel.requirements.map(requirementString).join(',');
}

/**
 * The string of a metav1.LabelSelector, as Scale status.selector carries it:
 * "app=web,pod-template-hash=5d4f"; "" when absent or empty. Throws SelectorError if invalid.
 */
export function selectorToString(ls: K8sLabelSelector | null | undefined): string {
  return stringifySelector(selectorFromLabelSelector(ls));
}

/** metav1.FormatLabelSelector, the printers' Selector column: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(ls: K8sLabelSelector | null | undefined): string {
  try {
    return selectorToString(ls) || '<none>';
  } catch (e) {
    if (e instanceof SelectorError) return '<error>';
    throw e;
  }
}

/** labels.FormatLabels of a plain map (a Service selector): "a=b,c=d" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | null | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels?.[k]}`).join(',');
}
