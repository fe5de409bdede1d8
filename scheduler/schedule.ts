// One scheduling decision, a pure function over a snapshot: filter the
// nodes, score those that remain, pick the best (ties broken at random, as
// upstream does, so that equal nodes share the load). When no node fits,
// the result carries Kubernetes' FitError message:
//
//   0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match
//   Pod's node affinity/selector. preemption: 0/3 nodes are available:
//   1 No preemption victims found for incoming pod, 2 Preemption is not
//   helpful for scheduling..
//
// Reasons are counted over nodes and sorted as strings. Skiff does not
// preempt, but every pod has priority 0 (there are no PriorityClasses), so
// upstream's preemption would find no lower-priority victim anywhere and
// say exactly this: "No preemption victims found" for nodes a victim could
// have helped, "Preemption is not helpful" for nodes failing an
// unresolvable filter, or "not eligible due to preemptionPolicy=Never." The
// double full stop is upstream's too (the nested message ends with one).

import type { KObject } from '../client/types.ts';
import { runFilters, type FilterFailure } from './filters.ts';
import type { NodeInfo } from './node-info.ts';
import { scoreNodes } from './scores.ts';

export const NO_NODES = 'no nodes available to schedule pods';

export type Decision = { node: string } | { unschedulable: string };

function histogram(failures: Iterable<string[]>): string[] {
  const counts = new Map<string, number>();
  for (const reasons of failures) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort();
}

/** Upstream's FitError.Error() for a pod that no node takes. */
export function fitErrorMessage(pod: KObject, failures: readonly FilterFailure[]): string {
  const msg = `0/${failures.length} nodes are available: ${histogram(failures.map((f) => f.reasons)).join(', ')}.`;
  const never = (pod.spec as { preemptionPolicy?: string } | undefined)?.preemptionPolicy === 'Never';
  const preemption = never
    ? 'not eligible due to preemptionPolicy=Never.'
    : `0/${failures.length} nodes are available: ${histogram(
        failures.map((f) => [f.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod']),
      ).join(', ')}.`;
  return `${msg} preemption: ${preemption}.`;
}

export function schedulePod(pod: KObject, nodes: readonly NodeInfo[], random: () => number = Math.random): Decision {
  if (!nodes.length) return { unschedulable: NO_NODES };
  const feasible: NodeInfo[] = [];
  const failures: FilterFailure[] = [];
  for (const n of nodes) {
    const failure = runFilters(pod, n);
    if (failure) failures.push(failure);
    else feasible.push(n);
  }
  if (!feasible.length) return { unschedulable: fitErrorMessage(pod, failures) };
  if (feasible.length === 1) return { node: feasible[0]!.name };
  const scores = scoreNodes(pod, feasible);
  // Reservoir sampling over the best-scored nodes: each of k ties wins with probability 1/k.
  let best = -1;
  let chosen = '';
  let ties = 0;
  scores.forEach((s, i) => {
    if (s > best) {
      best = s;
      chosen = feasible[i]!.name;
      ties = 1;
    } else if (s === best && random() * ++ties < 1) chosen = feasible[i]!.name;
  });
  return { node: chosen };
}
