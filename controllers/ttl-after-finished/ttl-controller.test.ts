// The TTL-after-finished controller with the real Job controller and garbage
// collector: a finished Job goes, pods first, exactly when its TTL runs out.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { R } from '../../client/resources.ts';
import { GarbageCollector } from '../garbage-collector/garbage-collector.ts';
import { JobController } from '../job/job-controller.ts';
import { finishPod, jobManifest, podsOfJob, settle, useControllerFixture, type Harness } from '../job/test-fixture.ts';
import { TtlAfterFinishedController } from './ttl-controller.ts';

const fixture = useControllerFixture('ttl-controller');

const exists = async (h: Harness, name: string) =>
  h.client.get(R.jobs, 'default', name).then(
    () => true,
    () => false,
  );
const finished = async (h: Harness, name: string, type: string) =>
  ((await h.client.get(R.jobs, 'default', name)).status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;

async function start(h: Harness): Promise<void> {
  const jobs = new JobController(h.client, h.informers, { clock: h.clock, recorder: h.recorder, log: h.log });
  const ttl = new TtlAfterFinishedController(h.client, h.informers, { clock: h.clock, recorder: h.recorder, log: h.log });
  const gc = new GarbageCollector(h.registry, h.log);
  h.onStop(() => {
    jobs.stop();
    ttl.stop();
    gc.stop();
  });
  await jobs.start();
  await ttl.start();
  await gc.start();
}

describe('TtlAfterFinishedController', () => {
  it('deletes a finished Job and its pods ttlSecondsAfterFinished after it finished', async (t) => {
    const h = fixture.harness(t, { mockTimers: true });
    await start(h);
    await h.client.create(R.jobs, 'default', jobManifest('short', { ttlSecondsAfterFinished: 60 }));
    await h.client.create(R.jobs, 'default', jobManifest('keep'));
    await h.until('the pods', async () => (await podsOfJob(h.client, 'short')).length === 1 && (await podsOfJob(h.client, 'keep')).length === 1);
    await finishPod(h.client, (await podsOfJob(h.client, 'short'))[0], 'Succeeded', h.clock());
    await finishPod(h.client, (await podsOfJob(h.client, 'keep'))[0], 'Succeeded', h.clock());
    await h.until('both Jobs to complete', async () => (await finished(h, 'short', 'Complete')) && (await finished(h, 'keep', 'Complete')));
    const completedAt = Date.parse(((await h.client.get(R.jobs, 'default', 'short')).status as { completionTime: string }).completionTime);

    h.advance(completedAt + 60_000 - h.clock().getTime() - 1);
    await settle(100);
    assert.ok(await exists(h, 'short'), 'still there a moment before the TTL runs out');
    h.advance(1);
    await h.until('the Job to go', async () => !(await exists(h, 'short')));
    assert.deepEqual(await podsOfJob(h.client, 'short'), [], 'its pods went first (foreground deletion)');
    assert.ok(await exists(h, 'keep'), 'a Job without ttlSecondsAfterFinished stays');
    assert.equal((await podsOfJob(h.client, 'keep')).length, 1);
  });

  it('deletes a failed Job too, at once with ttlSecondsAfterFinished 0', async (t) => {
    const h = fixture.harness(t, { mockTimers: true });
    await h.client.create(R.jobs, 'default', jobManifest('bad', { ttlSecondsAfterFinished: 0, backoffLimit: 0 }));
    await start(h);
    await h.until('the pod', async () => (await podsOfJob(h.client, 'bad')).length === 1);
    await finishPod(h.client, (await podsOfJob(h.client, 'bad'))[0], 'Failed', h.clock());
    await h.until('the Job to go', async () => !(await exists(h, 'bad')));
  });
});
