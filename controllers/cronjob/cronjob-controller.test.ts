// The CronJob controller over a real registry with an injected clock and
// mocked timers: time only moves when the test moves it, so schedules a
// minute or hours apart run instantly. Jobs are finished by writing their
// status as the Job controller would (one test runs the real one).

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { JobController } from '../job/job-controller.ts';
import { eventsFor, finishPod, podsOfJob, settle, useControllerFixture, type Harness } from '../job/test-fixture.ts';
import { isPodActive } from '../pods.ts';
import { CronJobController } from './cronjob-controller.ts';

const fixture = useControllerFixture('cronjob-controller');
const MINUTE = 60_000;
const T0 = Date.UTC(2024, 4, 1, 10, 0); // the registry's clock: every creationTimestamp

async function startController(t: TestContext, h?: Harness): Promise<{ h: Harness; c: CronJobController }> {
  h ??= fixture.harness(t, { mockTimers: true });
  const c = new CronJobController(h.client, h.informers, { clock: h.clock, recorder: h.recorder, log: h.log });
  h.onStop(() => c.stop());
  await c.start();
  return { h, c };
}

function cronJob(name: string, spec: Record<string, unknown>): KObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['date'] }] } } },
      },
      ...spec,
    },
  };
}

const jobsOf = async (h: Harness, cj: string) =>
  (await h.client.list(R.jobs, { namespace: 'default' })).items.filter((j) => j.metadata.ownerReferences?.some((r) => r.kind === 'CronJob' && r.name === cj));
const jobNameAt = (cj: string, ms: number) => `${cj}-${ms / MINUTE}`;
const cjStatus = async (h: Harness, name: string) => ((await h.client.get(R.cronjobs, 'default', name)).status ?? {}) as {
  active?: { name: string; uid: string; kind: string; apiVersion: string; namespace: string }[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
};

/** Finishes a Job the way the Job controller does: the final condition, times, counters. */
async function finishJob(h: Harness, name: string, type: 'Complete' | 'Failed'): Promise<void> {
  const job = await h.client.get(R.jobs, 'default', name);
  const now = h.clock().toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (t: string) => ({ type: t, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: type === 'Complete' ? 'CompletionsReached' : 'BackoffLimitExceeded' });
  await h.client.updateStatus(R.jobs, {
    ...job,
    status: {
      startTime: now,
      ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }),
      conditions: type === 'Complete' ? [cond('SuccessCriteriaMet'), cond('Complete')] : [cond('FailureTarget'), cond('Failed')],
    },
  });
}

