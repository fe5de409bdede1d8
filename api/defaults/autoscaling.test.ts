import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import { defaultHorizontalPodAutoscaler } from './autoscaling.ts';

const base = (): HorizontalPodAutoscaler => ({
  metadata: { name: 'web' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
});

test('minReplicas 1 and an 80% CPU target by default; no behavior unless given', () => {
  const hpa = base();
  defaultHorizontalPodAutoscaler(hpa);
  assert.equal(hpa.spec!.minReplicas, 1);
  assert.deepEqual(hpa.spec!.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.equal(hpa.spec!.behavior, undefined);
});

test('a given behavior gets the upstream scaling rules where unset', () => {
  const hpa = base();
  hpa.spec!.behavior = { scaleDown: { stabilizationWindowSeconds: 60 } };
  defaultHorizontalPodAutoscaler(hpa);
  assert.deepEqual(hpa.spec!.behavior, {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
  const again = structuredClone(hpa);
  defaultHorizontalPodAutoscaler(again);
  assert.deepEqual(again, hpa);
});
