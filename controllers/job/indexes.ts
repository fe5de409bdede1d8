// Completion indexes of Indexed Jobs: the index a pod carries in its
// annotation, and status.completedIndexes in its interval form "1,3-5,7"
// (pkg/controller/job/indexed_job_utils.go).

import type { Pod } from 'kubernetes-types/core/v1.js';
import { COMPLETION_INDEX_KEY } from './job-util.ts';

/** The pod's completion index, or undefined when it has none or a malformed one. */
export function completionIndex(pod: Pod): number | undefined {
  const v = pod.metadata?.annotations?.[COMPLETION_INDEX_KEY];
  if (v === undefined || !/^(0|[1-9][0-9]*)$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parses "1,3-5,7", keeping indexes below `completions`; malformed parts are skipped. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  if (!s) return out;
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const first = Number(m[1]);
    const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
    for (let i = first; i <= last; i++) out.add(i);
  }
  return out;
}

/** Formats indexes as sorted intervals: [0,1,2,4] -> "0-2,4". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * spec.successPolicy of an Indexed Job (upstream matchSuccessPolicy): the
 * message of the first rule the succeeded indexes meet, if any. A rule names
 * indexes that must all succeed (or succeededCount of them), or only a count.
 */
export function matchSuccessPolicy(
  policy: { rules: { succeededIndexes?: string; succeededCount?: number }[] } | undefined,
  completions: number,
  succeeded: Set<number>,
): string | undefined {
  if (!policy || succeeded.size === 0) return undefined;
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.size === 0) continue;
      const met = [...required].filter((i) => succeeded.has(i)).length;
      if (rule.succeededCount === undefined ? met === required.size : met >= rule.succeededCount) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && succeeded.size >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
