import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podReferences } from './pod-references.ts';

test('a pod references the ConfigMaps and Secrets of its env, envFrom and volumes', () => {
  const refs = podReferences({
    metadata: { name: 'p' },
    spec: {
      initContainers: [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'init-secret', key: 'k' } } }] }],
      containers: [
        {
          env: [{ name: 'B', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'k' } } }, { name: 'C', value: 'x' }],
          envFrom: [{ configMapRef: { name: 'from-cm' } }, { secretRef: { name: 'from-secret' } }],
        },
      ],
      volumes: [
        { name: 'v1', configMap: { name: 'vol-cm' } },
        { name: 'v2', secret: { secretName: 'vol-secret' } },
        { name: 'v3', projected: { sources: [{ configMap: { name: 'proj-cm' } }, { secret: { name: 'proj-secret' } }, { downwardAPI: {} }] } },
        { name: 'v4', emptyDir: {} },
      ],
    },
  });
  assert.deepEqual(
    [...refs].sort(),
    ['ConfigMap/env-cm', 'ConfigMap/from-cm', 'ConfigMap/proj-cm', 'ConfigMap/vol-cm', 'Secret/from-secret', 'Secret/init-secret', 'Secret/proj-secret', 'Secret/vol-secret'],
  );
});
