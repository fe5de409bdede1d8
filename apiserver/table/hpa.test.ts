import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const cells = (obj: object) => printTable('autoscaling', 'horizontalpodautoscalers', [obj], { now, includeObject: 'None' }).rows[0].cells;
const metadata = { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' };
const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });

test('hpa: columns', () => {
  assert.deepEqual(
    printTable('autoscaling', 'horizontalpodautoscalers', [], { now, includeObject: 'None' }).columnDefinitions.map((c) => [c.name, c.type]),
    [
      ['Name', 'string'],
      ['Reference', 'string'],
      ['Targets', 'string'],
      ['MinPods', 'string'],
      ['MaxPods', 'string'],
      ['Replicas', 'string'],
      ['Age', 'string'],
    ],
  );
});

test('hpa: CPU utilization before and after the first measurement', () => {
  const hpa: HorizontalPodAutoscaler = { metadata, spec: { scaleTargetRef, minReplicas: 2, maxReplicas: 10, metrics: [cpu(80)] } };
  assert.deepEqual(cells(hpa), ['web', 'Deployment/web', 'cpu: <unknown>/80%', '2', 10, 0, '60m']);
  const measured: HorizontalPodAutoscaler = {
    ...hpa,
    status: {
      currentReplicas: 3,
      desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40, averageValue: '120m' } } }],
    },
  };
  assert.deepEqual(cells(measured).slice(2, 6), ['cpu: 40%/80%', '2', 10, 3]);
});

test('hpa: every metric type, two shown, then the rest counted', () => {
  const hpa = {
    metadata,
    spec: {
      scaleTargetRef,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
        { type: 'Object', object: { metric: { name: 'hits' }, describedObject: { kind: 'Ingress', name: 'web' }, target: { type: 'Value', value: '10k' } } },
      ],
    },
    status: {
      currentReplicas: 1,
      desiredReplicas: 1,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '300Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '42' } } },
      ],
    },
  };
  assert.deepEqual(cells(hpa).slice(2, 4), ['memory: 300Mi/512Mi, 42/100 + 1 more...', '<unset>']);

  const formats = (metric: object, current?: object) =>
    cells({ metadata, spec: { scaleTargetRef, maxReplicas: 1, metrics: [metric] }, status: { currentMetrics: current ? [current] : [] } })[2];
  const external = { metric: { name: 'queue' } };
  assert.equal(formats({ type: 'External', external: { ...external, target: { type: 'AverageValue', averageValue: '30' } } }), '<unknown>/30 (avg)');
  assert.equal(
    formats({ type: 'External', external: { ...external, target: { type: 'Value', value: '30' } } }, { type: 'External', external: { ...external, current: { value: '12' } } }),
    '12/30',
  );
  assert.equal(
    formats(
      { type: 'Object', object: { metric: { name: 'hits' }, describedObject: {}, target: { type: 'AverageValue', averageValue: '5' } } },
      { type: 'Object', object: { metric: { name: 'hits' }, describedObject: {}, current: { averageValue: '7' } } },
    ),
    '7/5 (avg)',
  );
  assert.equal(
    formats({ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } }),
    'cpu: <unknown>/60%',
  );
  assert.equal(formats({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }), 'cpu: <unknown>/<auto>');
  assert.equal(formats({ type: 'Bogus' }), '<unknown type>');
  assert.equal(cells({ metadata, spec: { scaleTargetRef, maxReplicas: 1 } })[2], '<none>');
});

test('hpa: an autoscaling/v1 object prints as its v2 form', () => {
  const v1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: { scaleTargetRef, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 65 },
  };
  assert.deepEqual(cells(v1), ['web', 'Deployment/web', 'cpu: 65%/50%', '1', 4, 2, '60m']);
});
