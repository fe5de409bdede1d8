// Node selection by labels and fields: spec.nodeSelector and
// spec.affinity.nodeAffinity, as Kubernetes' nodeaffinity helpers match them.
// Required terms are ORed; the requirements inside a term are ANDed; a term
// with no requirements matches nothing. Preferred terms add their weight.

import type { KObject } from '../client/types.ts';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
}

function podSpec(pod: KObject): { nodeSelector?: Record<string, string>; affinity?: { nodeAffinity?: NodeAffinity } } {
  return (pod.spec ?? {}) as never;
}

const INTEGER = /^[+-]?\d+$/;

/** One requirement against a set of labels (or of fields). */
export function requirementMatches(r: NodeSelectorRequirement, set: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(set, r.key);
  const value = set[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      // One integer value, compared with the label read as an integer; anything else matches nothing.
      if (!has || values.length !== 1 || !INTEGER.test(value!) || !INTEGER.test(values[0]!)) return false;
      const label = BigInt(value!);
      const bound = BigInt(values[0]!);
      return r.operator === 'Gt' ? label > bound : label < bound;
    }
    default:
      return false;
  }
}

/** The fields a matchFields requirement can name (only metadata.name, as upstream). */
function nodeFields(node: KObject): Record<string, string> {
  return { 'metadata.name': node.metadata.name ?? '' };
}

export function termMatches(term: NodeSelectorTerm, node: KObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  const nf = nodeFields(node);
  return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, nf));
}

/** spec.nodeSelector and the required node affinity both hold for the node. */
export function requiredNodeAffinityMatches(pod: KObject, node: KObject): boolean {
  const spec = podSpec(pod);
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** The summed weights of the preferred terms the node matches (NodeAffinity's raw score). */
export function preferredNodeAffinityScore(pod: KObject, node: KObject): number {
  let score = 0;
  for (const t of podSpec(pod).affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (t.weight && termMatches(t.preference ?? {}, node)) score += t.weight;
  }
  return score;
}