describe('CronJobController', () => {
  it('creates a Job at each schedule time, requeued for exactly that time', async (t) => {
    const { h } = await startController(t);
    const cj = await h.client.create(R.cronjobs, 'default', cronJob('report', { schedule: '*/5 * * * *' }));
    await settle(100);
    h.advance(5 * MINUTE + 99);
    await settle(100);
    assert.deepEqual(await jobsOf(h, 'report'), [], 'nothing before 10:05:00.100');
    h.advance(1);
    const first = jobNameAt('report', T0 + 5 * MINUTE);
    await h.until('the 10:05 Job', async () => (await jobsOf(h, 'report')).length === 1);
    const [job] = await jobsOf(h, 'report');
    assert.equal(job.metadata.name, first);
    assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(job.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-05-01T10:05:00Z');
    assert.equal(job.metadata.labels!.app, 'report');
    assert.deepEqual((job.spec as { template: { spec: { containers: { command: string[] }[] } } }).template.spec.containers[0].command, ['date']);
    await h.until('status.active', async () => (await cjStatus(h, 'report')).active?.length === 1);
    const s = await cjStatus(h, 'report');
    assert.equal(s.lastScheduleTime, '2024-05-01T10:05:00Z');
    assert.deepEqual(
      s.active!.map((r) => [r.kind, r.apiVersion, r.namespace, r.name, r.uid]),
      [['Job', 'batch/v1', 'default', first, job.metadata.uid]],
    );

    h.advance(MINUTE);
    const doneAt = h.clock().toISOString().replace(/\.\d+Z$/, 'Z');
    await finishJob(h, first, 'Complete');
    await h.until('the finished Job to leave status.active', async () => (await cjStatus(h, 'report')).active === undefined);
    await h.until('lastSuccessfulTime', async () => (await cjStatus(h, 'report')).lastSuccessfulTime !== undefined);
    assert.equal((await cjStatus(h, 'report')).lastSuccessfulTime, doneAt);

    h.advance(4 * MINUTE);
    await h.until('the 10:10 Job', async () => (await jobsOf(h, 'report')).length === 2);
    assert.ok((await jobsOf(h, 'report')).some((j) => j.metadata.name === jobNameAt('report', T0 + 10 * MINUTE)));
    await h.recorder.flush();
    const events = await eventsFor(h.client, 'report');
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created job ${first}`));
    assert.ok(events.some((e) => e.reason === 'SawCompletedJob' && e.message === `Saw completed job: ${first}, status: Complete`));
  });

  it('reads the schedule in spec.timeZone', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.cronjobs, 'default', cronJob('ny', { schedule: '0 9 * * *', timeZone: 'America/New_York' }));
    await settle(100);
    // 10:00 UTC is 06:00 in New York (EDT): 09:00 there is 13:00 UTC.
    h.advance(3 * 60 * MINUTE + 99);
    await settle(100);
    assert.deepEqual(await jobsOf(h, 'ny'), []);
    h.advance(1);
    await h.until('the 09:00 EDT Job', async () => (await jobsOf(h, 'ny')).length === 1);
    const [job] = await jobsOf(h, 'ny');
    assert.equal(job.metadata.name, jobNameAt('ny', Date.UTC(2024, 4, 1, 13, 0)));
    assert.equal(job.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-05-01T09:00:00-04:00');
    await h.until('lastScheduleTime', async () => (await cjStatus(h, 'ny')).lastScheduleTime === '2024-05-01T13:00:00Z');
  });

  it('Forbid skips a run while one is active; Replace deletes the running Job and starts a new one', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.cronjobs, 'default', cronJob('forbid', { schedule: '* * * * *', concurrencyPolicy: 'Forbid' }));
    await h.client.create(R.cronjobs, 'default', cronJob('replace', { schedule: '* * * * *', concurrencyPolicy: 'Replace' }));
    await settle(100);
    h.advance(MINUTE + 100);
    await h.until('the first runs', async () => (await jobsOf(h, 'forbid')).length === 1 && (await jobsOf(h, 'replace')).length === 1);
    await h.until('both active', async () => (await cjStatus(h, 'forbid')).active?.length === 1 && (await cjStatus(h, 'replace')).active?.length === 1);
    const replaced = (await jobsOf(h, 'replace'))[0].metadata.name!;

    h.advance(MINUTE);
    await h.until('the second Replace run', async () => (await jobsOf(h, 'replace')).some((j) => j.metadata.name === jobNameAt('replace', T0 + 2 * MINUTE)));
    await h.until('the replaced Job to be gone', async () => !(await jobsOf(h, 'replace')).some((j) => j.metadata.name === replaced));
    await h.until('Replace status', async () => (await cjStatus(h, 'replace')).active?.map((r) => r.name).join() === jobNameAt('replace', T0 + 2 * MINUTE));
    await h.recorder.flush();
    assert.equal((await jobsOf(h, 'forbid')).length, 1, 'Forbid started nothing new');
    assert.ok((await eventsFor(h.client, 'forbid')).some((e) => e.reason === 'JobAlreadyActive' && e.message === 'Not starting job because prior execution is running and concurrency policy is Forbid'));
    assert.ok((await eventsFor(h.client, 'replace')).some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted job ${replaced}`));
  });

  it('starts nothing while suspended; on resume runs the schedule time it missed', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.cronjobs, 'default', cronJob('paused', { schedule: '* * * * *', suspend: true }));
    await settle(100);
    h.advance(MINUTE + 100);
    await settle(100);
    assert.deepEqual(await jobsOf(h, 'paused'), []);
    await h.client.patch(R.cronjobs, 'default', 'paused', 'merge', { spec: { suspend: false } });
    await h.until('the missed run', async () => (await jobsOf(h, 'paused')).length === 1);
    assert.equal((await jobsOf(h, 'paused'))[0].metadata.name, jobNameAt('paused', T0 + MINUTE));
  });

  it('skips a schedule time past startingDeadlineSeconds and reports MissSchedule', async (t) => {
    const h = fixture.harness(t, { mockTimers: true });
    await h.client.create(R.cronjobs, 'default', cronJob('late', { schedule: '*/5 * * * *', startingDeadlineSeconds: 10 }));
    h.advance(5 * MINUTE + 30_000); // the controller was down at 10:05
    await startController(t, h);
    await settle(100);
    await h.recorder.flush();
    assert.deepEqual(await jobsOf(h, 'late'), []);
    assert.ok((await eventsFor(h.client, 'late')).some((e) => e.type === 'Warning' && e.reason === 'MissSchedule' && e.message === 'Missed scheduled time to start a job: Wed, 01 May 2024 10:05:00 +0000'));
    h.advance(4 * MINUTE + 30_100);
    await h.until('the 10:10 run', async () => (await jobsOf(h, 'late')).length === 1);
    assert.equal((await jobsOf(h, 'late'))[0].metadata.name, jobNameAt('late', T0 + 10 * MINUTE));
  });

  it('after more than 100 missed times warns TooManyMissedTimes and runs only the most recent', async (t) => {
    const h = fixture.harness(t, { mockTimers: true });
    await h.client.create(R.cronjobs, 'default', cronJob('behind', { schedule: '* * * * *' }));
    h.advance(200 * MINUTE + 30_000);
    await startController(t, h);
    await h.until('one run', async () => (await jobsOf(h, 'behind')).length === 1);
    assert.equal((await jobsOf(h, 'behind'))[0].metadata.name, jobNameAt('behind', T0 + 200 * MINUTE));
    await h.recorder.flush();
    assert.ok((await eventsFor(h.client, 'behind')).some((e) => e.type === 'Warning' && e.reason === 'TooManyMissedTimes'));
  });

  it('keeps successfulJobsHistoryLimit and failedJobsHistoryLimit finished Jobs, deleting the oldest', async (t) => {
    const { h } = await startController(t);
    await h.client.create(R.cronjobs, 'default', cronJob('hist', { schedule: '* * * * *', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }));
    await settle(100);
    const names: string[] = [];
    for (let i = 1; i <= 4; i++) {
      h.advance(i === 1 ? MINUTE + 100 : MINUTE);
      const name = jobNameAt('hist', T0 + i * MINUTE);
      names.push(name);
      await h.until(`run ${i}`, async () => (await jobsOf(h, 'hist')).some((j) => j.metadata.name === name));
      await finishJob(h, name, i <= 2 ? 'Complete' : 'Failed');
      await h.until(`run ${i} to leave status.active`, async () => !(await cjStatus(h, 'hist')).active?.some((r) => r.name === name));
    }
    await h.until('the oldest of each kind to go', async () => (await jobsOf(h, 'hist')).map((j) => j.metadata.name).sort().join() === [names[1], names[3]].sort().join());
    await h.recorder.flush();
    const deleted = (await eventsFor(h.client, 'hist')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
    assert.deepEqual(deleted.sort(), [`Deleted job ${names[0]}`, `Deleted job ${names[2]}`]);
  });

  it('leaves a Job made by `kubectl create job --from=cronjob/...` to the Job controller and out of status.active', async (t) => {
    const h = fixture.harness(t, { mockTimers: true });
    const jobs = new JobController(h.client, h.informers, { clock: h.clock, recorder: h.recorder, log: h.log });
    h.onStop(() => jobs.stop());
    await jobs.start();
    await startController(t, h);
    const cj = await h.client.create(R.cronjobs, 'default', cronJob('report', { schedule: '0 0 1 1 *' }));
    // What kubectl sends (create_job.go createJobFromCronJob): the template, the manual annotation, a controller reference.
    const template = (cj.spec as { jobTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: unknown } }).jobTemplate;
    await h.client.create(R.jobs, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'manual-1',
        annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...(template.metadata?.annotations ?? {}) },
        labels: template.metadata?.labels,
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: cj.metadata.uid!, controller: true }],
      },
      spec: template.spec,
    });
    await h.until('its pod', async () => (await podsOfJob(h.client, 'manual-1')).filter(isPodActive).length === 1);
    await settle(100);
    assert.equal((await cjStatus(h, 'report')).active, undefined, 'a manual run is not one of the CronJob’s scheduled runs');
    await h.recorder.flush();
    assert.ok((await eventsFor(h.client, 'report')).some((e) => e.type === 'Warning' && e.reason === 'UnexpectedJob' && e.message === 'Saw a job that the controller did not create or forgot: manual-1'));

    h.advance(MINUTE);
    const doneAt = h.clock();
    await finishPod(h.client, (await podsOfJob(h.client, 'manual-1'))[0], 'Succeeded', doneAt);
    await h.until('the manual Job to complete', async () =>
      ((await h.client.get(R.jobs, 'default', 'manual-1')).status as { conditions?: { type: string }[] })?.conditions?.some((c) => c.type === 'Complete') ?? false,
    );
    await h.until('lastSuccessfulTime from the manual run', async () => (await cjStatus(h, 'report')).lastSuccessfulTime !== undefined);
    assert.ok(Date.parse((await cjStatus(h, 'report')).lastSuccessfulTime!) >= Math.floor(doneAt.getTime() / 1000) * 1000);
    assert.equal((await cjStatus(h, 'report')).lastScheduleTime, undefined);
    assert.deepEqual((await jobsOf(h, 'report')).map((j) => j.metadata.name), ['manual-1'], 'kept: within successfulJobsHistoryLimit');
  });
});
