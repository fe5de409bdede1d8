// The Job controller over a real registry: the test plays the kubelet by
// finishing pods through the status subresource.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { GarbageCollector } from '../garbage-collector/garbage-collector.ts';
import { isPodActive } from '../pods.ts';
import { JobController } from './job-controller.ts';
import { eventsFor, finishPod, jobManifest, podsOfJob, useControllerFixture, type Harness } from './test-fixture.ts';

const fixture = useControllerFixture('job-controller');

async function startController(t: TestContext, opts: { mockTimers?: boolean } = {}): Promise<{ h: Harness; c: JobController }> {
  const h = fixture.harness(t, opts);
  const c = new JobController(h.client, h.informers, { clock: h.clock, recorder: h.recorder, log: h.log });
  h.onStop(() => c.stop());
  await c.start();
  return { h, c };
}

const getJob = (h: Harness, name: string) => h.client.get(R.jobs, 'default', name);
const status = (job: KObject) => (job.status ?? {}) as Record<string, unknown> & { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
const conditionTypes = (job: KObject) => (status(job).conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);
const activePods = async (h: Harness, job: string) => (await podsOfJob(h.client, job)).filter(isPodActive);

describe('JobController', () => {
  it('runs completions 3 with parallelism 2 to Complete, never more than 2 pods at once', async (t) => {
    const { h } = await startController(t);
    // Every pod change the informer sees: the number of active pods of the Job at that moment.
    let maxActive = 0;
    const podCache = h.informers.for(R.pods);
    const watchActive = () => {
      const n = podCache.list('default').filter((p) => p.metadata.labels?.['job-name'] === 'pi' && isPodActive(p)).length;
      maxActive = Math.max(maxActive, n);
    };
    podCache.addHandler({ add: watchActive, update: watchActive, delete: watchActive });
    const created = await h.client.create(R.jobs, 'default', jobManifest('pi', { completions: 3, parallelism: 2 }));
    for (const want of [2, 2, 1]) {
      await h.until(`${want} active pods`, async () => (await activePods(h, 'pi')).length === want);
      await finishPod(h.client, (await activePods(h, 'pi'))[0], 'Succeeded', h.clock());
    }
    await h.until('the Job to complete', async () => conditionTypes(await getJob(h, 'pi')).includes('Complete'));
    assert.equal(maxActive, 2);

    const job = await getJob(h, 'pi');
    const s = status(job);
    assert.equal(s.succeeded, 3);
    assert.equal(s.active, undefined, 'active 0 is omitted');
    assert.equal(s.ready, 0);
    assert.equal(s.terminating, 0);
    assert.deepEqual(s.uncountedTerminatedPods, {});
    assert.equal(s.startTime, '2024-05-01T10:00:00Z');
    assert.equal(s.completionTime, '2024-05-01T10:00:00Z');
    assert.deepEqual(
      s.conditions!.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
        ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ],
    );

    const pods = await podsOfJob(h.client, 'pi');
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.equal(pod.metadata.generateName, 'pi-');
      assert.match(pod.metadata.name!, /^pi-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata.finalizers ?? [], [], 'counted pods lose the tracking finalizer');
      assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      const labels = pod.metadata.labels!;
      assert.equal(labels['batch.kubernetes.io/controller-uid'], created.metadata.uid);
      assert.equal(labels['controller-uid'], created.metadata.uid);
      assert.equal(labels['batch.kubernetes.io/job-name'], 'pi');
      assert.equal(labels['job-name'], 'pi');
    }
    await h.recorder.flush();
    const events = await eventsFor(h.client, 'pi');
    assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 3);
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && /^Created pod: pi-[a-z0-9]{5}$/.test(e.message)));
    assert.deepEqual(events.find((e) => e.reason === 'Completed'), { reason: 'Completed', message: 'Job completed', type: 'Normal' });
  });

  it('puts the tracking finalizer on running pods', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.jobs, 'default', jobManifest('one'));
    await h.until('a pod', async () => (await podsOfJob(h.client, 'one')).length === 1);
    const [pod] = await podsOfJob(h.client, 'one');
    assert.deepEqual(pod.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    await h.until('status.active', async () => status(await getJob(h, 'one')).active === 1);
  });

  it('stops a failing Job at backoffLimit, waiting out the pod failure back-off between attempts', async (t) => {
    const { h } = await startController(t, { mockTimers: true });
    await h.client.create(R.jobs, 'default', jobManifest('flaky', { backoffLimit: 1 }));
    await h.until('the first pod', async () => (await activePods(h, 'flaky')).length === 1);
    await finishPod(h.client, (await activePods(h, 'flaky'))[0], 'Failed', h.clock());
    await h.until('the failure to be counted', async () => status(await getJob(h, 'flaky')).failed === 1);
    assert.equal((await activePods(h, 'flaky')).length, 0, 'no replacement before the 10s back-off');
    h.advance(10_000);
    await h.until('the second pod', async () => (await activePods(h, 'flaky')).length === 1);
    await finishPod(h.client, (await activePods(h, 'flaky'))[0], 'Failed', h.clock());
    await h.until('the Job to fail', async () => conditionTypes(await getJob(h, 'flaky')).includes('Failed'));

    const job = await getJob(h, 'flaky');
    assert.equal(status(job).failed, 2);
    assert.equal(status(job).succeeded, undefined);
    assert.equal(status(job).completionTime, undefined);
    assert.deepEqual(
      status(job).conditions!.map((c) => [c.type, c.reason, c.message]),
      [
        ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
        ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ],
    );
    h.advance(60_000);
    await h.until('quiet', async () => true);
    assert.equal((await podsOfJob(h.client, 'flaky')).length, 2, 'no pod after the Job failed');
    await h.recorder.flush();
    const events = await eventsFor(h.client, 'flaky');
    assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'BackoffLimitExceeded' && e.message === 'Job has reached the specified backoff limit'));
  });

  it('fails a Job past activeDeadlineSeconds and deletes its running pods', async (t) => {
    const { h } = await startController(t, { mockTimers: true });
    await h.client.create(R.jobs, 'default', jobManifest('slow', { parallelism: 2, completions: 4, activeDeadlineSeconds: 30 }));
    await h.until('two pods', async () => (await activePods(h, 'slow')).length === 2);
    h.advance(29_000);
    await h.until('quiet', async () => true);
    assert.ok(!conditionTypes(await getJob(h, 'slow')).includes('FailureTarget'), 'not before the deadline');
    h.advance(1_000);
    await h.until('the Job to fail', async () => conditionTypes(await getJob(h, 'slow')).includes('Failed'));
    const job = await getJob(h, 'slow');
    const failed = status(job).conditions!.find((c) => c.type === 'Failed')!;
    assert.equal(failed.reason, 'DeadlineExceeded');
    assert.equal(failed.message, 'Job was active longer than specified deadline');
    assert.equal(status(job).failed, 2, 'pods stopped by the deadline count as failed');
    assert.deepEqual(await podsOfJob(h.client, 'slow'), [], 'unscheduled pods go as soon as their finalizer is removed');
  });

  it('runs an Indexed Job: one pod per index with its annotation, label, hostname and JOB_COMPLETION_INDEX', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.jobs, 'default', jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    await h.until('three pods', async () => (await activePods(h, 'idx')).length === 3);
    const pods = await activePods(h, 'idx');
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations!['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    for (const [ix, pod] of byIndex) {
      assert.equal(pod.metadata.labels!['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(pod.metadata.generateName, `idx-${ix}-`);
      const spec = pod.spec as { hostname: string; containers: { env: unknown[] }[] };
      assert.equal(spec.hostname, `idx-${ix}`);
      assert.deepEqual(spec.containers[0].env, [
        { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      ]);
    }
    await finishPod(h.client, byIndex.get('0')!, 'Succeeded', h.clock());
    await finishPod(h.client, byIndex.get('2')!, 'Succeeded', h.clock());
    await h.until('indexes 0 and 2', async () => status(await getJob(h, 'idx')).completedIndexes === '0,2');
    assert.equal(status(await getJob(h, 'idx')).succeeded, 2);
    await finishPod(h.client, byIndex.get('1')!, 'Succeeded', h.clock());
    await h.until('the Job to complete', async () => conditionTypes(await getJob(h, 'idx')).includes('Complete'));
    assert.equal(status(await getJob(h, 'idx')).completedIndexes, '0-2');
    assert.equal((await podsOfJob(h.client, 'idx')).length, 3);
  });

  it('replaces a deleted pod of an Indexed Job under the same index', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.jobs, 'default', jobManifest('idx2', { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimit: 5 }));
    await h.until('two pods', async () => (await activePods(h, 'idx2')).length === 2);
    const victim = (await activePods(h, 'idx2')).find((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === '1')!;
    await h.client.delete(R.pods, 'default', victim.metadata.name!);
    await h.until('a new pod for index 1', async () =>
      (await activePods(h, 'idx2')).some((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === '1' && p.metadata.uid !== victim.metadata.uid),
    );
    await h.until('the deleted pod to be counted as failed', async () => status(await getJob(h, 'idx2')).failed === 1);
  });

  it('runs a work queue (completions unset): parallelism pods, complete once one succeeded and the rest finished', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.jobs, 'default', jobManifest('queue', { parallelism: 2 }));
    await h.until('two pods', async () => (await activePods(h, 'queue')).length === 2);
    const [a, b] = await activePods(h, 'queue');
    await finishPod(h.client, a, 'Succeeded', h.clock());
    await h.until('the success to be counted', async () => status(await getJob(h, 'queue')).succeeded === 1);
    assert.equal((await activePods(h, 'queue')).length, 1, 'no new pod after a success');
    assert.ok(!conditionTypes(await getJob(h, 'queue')).includes('Complete'), 'waits for the other pod');
    await finishPod(h.client, b, 'Succeeded', h.clock());
    await h.until('the Job to complete', async () => conditionTypes(await getJob(h, 'queue')).includes('Complete'));
    assert.equal(status(await getJob(h, 'queue')).succeeded, 2);
  });

  it('creates no pods while suspended, and starts them on resume', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.jobs, 'default', jobManifest('later', { suspend: true }));
    await h.until('the Suspended condition', async () => conditionTypes(await getJob(h, 'later')).includes('Suspended'));
    const suspended = await getJob(h, 'later');
    assert.equal(status(suspended).startTime, undefined);
    assert.deepEqual(await podsOfJob(h.client, 'later'), []);
    await h.client.patch(R.jobs, 'default', 'later', 'merge', { spec: { suspend: false } });
    await h.until('a pod', async () => (await activePods(h, 'later')).length === 1);
    await h.until('the resumed condition', async () => status(await getJob(h, 'later')).conditions!.some((c) => c.type === 'Suspended' && c.status === 'False' && c.reason === 'JobResumed'));
    assert.equal(status(await getJob(h, 'later')).startTime, '2024-05-01T10:00:00Z');
  });

  it('a restarted controller counts each finished pod once', async (t) => {
    const { h, c } = await startController(t);
    await h.client.create(R.jobs, 'default', jobManifest('twice', { completions: 2, parallelism: 2 }));
    await h.until('two pods', async () => (await activePods(h, 'twice')).length === 2);
    c.stop();
    for (const pod of await activePods(h, 'twice')) await finishPod(h.client, pod, 'Succeeded', h.clock());
    const again = new JobController(h.client, h.informers, { clock: h.clock, recorder: h.recorder });
    h.onStop(() => again.stop());
    await again.start();
    await h.until('the Job to complete', async () => conditionTypes(await getJob(h, 'twice')).includes('Complete'));
    assert.equal(status(await getJob(h, 'twice')).succeeded, 2);
    assert.equal((await podsOfJob(h.client, 'twice')).length, 2);
  });

  it('podFailurePolicy: Ignore does not count a failure, FailJob fails the Job at once', async (t) => {
    const { h } = await startController(t, { mockTimers: true });
    await h.client.create(
      R.jobs,
      'default',
      jobManifest('policy', {
        backoffLimit: 6,
        podFailurePolicy: {
          rules: [
            { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
            { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          ],
        },
      }),
    );
    await h.until('a pod', async () => (await activePods(h, 'policy')).length === 1);
    await finishPod(h.client, (await activePods(h, 'policy'))[0], 'Failed', h.clock(), { exitCode: 137, conditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    h.advance(10_000);
    await h.until('a replacement', async () => (await activePods(h, 'policy')).length === 1);
    assert.equal(status(await getJob(h, 'policy')).failed, undefined, 'an ignored failure is not counted');
    const second = (await activePods(h, 'policy'))[0];
    await finishPod(h.client, second, 'Failed', h.clock(), { exitCode: 42 });
    await h.until('the Job to fail', async () => conditionTypes(await getJob(h, 'policy')).includes('Failed'));
    const failed = status(await getJob(h, 'policy')).conditions!.find((c) => c.type === 'Failed')!;
    assert.equal(failed.reason, 'PodFailurePolicy');
    assert.equal(failed.message, `Container main for pod default/${second.metadata.name} failed with exit code 42 matching FailJob rule at index 0`);
    assert.equal(status(await getJob(h, 'policy')).failed, 1);
  });

  it('successPolicy: an Indexed Job succeeds when its rule is met and stops the other pods', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.jobs, 'default', jobManifest('leader', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } }));
    await h.until('three pods', async () => (await activePods(h, 'leader')).length === 3);
    const zero = (await activePods(h, 'leader')).find((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === '0')!;
    await finishPod(h.client, zero, 'Succeeded', h.clock());
    await h.until('the Job to complete', async () => conditionTypes(await getJob(h, 'leader')).includes('Complete'));
    const s = status(await getJob(h, 'leader'));
    assert.deepEqual(
      s.conditions!.map((c) => [c.type, c.reason, c.message]),
      [
        ['SuccessCriteriaMet', 'SuccessPolicy', 'Matched rules at index 0'],
        ['Complete', 'SuccessPolicy', 'Matched rules at index 0'],
      ],
    );
    assert.equal(s.succeeded, 1);
    assert.equal(s.failed, undefined, 'pods stopped after success are not failures');
    assert.deepEqual((await podsOfJob(h.client, 'leader')).map((p) => p.metadata.name), [zero.metadata.name]);
  });

  it('backoffLimitPerIndex: an index that used up its retries fails alone; the Job fails once every index is done', async (t) => {
    const { h } = await startController(t, { mockTimers: true });
    await h.client.create(R.jobs, 'default', jobManifest('per', { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1 }));
    const podOf = async (ix: string) => (await activePods(h, 'per')).find((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === ix);
    await h.until('two pods', async () => (await activePods(h, 'per')).length === 2);
    const first = (await podOf('0'))!;
    assert.equal(first.metadata.annotations!['batch.kubernetes.io/job-index-failure-count'], '0');
    await finishPod(h.client, first, 'Failed', h.clock());
    await h.until('the failure to be counted', async () => status(await getJob(h, 'per')).failed === 1);
    assert.equal(await podOf('0'), undefined, 'the index backs off');
    h.advance(10_000);
    await h.until('a retry of index 0', async () => (await podOf('0')) !== undefined);
    const retry = (await podOf('0'))!;
    assert.equal(retry.metadata.annotations!['batch.kubernetes.io/job-index-failure-count'], '1');
    await finishPod(h.client, retry, 'Failed', h.clock());
    await h.until('index 0 to fail', async () => status(await getJob(h, 'per')).failedIndexes === '0');
    h.advance(60_000);
    await h.until('quiet', async () => true);
    assert.equal(await podOf('0'), undefined, 'a failed index is not run again');
    await finishPod(h.client, (await podOf('1'))!, 'Succeeded', h.clock());
    await h.until('the Job to fail', async () => conditionTypes(await getJob(h, 'per')).includes('Failed'));
    const s = status(await getJob(h, 'per'));
    assert.equal(s.completedIndexes, '1');
    assert.equal(s.failedIndexes, '0');
    const failed = s.conditions!.find((c) => c.type === 'Failed')!;
    assert.deepEqual([failed.reason, failed.message], ['FailedIndexes', 'Job has failed indexes']);
  });

  it('a deleted Job leaves no pod stuck on the tracking finalizer', async (t) => {
    const { h } = await startController(t);
    const gc = new GarbageCollector(h.registry, h.log);
    h.onStop(() => gc.stop());
    await gc.start();
    await h.client.create(R.jobs, 'default', jobManifest('gone', { parallelism: 2, completions: 2 }));
    await h.until('two pods', async () => (await activePods(h, 'gone')).length === 2);
    await h.client.delete(R.jobs, 'default', 'gone', { propagationPolicy: 'Background' });
    await h.until('the pods to go', async () => (await podsOfJob(h.client, 'gone')).length === 0);
  });
});
