import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { defaultDeployment, defaultReplicaSet } from './apps.ts';

test('deployment defaults', () => {
  const d: Deployment = {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
  };
  defaultDeployment(d);
  assert.equal(d.spec!.replicas, 1);
  assert.deepEqual(d.spec!.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec!.revisionHistoryLimit, 10);
  assert.equal(d.spec!.progressDeadlineSeconds, 600);
  assert.equal(d.spec!.template.spec!.restartPolicy, 'Always');
  assert.equal(d.spec!.template.spec!.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(d.spec!.template.spec!.enableServiceLinks, undefined);
});

test('Recreate gets no rollingUpdate; given values stay', () => {
  const d: Deployment = {
    metadata: { name: 'db' },
    spec: { replicas: 0, strategy: { type: 'Recreate' }, revisionHistoryLimit: 0, selector: {}, template: {} },
  };
  defaultDeployment(d);
  assert.deepEqual(d.spec!.strategy, { type: 'Recreate' });
  assert.equal(d.spec!.replicas, 0);
  assert.equal(d.spec!.revisionHistoryLimit, 0);
  const partial: Deployment = { metadata: { name: 'x' }, spec: { selector: {}, template: {}, strategy: { rollingUpdate: { maxSurge: 2 } } } };
  defaultDeployment(partial);
  assert.deepEqual(partial.spec!.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: '25%' } });
});

test('replica set defaults', () => {
  const rs: ReplicaSet = { metadata: { name: 'web-1' }, spec: { selector: {}, template: { spec: { containers: [] } } } };
  defaultReplicaSet(rs);
  assert.equal(rs.spec!.replicas, 1);
  assert.equal(rs.spec!.template!.spec!.dnsPolicy, 'ClusterFirst');
});
