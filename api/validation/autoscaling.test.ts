import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import { errorString } from '../field-error.ts';
import { defaultHorizontalPodAutoscaler } from '../defaults/autoscaling.ts';
import { validateHorizontalPodAutoscaler } from './autoscaling.ts';

function hpa(mutate: (h: HorizontalPodAutoscaler) => void = () => {}): HorizontalPodAutoscaler {
  const h: HorizontalPodAutoscaler = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10 },
  };
  mutate(h);
  defaultHorizontalPodAutoscaler(h);
  return h;
}

const messages = (h: HorizontalPodAutoscaler) => validateHorizontalPodAutoscaler(h).map(errorString);

test('a defaulted autoscaler is valid', () => {
  assert.deepEqual(messages(hpa()), []);
  assert.deepEqual(
    messages(
      hpa((h) => {
        h.spec!.behavior = { scaleDown: { stabilizationWindowSeconds: 60 } };
      }),
    ),
    [],
  );
});

test('replica bounds and the scale target', () => {
  assert.deepEqual(
    messages(
      hpa((h) => {
        h.spec!.minReplicas = 0;
        h.spec!.maxReplicas = 0;
        h.spec!.scaleTargetRef = { kind: '', name: 'a/b' };
      }),
    ),
    [
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
      'spec.scaleTargetRef.kind: Required value',
      "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
    ],
  );
  assert.deepEqual(
    messages(
      hpa((h) => {
        h.spec!.minReplicas = 5;
        h.spec!.maxReplicas = 3;
      }),
    ),
    ['spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`'],
  );
});

test('metrics must be well formed', () => {
  const errs = messages(
    hpa((h) => {
      h.spec!.metrics = [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } },
        { type: 'Pods' },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Percent' } } },
        { type: 'Magic' },
      ];
    }),
  );
  assert.deepEqual(errs, [
    'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    'spec.metrics[1].pods: Required value: must populate information for the given metric source',
    'spec.metrics[2].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue',
    'spec.metrics[2].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    'spec.metrics[3].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
  ]);
});

test('behavior policies', () => {
  assert.deepEqual(
    messages(
      hpa((h) => {
        h.spec!.behavior = {
          scaleUp: { stabilizationWindowSeconds: 4000, policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] },
          scaleDown: { selectPolicy: 'Sometimes', policies: [] },
        };
      }),
    ),
    [
      'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
      'spec.behavior.scaleDown.selectPolicy: Unsupported value: "Sometimes": supported values: "Disabled", "Max", "Min"',
      'spec.behavior.scaleDown.policies: Required value: must specify at least one Policy',
    ],
  );
});
