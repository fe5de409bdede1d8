// Scheduling constraints: node/pod (anti-)affinity, tolerations and
// topology spread constraints.

import { model, p, t } from '../dsl.ts';
import { LabelSelector } from '../meta.ts';
import { CORE } from './name.ts';

export const Affinity = model(`${CORE}Affinity`, 'Affinity is a group of affinity scheduling rules.', {
  nodeAffinity: p(1, t.ref(() => NodeAffinity), 'Node affinity scheduling rules of the pod.'),
  podAffinity: p(2, t.ref(() => PodAffinity), 'Rules to co-locate the pod with other pods.'),
  podAntiAffinity: p(3, t.ref(() => PodAntiAffinity), 'Rules to keep the pod away from other pods.'),
});

export const NodeAffinity = model(`${CORE}NodeAffinity`, 'Node affinity is a group of node affinity scheduling rules.', {
  requiredDuringSchedulingIgnoredDuringExecution: p(1, t.ref(() => NodeSelector), 'Node requirements that must be met for the pod to be scheduled.'),
  preferredDuringSchedulingIgnoredDuringExecution: p(
    2,
    t.array(t.ref(() => PreferredSchedulingTerm), { listType: 'atomic' }),
    'Weighted node preferences the scheduler tries to satisfy.',
  ),
});

export const NodeSelector = model(
  `${CORE}NodeSelector`,
  'A node selector represents the union of the results of one or more label queries over a set of nodes.',
  {
    nodeSelectorTerms: p(1, t.array(t.ref(() => NodeSelectorTerm), { listType: 'atomic' }), 'Terms that are ORed.', { required: true }),
  },
);

export const NodeSelectorTerm = model(`${CORE}NodeSelectorTerm`, 'A node selector term: its requirements are ANDed; a null or empty term matches nothing.', {
  matchExpressions: p(1, t.array(t.ref(() => NodeSelectorRequirement), { listType: 'atomic' }), 'Requirements on node labels.'),
  matchFields: p(2, t.array(t.ref(() => NodeSelectorRequirement), { listType: 'atomic' }), 'Requirements on node fields.'),
});

export const NodeSelectorRequirement = model(
  `${CORE}NodeSelectorRequirement`,
  'A node selector requirement relates a key to a set of values through an operator.',
  {
    key: p(1, t.string(), 'Label or field key the requirement applies to.', { required: true }),
    operator: p(2, t.string(), 'One of In, NotIn, Exists, DoesNotExist, Gt, Lt.', { required: true }),
    values: p(3, t.array(t.string(), { listType: 'atomic' }), 'Values to compare with; a single integer for Gt and Lt.'),
  },
);

export const PreferredSchedulingTerm = model(`${CORE}PreferredSchedulingTerm`, 'A node selector term with a weight.', {
  weight: p(1, t.int32(), 'Weight of the term, 1-100.', { required: true }),
  preference: p(2, t.ref(() => NodeSelectorTerm), 'Node selector term the weight applies to.', { required: true }),
});

export const PodAffinity = model(`${CORE}PodAffinity`, 'Pod affinity is a group of inter pod affinity scheduling rules.', {
  requiredDuringSchedulingIgnoredDuringExecution: p(1, t.array(t.ref(() => PodAffinityTerm), { listType: 'atomic' }), 'Terms that must all be met.'),
  preferredDuringSchedulingIgnoredDuringExecution: p(
    2,
    t.array(t.ref(() => WeightedPodAffinityTerm), { listType: 'atomic' }),
    'Weighted terms the scheduler tries to satisfy.',
  ),
});

export const PodAntiAffinity = model(`${CORE}PodAntiAffinity`, 'Pod anti affinity is a group of inter pod anti affinity scheduling rules.', {
  requiredDuringSchedulingIgnoredDuringExecution: p(1, t.array(t.ref(() => PodAffinityTerm), { listType: 'atomic' }), 'Terms that must all be met.'),
  preferredDuringSchedulingIgnoredDuringExecution: p(
    2,
    t.array(t.ref(() => WeightedPodAffinityTerm), { listType: 'atomic' }),
    'Weighted terms the scheduler tries to satisfy.',
  ),
});

export const PodAffinityTerm = model(
  `${CORE}PodAffinityTerm`,
  'Defines a set of pods that this pod should be co-located (affinity) or not co-located (anti-affinity) with.',
  {
    labelSelector: p(1, t.ref(() => LabelSelector), 'Label query over pods.'),
    namespaces: p(2, t.array(t.string(), { listType: 'atomic' }), 'Namespaces the term applies to; the pod namespace when empty.'),
    topologyKey: p(3, t.string(), 'Node label whose value defines co-location.', { required: true }),
    namespaceSelector: p(4, t.ref(() => LabelSelector), 'Label query over namespaces the term applies to.'),
    matchLabelKeys: p(5, t.array(t.string(), { listType: 'atomic' }), 'Pod label keys whose values from this pod are added to labelSelector with In.'),
    mismatchLabelKeys: p(6, t.array(t.string(), { listType: 'atomic' }), 'Pod label keys whose values from this pod are added to labelSelector with NotIn.'),
  },
);

export const WeightedPodAffinityTerm = model(`${CORE}WeightedPodAffinityTerm`, 'A pod affinity term with a weight.', {
  weight: p(1, t.int32(), 'Weight of the term, 1-100.', { required: true }),
  podAffinityTerm: p(2, t.ref(() => PodAffinityTerm), 'Pod affinity term the weight applies to.', { required: true }),
});

export const Toleration = model(
  `${CORE}Toleration`,
  'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the operator.',
  {
    key: p(1, t.string(), 'Taint key the toleration applies to; empty matches all keys.'),
    operator: p(2, t.string(), 'Relationship of key to value: Equal (default) or Exists.'),
    value: p(3, t.string(), 'Taint value the toleration matches.'),
    effect: p(4, t.string(), 'Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.'),
    tolerationSeconds: p(5, t.int64(), 'How long a NoExecute taint is tolerated before eviction.'),
  },
);

export const TopologySpreadConstraint = model(
  `${CORE}TopologySpreadConstraint`,
  'TopologySpreadConstraint specifies how to spread matching pods among the given topology.',
  {
    maxSkew: p(1, t.int32(), 'Maximum permitted difference in matching pods between topology domains.', { required: true }),
    topologyKey: p(2, t.string(), 'Node label key defining the topology domains.', { required: true }),
    whenUnsatisfiable: p(3, t.string(), 'What to do when the constraint cannot be met: DoNotSchedule or ScheduleAnyway.', {
      required: true,
    }),
    labelSelector: p(4, t.ref(() => LabelSelector), 'Label query selecting the pods that are counted.'),
    minDomains: p(5, t.int32(), 'Minimum number of eligible domains.'),
    nodeAffinityPolicy: p(6, t.string(), 'Whether node affinity is honored when computing skew: Honor or Ignore.'),
    nodeTaintsPolicy: p(7, t.string(), 'Whether node taints are honored when computing skew: Honor or Ignore.'),
    matchLabelKeys: p(8, t.array(t.string(), { listType: 'atomic' }), 'Pod label keys whose values from this pod are ANDed with labelSelector.'),
  },
);
