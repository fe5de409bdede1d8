// The delay before a Job replaces failed pods (pkg/controller/job/backoff_utils.go):
// 10s after the last failure, doubling with each failure since the last
// success, at most 10 minutes. Computed from the pods themselves on every
// sync, so it survives a controller restart as long as the pods do.

import type { Pod } from 'kubernetes-types/core/v1.js';

export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

/** When a finished pod finished: Ready turning False, else its containers' last finish, else deletion or creation. */
export function podFinishedAt(pod: Pod): number {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  if (ready?.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  let latest: number | undefined;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const at = s.state?.terminated?.finishedAt;
    if (at && (latest === undefined || Date.parse(at) > latest)) latest = Date.parse(at);
  }
  if (latest !== undefined) return latest;
  if (pod.metadata?.deletionTimestamp) return Date.parse(pod.metadata.deletionTimestamp);
  return Date.parse(pod.metadata?.creationTimestamp ?? '') || 0;
}

/** Milliseconds to wait before creating replacement pods; 0 when there is no failure to back off from. */
export function backoffRemaining(succeeded: Pod[], failed: Pod[], now: number): number {
  const lastSuccess = Math.max(-Infinity, ...succeeded.map(podFinishedAt));
  const failures = failed.map(podFinishedAt).filter((t) => t > lastSuccess);
  if (failures.length === 0) return 0;
  const lastFailure = Math.max(...failures);
  const delay = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (failures.length - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, lastFailure + delay - now);
}
