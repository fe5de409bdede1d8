// Scoring of the nodes that passed the filters, with the plugins and weights
// of Kubernetes' default profile that apply to Skiff: NodeResourcesFit
// (least allocated, weight 1), NodeResourcesBalancedAllocation (weight 1),
// TaintToleration (PreferNoSchedule taints, weight 3) and NodeAffinity
// (preferred terms, weight 2). Each plugin scores 0..100.

import type { KObject } from '../client/types.ts';
import { preferredNodeAffinityScore } from './node-affinity.ts';
import type { NodeInfo } from './node-info.ts';
import { podRequests } from './resources.ts';
import { nodeTaints, podTolerations, tolerated } from './taints.ts';

export const MAX_NODE_SCORE = 100;
const SCORED = ['cpu', 'memory'] as const;

/**
 * Least allocated: the share of each resource left free once the pod is
 * placed, averaged over cpu and memory (requests without cpu or memory
 * count 100m / 200Mi here). Worked example: 4 cpu, 1 used, pod asks 1 →
 * (4000-2000)*100/4000 = 50; 8Gi, 2Gi used, pod asks 2Gi → 50; score 50.
 */
export function leastAllocated(pod: KObject, info: NodeInfo): number {
  const req = podRequests(pod, true);
  let sum = 0;
  for (const r of SCORED) {
    const capacity = info.allocatable.get(r) ?? 0;
    const requested = (info.nonZeroRequested.get(r) ?? 0) + (req.get(r) ?? 0);
    sum += capacity === 0 || requested > capacity ? 0 : Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
  }
  return Math.floor(sum / SCORED.length);
}

/**
 * Balanced allocation: nodes whose cpu and memory would be used in equal
 * shares score higher: (1 - |cpuFraction - memoryFraction| / 2) * 100, with
 * fractions capped at 1. Example: cpu 50% and memory 10% → 80. Undefined
 * (not scored) for a pod that requests neither, as upstream skips it.
 */
export function balancedAllocation(pod: KObject, info: NodeInfo): number | undefined {
  const req = podRequests(pod);
  if (!SCORED.some((r) => (req.get(r) ?? 0) > 0)) return undefined;
  const fractions: number[] = [];
  for (const r of SCORED) {
    const capacity = info.allocatable.get(r) ?? 0;
    if (capacity === 0) continue;
    fractions.push(Math.min(1, ((info.requested.get(r) ?? 0) + (req.get(r) ?? 0)) / capacity));
  }
  const std = fractions.length === 2 ? Math.abs((fractions[0]! - fractions[1]!) / 2) : 0;
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

/** Upstream's DefaultNormalizeScore: scale to 0..100 by the highest raw score, reversed when fewer is better. */
function normalize(raw: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw);
  if (max === 0) return raw.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return raw.map((s) => {
    const scaled = Math.floor((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - scaled : scaled;
  });
}

/** Total weighted score of each node (same order as `nodes`). */
export function scoreNodes(pod: KObject, nodes: readonly NodeInfo[]): number[] {
  const tolerations = podTolerations(pod).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  const untoleratedPreferNo = nodes.map((n) => nodeTaints(n.node).filter((t) => t.effect === 'PreferNoSchedule' && !tolerated(tolerations, t)).length);
  const taintScores = normalize(untoleratedPreferNo, true);
  const affinityScores = normalize(nodes.map((n) => preferredNodeAffinityScore(pod, n.node)), false);
  return nodes.map((n, i) => leastAllocated(pod, n) + (balancedAllocation(pod, n) ?? 0) + 3 * taintScores[i]! + 2 * affinityScores[i]!);
}
