// Pod helpers shared by the controllers that own pods (ReplicaSet, Job):
// controller references, pods from a template, and pod states as
// Kubernetes' controller utilities judge them.

import { matches, selectorFromLabelSelector } from '../api/selectors/label.ts';
import type { Informer } from '../client/informer.ts';
import type { KObject } from '../client/types.ts';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The ownerReference with controller: true, if any. */
export function controllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** An ownerReference making `owner` the controller of what carries it. */
export function controllerRef(owner: KObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** A new pod from a template, owned by `owner`, named `<prefix>-<random>` by the server. */
export function podFromTemplate(template: PodTemplate, owner: OwnerReference, generateNamePrefix: string, extraLabels: Record<string, string> = {}): KObject {
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${generateNamePrefix}-`,
      labels: { ...(meta.labels ?? {}), ...extraLabels },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [owner],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

interface PodStatus {
  phase?: string;
  conditions?: { type: string; status: string; lastTransitionTime?: string }[];
}

function statusOf(pod: KObject): PodStatus {
  return (pod.status ?? {}) as PodStatus;
}

/** Not finished and not being deleted: counts toward a controller's replicas. */
export function isPodActive(pod: KObject): boolean {
  const phase = statusOf(pod).phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** The Ready condition is True. */
export function isPodReady(pod: KObject): boolean {
  return statusOf(pod).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Ready for at least minReadySeconds at `now`. */
export function isPodAvailable(pod: KObject, minReadySeconds: number, now: Date): boolean {
  const ready = statusOf(pod).conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  if (!minReadySeconds) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now.getTime();
}

/**
 * What a controller does with an object its selector may cover
 * (ControllerRefManager.ClaimObject): keep what it controls and still
 * matches, adopt matching orphans, release what it controls that no longer
 * matches, and leave alone what another controller owns. A controller being
 * deleted neither adopts nor releases.
 */
export type ClaimAction = 'own' | 'adopt' | 'release' | 'ignore';

export function claimAction(obj: KObject, owner: KObject, selectorMatches: boolean): ClaimAction {
  const ref = controllerOf(obj);
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore';
    if (selectorMatches) return 'own';
    return ownerDeleting ? 'ignore' : 'release';
  }
  if (ownerDeleting || !selectorMatches || obj.metadata.deletionTimestamp) return 'ignore';
  if (owner.metadata.namespace && owner.metadata.namespace !== obj.metadata.namespace) return 'ignore';
  return 'adopt';
}

/** The strategic merge patch that adopts `obj` (its uid guards against a namesake). */
export function adoptPatch(obj: KObject, ref: OwnerReference): unknown {
  return { metadata: { ownerReferences: [ref], uid: obj.metadata.uid } };
}

/** The strategic merge patch that removes the owner's reference from `obj`. */
export function releasePatch(obj: KObject, ownerUid: string): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: obj.metadata.uid } };
}

/** The apps/* object of `kind` in `owners` that `ref` names, if it is still the same object (uid). */
export function resolveControllerRef(owners: Informer, kind: string, namespace: string | undefined, ref: OwnerReference): KObject | undefined {
  if (ref.kind !== kind || ref.apiVersion.split('/')[0] !== 'apps') return undefined;
  const owner = owners.get(namespace, ref.name);
  return owner?.metadata.uid === ref.uid ? owner : undefined;
}

/** The objects in `owners` (same namespace) whose non-empty selector matches `obj`'s labels: who may adopt an orphan. */
export function ownersSelecting(owners: Informer, obj: KObject): KObject[] {
  return owners.list(obj.metadata.namespace ?? '').filter((o) => {
    try {
      const sel = selectorFromLabelSelector((o.spec as { selector?: Parameters<typeof selectorFromLabelSelector>[0] } | undefined)?.selector);
      return sel.requirements.length > 0 && matches(sel, obj.metadata.labels);
    } catch {
      return false;
    }
  });
}
