// Which pods a Job owns (Kubernetes' PodControllerRefManager.ClaimPods):
// pods it controls that its selector still matches; orphans the selector
// matches are adopted (ownerReference and tracking finalizer added, unless
// the Job is being deleted); pods it controls that no longer match are
// released. Writes are merge patches guarded by the pod's resourceVersion.

import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsMatcher } from '../../api/validation/labels.ts';
import { R } from '../../client/resources.ts';
import type { Client } from '../../client/types.ts';
import { controllerOf, controllerRef } from '../pods.ts';
import { asObject, asPod, JOB_TRACKING_FINALIZER } from './job-util.ts';
import { isNotFound } from './pod-control.ts';

export async function claimPods(client: Client, job: Job, candidates: Pod[], canAdopt: () => Promise<boolean>): Promise<Pod[]> {
  const matcher = labelSelectorAsMatcher(job.spec?.selector);
  const matches = (pod: Pod) => matcher?.matches(pod.metadata?.labels ?? {}) ?? false;
  const uid = job.metadata!.uid!;
  const deleting = !!job.metadata?.deletionTimestamp;
  const claimed: Pod[] = [];
  let adoptable: boolean | undefined;
  for (const pod of candidates) {
    const ref = controllerOf(asObject(pod));
    if (ref && ref.uid !== uid) continue;
    if (ref) {
      if (matches(pod)) claimed.push(pod);
      else if (!deleting) await release(client, pod, uid);
      continue;
    }
    if (!matches(pod) || deleting || pod.metadata?.deletionTimestamp) continue;
    adoptable ??= await canAdopt();
    if (!adoptable) continue;
    const adopted = await adopt(client, job, pod);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function adopt(client: Client, job: Job, pod: Pod): Promise<Pod | undefined> {
  const finalizers = pod.metadata?.finalizers ?? [];
  try {
    return asPod(
      await client.patch(R.pods, pod.metadata!.namespace, pod.metadata!.name!, 'merge', {
        metadata: {
          resourceVersion: pod.metadata!.resourceVersion,
          ownerReferences: [...(pod.metadata?.ownerReferences ?? []), controllerRef(asObject(job), 'batch/v1', 'Job')],
          finalizers: finalizers.includes(JOB_TRACKING_FINALIZER) ? finalizers : [...finalizers, JOB_TRACKING_FINALIZER],
        },
      }),
    );
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function release(client: Client, pod: Pod, uid: string): Promise<void> {
  try {
    await client.patch(R.pods, pod.metadata!.namespace, pod.metadata!.name!, 'merge', {
      metadata: {
        resourceVersion: pod.metadata!.resourceVersion,
        ownerReferences: (pod.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid),
        finalizers: (pod.metadata?.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER),
      },
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
