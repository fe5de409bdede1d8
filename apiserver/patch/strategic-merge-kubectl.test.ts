// The strategic merge patches kubectl sends (shared/kubectl-surface.md §5 and
// §5b), applied to a Deployment as it is stored after a first apply.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strategicMergePatch } from './strategic-merge.ts';
import { Deployment, deepFreeze } from './test-models.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function live() {
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web', tier: 'front' },
      annotations: { [LAST_APPLIED]: '{"old":true}\n', 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80 }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            { name: 'log', image: 'busybox', args: ['tail', '-f'] },
          ],
        },
      },
    },
    status: { replicas: 2, readyReplicas: 2 },
  });
}

type Live = ReturnType<typeof live>;
const apply = (patch: unknown) => strategicMergePatch(live(), deepFreeze(patch), Deployment) as Live;

describe('strategic merge patch: what kubectl sends', () => {
  it('second apply with a new image: $setElementOrder/containers and the new last-applied annotation', () => {
    const out = apply({
      metadata: { annotations: { [LAST_APPLIED]: '{"new":true}\n' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'log' }],
            containers: [{ image: 'nginx:1.26', name: 'nginx' }],
          },
        },
      },
    });
    assert.equal(out.metadata.annotations[LAST_APPLIED], '{"new":true}\n');
    assert.equal(out.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    const [nginx, log] = out.spec.template.spec.containers;
    assert.deepEqual(nginx, { ...live().spec.template.spec.containers[0], image: 'nginx:1.26' });
    assert.deepEqual(log, live().spec.template.spec.containers[1]);
    assert.deepEqual({ ...out, metadata: live().metadata, spec: { ...out.spec, template: live().spec.template } }, live());
  });

  it('kubectl set image', () => {
    const out = apply({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:2', name: 'nginx' }] } } } });
    assert.deepEqual(
      out.spec.template.spec.containers.map((c) => [c.name, c.image]),
      [
        ['nginx', 'nginx:2'],
        ['log', 'busybox'],
      ],
    );
  });

  it('kubectl rollout restart adds the restartedAt annotation to a template that has none', () => {
    const at = '2026-11-21T23:59:56Z';
    const out = apply({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } });
    assert.deepEqual(out.spec.template.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': at } });
    const again = strategicMergePatch(out, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'later' } } } } }, Deployment) as Live;
    assert.deepEqual(again.spec.template.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 'later' } });
  });

  it('apply after a container was removed from the manifest: {$patch: delete} with $setElementOrder', () => {
    const out = apply({
      metadata: { annotations: { [LAST_APPLIED]: '{}\n' } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ $patch: 'delete', name: 'log' }] } } },
    });
    assert.deepEqual(
      out.spec.template.spec.containers.map((c) => c.name),
      ['nginx'],
    );
  });

  it('apply after an env var was removed from a container', () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'log' }],
            containers: [{ '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }], name: 'nginx' }],
          },
        },
      },
    });
    assert.deepEqual(out.spec.template.spec.containers[0]!.env, [{ name: 'A', value: '1' }]);
  });

  it('apply after fields were removed from the manifest: null deletes them', () => {
    const out = apply({ metadata: { labels: { tier: null } }, spec: { replicas: null, strategy: { rollingUpdate: null } } });
    assert.deepEqual(out.metadata.labels, { app: 'web' });
    assert.equal('replicas' in out.spec, false);
    assert.deepEqual(out.spec.strategy, { type: 'RollingUpdate' });
  });

  it('apply after switching to the Recreate strategy ($retainKeys)', () => {
    const out = apply({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } });
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  });

  it('kubectl edit sends the changed fields only', () => {
    const out = apply({ spec: { replicas: 5 } });
    assert.equal(out.spec.replicas, 5);
    assert.deepEqual(out.spec.template, live().spec.template);
  });

  it('kubectl apply that adds a container and reorders: the manifest order wins', () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'log' }, { name: 'metrics' }, { name: 'nginx' }],
            containers: [{ name: 'metrics', image: 'exporter' }],
          },
        },
      },
    });
    assert.deepEqual(
      out.spec.template.spec.containers.map((c) => c.name),
      ['log', 'metrics', 'nginx'],
    );
  });
});
