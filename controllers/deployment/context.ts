// What the deployment controller's steps share: the API, events, the clock,
// and a way to look at a deployment again later.

import type { EventRecorder } from '../../client/events.ts';
import { R } from '../../client/resources.ts';
import type { Client } from '../../client/types.ts';
import { REVISION_ANNOTATION, type D } from './util.ts';

export interface Ctx {
  client: Client;
  recorder: EventRecorder;
  clock: () => Date;
  log: (msg: string, err?: unknown) => void;
  /** Syncs the deployment again after ms (0: soon, rate-limited). */
  requeueAfter(d: D, ms: number): void;
}

/**
 * Writes the deployment's status, and first its revision annotation when
 * `revisionChanged` (Kubernetes writes both through the status subresource;
 * here /status keeps metadata as stored, so the annotation is a patch of its
 * own). `d` follows the stored resourceVersion afterwards.
 */
export async function writeDeployment(ctx: Ctx, d: D, revisionChanged: boolean): Promise<void> {
  if (revisionChanged) {
    const patched = await ctx.client.patch(R.deployments, d.metadata.namespace, d.metadata.name!, 'merge', {
      metadata: { annotations: { [REVISION_ANNOTATION]: d.metadata.annotations![REVISION_ANNOTATION] } },
    });
    // A spec change in between means this pass decided on an old spec: let the next one work from the new.
    if (patched.metadata.generation !== d.metadata.generation) throw new Error(`deployment ${d.metadata.name} changed during sync`);
    d.metadata.resourceVersion = patched.metadata.resourceVersion;
  }
  const updated = await ctx.client.updateStatus(R.deployments, d);
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
}
