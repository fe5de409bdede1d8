import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { errorString } from '../field-error.ts';
import { defaultDeployment, defaultReplicaSet } from '../defaults/apps.ts';
import { validateDeployment, validateReplicaSet } from './apps.ts';

function deployment(mutate: (d: Deployment) => void = () => {}): Deployment {
  const d: Deployment = {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  };
  mutate(d);
  defaultDeployment(d);
  return d;
}

const messages = (d: Deployment, old?: Deployment) => validateDeployment(d, old).map(errorString);

test('a defaulted deployment is valid', () => {
  assert.deepEqual(messages(deployment()), []);
});

test('replicas, revisionHistoryLimit and minReadySeconds are non-negative', () => {
  assert.deepEqual(
    messages(
      deployment((d) => {
        d.spec!.replicas = -1;
        d.spec!.revisionHistoryLimit = -2;
      }),
    ),
    ['spec.replicas: Invalid value: -1: must be greater than or equal to 0', 'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0'],
  );
});

test('the selector is required and must match the template labels', () => {
  assert.deepEqual(
    messages(
      deployment((d) => {
        d.spec!.template.metadata!.labels = { app: 'other' };
      }),
    ),
    ['spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`'],
  );
  assert.deepEqual(
    messages(
      deployment((d) => {
        delete (d.spec as { selector?: unknown }).selector;
      }),
    ),
    ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
  );
  assert.deepEqual(
    messages(
      deployment((d) => {
        d.spec!.selector = {};
      }),
    ),
    ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
  );
});

test('the template must restart always', () => {
  assert.deepEqual(
    messages(
      deployment((d) => {
        d.spec!.template.spec!.restartPolicy = 'Never';
      }),
    ),
    ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  );
});

test('rolling update: int or percent, not both zero; Recreate forbids rollingUpdate', () => {
  assert.deepEqual(
    messages(
      deployment((d) => {
        d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } };
      }),
    ),
    ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
  );
  assert.deepEqual(
    messages(
      deployment((d) => {
        d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10', maxUnavailable: '120%' } };
      }),
    ),
    [
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"10\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    ],
  );
  assert.deepEqual(
    messages(
      deployment((d) => {
        d.spec!.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
      }),
    ),
    ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
  );
  assert.equal(
    validateDeployment(
      deployment((d) => {
        d.spec!.strategy = { type: 'BlueGreen' };
      }),
    )[0].type,
    'FieldValueNotSupported',
  );
});

test('progressDeadlineSeconds must exceed minReadySeconds', () => {
  assert.deepEqual(
    messages(
      deployment((d) => {
        d.spec!.minReadySeconds = 600;
      }),
    ),
    ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
  );
});

test('the selector is immutable', () => {
  const old = deployment();
  const changed = deployment((d) => {
    d.spec!.selector = { matchLabels: { app: 'web', tier: 'x' } };
    d.spec!.template.metadata!.labels = { app: 'web', tier: 'x' };
  });
  assert.deepEqual(messages(changed, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable']);
  const scaled = deployment((d) => {
    d.spec!.replicas = 5;
  });
  assert.deepEqual(messages(scaled, old), []);
});

test('replica sets follow the same template rules', () => {
  const rs: ReplicaSet = {
    metadata: { name: 'web-abc', namespace: 'default' },
    spec: {
      replicas: -3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
  defaultReplicaSet(rs);
  assert.deepEqual(validateReplicaSet(rs).map(errorString), ['spec.replicas: Invalid value: -3: must be greater than or equal to 0']);
});
