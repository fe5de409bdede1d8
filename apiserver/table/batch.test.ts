import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const podTemplate = { spec: { containers: [{ name: 'backup', image: 'busybox:1.36' }], restartPolicy: 'Never' } };
const cells = (resource: string, obj: object) => printTable('batch', resource, [obj], { now, includeObject: 'None' }).rows[0].cells;

function job(spec: Partial<Job['spec']>, status: Job['status'], metadata: Job['metadata'] = {}): Job {
  return {
    metadata: { name: 'backup', creationTimestamp: '2024-05-01T11:50:00Z', ...metadata },
    spec: { template: podTemplate, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'c1' } }, ...spec },
    status,
  };
}

test('jobs: columns', () => {
  assert.deepEqual(
    printTable('batch', 'jobs', [], { now, includeObject: 'None' }).columnDefinitions.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Status', 'string', 0],
      ['Completions', 'string', 0],
      ['Duration', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
  );
});

test('jobs: a complete job shows its run time', () => {
  const done = job(
    { completions: 1, parallelism: 1 },
    {
      succeeded: 1,
      startTime: '2024-05-01T11:50:00Z',
      completionTime: '2024-05-01T11:50:42Z',
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True' },
        { type: 'Complete', status: 'True' },
      ],
    },
  );
  assert.deepEqual(cells('jobs', done), ['backup', 'Complete', '1/1', '42s', '10m', 'backup', 'busybox:1.36', 'batch.kubernetes.io/controller-uid=c1']);
});

test('jobs: running, failed, suspended, terminating, not started', () => {
  const runningJob = job({ completions: 3, parallelism: 2 }, { succeeded: 1, active: 2, startTime: '2024-05-01T11:52:30Z' });
  assert.deepEqual(cells('jobs', runningJob).slice(1, 4), ['Running', '1/3', '7m30s']);
  const failed = job({ completions: 1 }, { failed: 7, startTime: '2024-05-01T11:50:00Z', conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] });
  assert.equal(cells('jobs', failed)[1], 'Failed');
  const suspended = job({ completions: 1, suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] });
  assert.deepEqual(cells('jobs', suspended).slice(1, 4), ['Suspended', '0/1', '']);
  const terminating = job({ completions: 1 }, { conditions: [{ type: 'Suspended', status: 'True' }] }, { deletionTimestamp: '2024-05-01T11:59:00Z' });
  assert.equal(cells('jobs', terminating)[1], 'Terminating');
  const failing = job({ completions: 1 }, { conditions: [{ type: 'FailureTarget', status: 'True' }] });
  assert.equal(cells('jobs', failing)[1], 'FailureTarget');
  assert.equal(cells('jobs', job({ completions: 1 }, { conditions: [{ type: 'Complete', status: 'False' }] }))[1], 'Running');
});

test('jobs: completions without spec.completions', () => {
  assert.equal(cells('jobs', job({ parallelism: 4 }, { succeeded: 0 }))[2], '0/1 of 4');
  assert.equal(cells('jobs', job({ parallelism: 1 }, { succeeded: 1 }))[2], '1/1');
  assert.equal(cells('jobs', job({}, {}))[2], '0/1');
});

test('cronjobs: schedule, timezone, suspend, active, last schedule', () => {
  assert.deepEqual(
    printTable('batch', 'cronjobs', [], { now, includeObject: 'None' }).columnDefinitions.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Schedule', 'string', 0],
      ['Timezone', 'string', 0],
      ['Suspend', 'boolean', 0],
      ['Active', 'integer', 0],
      ['Last Schedule', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
  );
  const cj: CronJob = {
    metadata: { name: 'nightly', creationTimestamp: '2024-04-20T00:00:00Z' },
    spec: { schedule: '0 3 * * *', timeZone: 'Europe/Berlin', suspend: false, jobTemplate: { spec: { template: podTemplate } } },
    status: { active: [{ kind: 'Job', name: 'nightly-28573380' }], lastScheduleTime: '2024-05-01T03:00:00Z' },
  };
  assert.deepEqual(cells('cronjobs', cj), ['nightly', '0 3 * * *', 'Europe/Berlin', 'False', 1, '9h', '11d', 'backup', 'busybox:1.36', '<none>']);
  const fresh: CronJob = { metadata: { name: 'new', creationTimestamp: '2024-05-01T11:00:00Z' }, spec: { schedule: '*/5 * * * *', jobTemplate: {} } };
  assert.deepEqual(cells('cronjobs', fresh).slice(0, 7), ['new', '*/5 * * * *', '<none>', '<unset>', 0, '<none>', '60m']);
});
