import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { defaultCronJob, defaultJob } from './batch.ts';

test('job defaults', () => {
  const job: Job = { metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } };
  defaultJob(job);
  const spec = job.spec!;
  assert.equal(spec.completions, 1);
  assert.equal(spec.parallelism, 1);
  assert.equal(spec.backoffLimit, 6);
  assert.equal(spec.completionMode, 'NonIndexed');
  assert.equal(spec.suspend, false);
  assert.equal(spec.manualSelector, undefined);
  assert.equal(spec.podReplacementPolicy, 'TerminatingOrFailed');
  assert.equal(spec.template.spec!.dnsPolicy, 'ClusterFirst');
});

test('parallel jobs keep completions unset; job templates keep restartPolicy unset', () => {
  const job: Job = { metadata: { name: 'q' }, spec: { parallelism: 3, template: { spec: { containers: [] } } } };
  defaultJob(job);
  assert.equal(job.spec!.completions, undefined);
  assert.equal(job.spec!.template.spec!.restartPolicy, undefined);
  const failFast: Job = { metadata: { name: 'f' }, spec: { podFailurePolicy: { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' } as { type: string; status: string }] }] }, template: {} } };
  defaultJob(failFast);
  assert.equal(failFast.spec!.podReplacementPolicy, 'Failed');
  assert.equal(failFast.spec!.podFailurePolicy!.rules[0].onPodConditions![0].status, 'True');
});

test('a job with a uid gets its selector generated, and the pod labels as its own', () => {
  const job: Job = { metadata: { name: 'pi', uid: 'abc-123' }, spec: { template: { spec: { containers: [] } } } };
  defaultJob(job);
  const labels = {
    'batch.kubernetes.io/controller-uid': 'abc-123',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': 'abc-123',
    'job-name': 'pi',
  };
  assert.deepEqual(job.spec!.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc-123' } });
  assert.deepEqual(job.spec!.template.metadata!.labels, labels);
  assert.deepEqual(job.metadata!.labels, labels);
  const manual: Job = { metadata: { name: 'm', uid: 'u' }, spec: { manualSelector: true, template: {} } };
  defaultJob(manual);
  assert.equal(manual.spec!.selector, undefined);
});

test('cron job defaults; its job template gets only pod template defaults', () => {
  const cj: CronJob = {
    metadata: { name: 'nightly' },
    spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'c' }] } } } } },
  };
  defaultCronJob(cj);
  const spec = cj.spec!;
  assert.equal(spec.concurrencyPolicy, 'Allow');
  assert.equal(spec.suspend, false);
  assert.equal(spec.successfulJobsHistoryLimit, 3);
  assert.equal(spec.failedJobsHistoryLimit, 1);
  assert.equal(spec.jobTemplate.spec!.backoffLimit, undefined);
  assert.equal(spec.jobTemplate.spec!.template.spec!.schedulerName, 'default-scheduler');
  assert.equal(spec.jobTemplate.spec!.template.spec!.restartPolicy, undefined);
});
