// The pods/eviction subresource (policy/v1 Eviction, policy/v1beta1 also
// accepted): a delete that a disruption budget may refuse, used by
// `kubectl drain`. As Kubernetes' EvictionREST it marks the pod with the
// DisruptionTarget condition (reason EvictionByEvictionAPI) and deletes it
// with the Eviction's deleteOptions (grace period, preconditions, dry run).
//
// PodDisruptionBudgets do not exist in Skiff yet, so no budget is ever
// consulted and an eviction is never refused with 429 TooManyRequests; when
// they come, the check belongs between reading the pod and the delete, and
// only for pods that are neither Pending, finished nor already deleting.

import { findResource } from '../../api/kinds.ts';
import { model, p, t, typeMeta } from '../../api/schema/dsl.ts';
import { DeleteOptions as DeleteOptionsModel, ObjectMeta } from '../../api/schema/meta.ts';
import { registerSubresource } from '../../client/local.ts';
import { errors, type Status } from '../errors.ts';
import { isObject, type KObject } from './object.ts';
import { bindPod, checkNames, createdStatus, setPodCondition, type PodSubresourceOptions } from './pod-binding.ts';
import type { DeleteOptions, Registry } from './registry.ts';

const PODS = findResource('', 'v1', 'pods')!;
/** Upstream reports precondition failures of the condition write on the resource "Pod". */
const POD_KIND = { group: '', resource: 'Pod' };

/** The Eviction kind, for decoding request bodies (it is not a stored resource). */
export const Eviction = model(
  'io.k8s.api.policy.v1.Eviction',
  'Eviction evicts a pod from its node subject to certain policies and safety constraints.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'ObjectMeta describes the pod that is being evicted.'),
    deleteOptions: p(2, t.ref(() => DeleteOptionsModel), 'DeleteOptions may be provided.'),
  },
  {
    gvk: [
      { group: 'policy', version: 'v1', kind: 'Eviction' },
      { group: 'policy', version: 'v1beta1', kind: 'Eviction' },
    ],
  },
);

/** The Eviction's deleteOptions as the registry takes them; dry run from the body or the request. */
function deleteOptionsOf(eviction: KObject, requestDryRun: boolean): DeleteOptions {
  const o = isObject(eviction.deleteOptions) ? eviction.deleteOptions : {};
  const grace = o.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && (typeof grace !== 'number' || !Number.isInteger(grace))) throw errors.badRequest('gracePeriodSeconds must be an integer');
  const policy = o.propagationPolicy ?? (o.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && policy !== null && !['Orphan', 'Background', 'Foreground'].includes(policy as string)) {
    throw errors.invalid('', 'DeleteOptions', '', [
      { type: 'FieldValueNotSupported', field: 'propagationPolicy', value: policy, supported: ['Foreground', 'Background', 'Orphan'], detail: '' },
    ]);
  }
  const dryRun = Array.isArray(o.dryRun) ? o.dryRun : [];
  for (const v of dryRun) if (v !== 'All') throw errors.badRequest(`Invalid dry run value: ${String(v)}`);
  const pre = isObject(o.preconditions) ? o.preconditions : {};
  return {
    gracePeriodSeconds: typeof grace === 'number' ? grace : undefined,
    propagationPolicy: (policy as DeleteOptions['propagationPolicy']) ?? undefined,
    preconditions: { uid: (pre.uid as string | undefined) || undefined, resourceVersion: (pre.resourceVersion as string | undefined) || undefined },
    dryRun: dryRun.length > 0 || requestDryRun,
  };
}

/** POST pods/{name}/eviction: deletes the pod as its Eviction asks. */
export async function evictPod(registry: Registry, namespace: string | undefined, name: string, eviction: KObject, opts: PodSubresourceOptions = {}): Promise<Status> {
  checkNames('Eviction', eviction, namespace, name);
  const del = deleteOptionsOf(eviction, opts.dryRun ?? false);
  // 404 for a missing pod before anything is written.
  await registry.get(PODS, namespace, name);
  if (!del.dryRun) {
    const now = (opts.now ?? (() => new Date()))();
    const pre = del.preconditions ?? {};
    const manager = opts.manager ? { operation: 'Update' as const, name: opts.manager, subresource: 'status' as const } : undefined;
    const updated = await registry.guaranteedUpdate(
      PODS,
      namespace,
      name,
      { manager },
      (pod) => {
        if (pre.uid && pre.uid !== pod.metadata.uid) {
          throw errors.conflict(POD_KIND, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${pod.metadata.uid}). The object might have been deleted and then recreated`);
        }
        if (pre.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
          throw errors.conflict(POD_KIND, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion}). The object might have been modified`);
        }
        const status = isObject(pod.status) ? { ...pod.status } : {};
        setPodCondition(status, { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }, now);
        return { ...pod, status };
      },
      undefined,
      'status',
    );
    // Our own write moved the resourceVersion the client named.
    if (pre.resourceVersion) del.preconditions = { ...pre, resourceVersion: updated.metadata.resourceVersion };
  }
  await registry.delete(PODS, namespace, name, del);
  return createdStatus();
}

/**
 * Registers pods/binding and pods/eviction for LocalClient.createSubresource,
 * so that components in the server's process (the scheduler) reach them
 * without HTTP. The API server calls it at start; `now` stamps condition
 * transition times.
 */
export function registerPodSubresources(now: () => Date = () => new Date()): void {
  registerSubresource('pods/binding', (registry, namespace, name, body) => bindPod(registry, namespace, name, body, { now }));
  registerSubresource('pods/eviction', (registry, namespace, name, body, manager) => evictPod(registry, namespace, name, body, { now, manager }));
}
