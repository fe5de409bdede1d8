import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { errorString } from '../field-error.ts';
import { defaultCronJob, defaultJob } from '../defaults/batch.ts';
import { validateCronJob, validateJob } from './batch.ts';

function job(mutate: (j: Job) => void = () => {}): Job {
  const j: Job = {
    metadata: { name: 'migrate', namespace: 'default', uid: '8d6f-uid' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'app:1', command: ['./migrate'] }] } } },
  };
  mutate(j);
  defaultJob(j);
  return j;
}

function cronJob(mutate: (c: CronJob) => void = () => {}): CronJob {
  const c: CronJob = {
    metadata: { name: 'nightly', namespace: 'default' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'backup', image: 'backup:2' }] } } } },
    },
  };
  mutate(c);
  defaultCronJob(c);
  return c;
}

test('a defaulted job with its generated selector is valid', () => {
  assert.deepEqual(validateJob(job()), []);
});

test('the template must restart OnFailure or Never', () => {
  assert.deepEqual(
    validateJob(
      job((j) => {
        delete j.spec!.template.spec!.restartPolicy;
      }),
    ).map(errorString),
    ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
  );
  assert.deepEqual(
    validateJob(
      job((j) => {
        j.spec!.template.spec!.restartPolicy = 'Always';
      }),
    ).map(errorString),
    ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
  );
});

test('counts are non-negative', () => {
  assert.deepEqual(
    validateJob(
      job((j) => {
        j.spec!.parallelism = -1;
        j.spec!.completions = -2;
        j.spec!.backoffLimit = -3;
      }),
    ).map(errorString),
    [
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'spec.completions: Invalid value: -2: must be greater than or equal to 0',
      'spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0',
    ],
  );
});

test('a manual selector is required and must match the template', () => {
  const j = job((x) => {
    x.spec!.manualSelector = true;
  });
  assert.deepEqual(validateJob(j).map(errorString), ['spec.selector: Required value']);
  const mismatch = job((x) => {
    x.spec!.manualSelector = true;
    x.spec!.selector = { matchLabels: { app: 'a' } };
    x.spec!.template.metadata = { labels: { app: 'b' } };
  });
  assert.deepEqual(validateJob(mismatch).map(errorString), ['spec.template.metadata.labels: Invalid value: {"app":"b"}: `selector` does not match template `labels`']);
});

test('indexed jobs need completions', () => {
  assert.deepEqual(
    validateJob(
      job((j) => {
        j.spec!.completionMode = 'Indexed';
        j.spec!.parallelism = 2;
      }),
    ).map(errorString),
    ['spec.completions: Required value: when completion mode is Indexed'],
  );
  assert.equal(
    validateJob(
      job((j) => {
        j.spec!.completionMode = 'Sometimes' as 'Indexed';
      }),
    )[0].type,
    'FieldValueNotSupported',
  );
});

test('selector, template and completions are immutable', () => {
  const old = job();
  const changed = structuredClone(old);
  changed.spec!.template.spec!.containers[0].image = 'app:2';
  changed.spec!.completions = 3;
  assert.deepEqual(validateJob(changed, old).map((e) => `${e.field}: ${e.detail}`), ['spec.completions: field is immutable', 'spec.template: field is immutable']);
  const suspended = structuredClone(old);
  suspended.spec!.suspend = true;
  suspended.spec!.template.spec!.nodeSelector = { disk: 'ssd' };
  assert.deepEqual(validateJob(suspended, old), []);
});

test('a defaulted cron job is valid', () => {
  assert.deepEqual(validateCronJob(cronJob()), []);
  for (const schedule of ['@hourly', '*/5 * * * *', '0 0 1 jan,jul *', '30 8 * * mon-fri']) {
    assert.deepEqual(
      validateCronJob(
        cronJob((c) => {
          c.spec!.schedule = schedule;
        }),
      ),
      [],
      schedule,
    );
  }
});

test('schedule: required and a valid cron expression without TZ', () => {
  assert.deepEqual(
    validateCronJob(
      cronJob((c) => {
        c.spec!.schedule = '';
      }),
    ).map(errorString),
    ['spec.schedule: Required value'],
  );
  assert.deepEqual(
    validateCronJob(
      cronJob((c) => {
        c.spec!.schedule = '61 * * * *';
      }),
    ).map(errorString),
    ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
  );
  assert.deepEqual(
    validateCronJob(
      cronJob((c) => {
        c.spec!.schedule = 'every day';
      }),
    ).map(errorString),
    ['spec.schedule: Invalid value: "every day": expected exactly 5 fields, found 2: [every day]'],
  );
  assert.deepEqual(
    validateCronJob(
      cronJob((c) => {
        c.spec!.schedule = 'TZ=UTC 0 3 * * *';
      }),
    ).map(errorString),
    ['spec.schedule: Invalid value: "TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
  );
});

test('timeZone must be an IANA zone', () => {
  assert.deepEqual(
    validateCronJob(
      cronJob((c) => {
        c.spec!.timeZone = 'Europe/Paris';
      }),
    ),
    [],
  );
  assert.deepEqual(
    validateCronJob(
      cronJob((c) => {
        c.spec!.timeZone = 'Mars/Olympus_Mons';
      }),
    ).map(errorString),
    ['spec.timeZone: Invalid value: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons'],
  );
  assert.deepEqual(
    validateCronJob(
      cronJob((c) => {
        c.spec!.timeZone = 'Local';
      }),
    ).map(errorString),
    ['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
  );
});

test('concurrencyPolicy values, history limits, job template rules', () => {
  const errs = validateCronJob(
    cronJob((c) => {
      c.spec!.concurrencyPolicy = 'Sometimes';
      c.spec!.successfulJobsHistoryLimit = -1;
      c.spec!.jobTemplate.spec!.selector = { matchLabels: { a: 'b' } };
      c.spec!.jobTemplate.spec!.template.spec!.containers[0].image = '';
    }),
  ).map(errorString);
  assert.deepEqual(errs, [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    'spec.jobTemplate.spec.template.spec.containers[0].image: Required value',
    'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
    'spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('cron job names leave room for the job suffix', () => {
  assert.deepEqual(
    validateCronJob(
      cronJob((c) => {
        c.metadata!.name = 'n'.repeat(53);
      }),
    ).map(errorString),
    [`metadata.name: Invalid value: "${'n'.repeat(53)}": must be no more than 52 characters`],
  );
});
