// Differential test against Kubernetes' own strategic merge patch: `kubectl
// patch --local` applies a patch with k8s.io/apimachinery's strategicpatch
// and the Go types, offline. Each case must give the same object here (with
// Skiff's Deployment schema) as there, or fail in both. Skipped without kubectl.
// Where Skiff deliberately differs (directives left inside new list items,
// `$patch: replace` on an absent map, $setElementOrder on an atomic list),
// strategic-merge.test.ts covers the behaviour instead.

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Deployment } from '../../api/schema/apps.ts';
import { strategicMergePatch } from './strategic-merge.ts';

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const deployment = (podSpec: object, meta: object = {}, spec: object = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', ...meta },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec }, ...spec },
});
const pod = (podSpec: object) => ({ spec: { template: { spec: podSpec } } });
const containers = (...names: string[]) => names.map((name) => ({ name, image: `${name}:1` }));
const order = (...names: string[]) => names.map((name) => ({ name }));

const cases: [string, object, object][] = [
  ['a new container without $setElementOrder', deployment({ containers: containers('a', 'b') }), pod({ containers: [{ name: 'n', image: 'x' }] })],
  ['patch order against live order', deployment({ containers: containers('1', '2', '3') }), pod({ containers: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }] })],
  ['$setElementOrder alone', deployment({ containers: containers('a', 'b', 'c') }), pod({ '$setElementOrder/containers': order('c', 'a') })],
  ['$setElementOrder with an addition', deployment({ containers: containers('a', 'b') }), pod({ '$setElementOrder/containers': order('b', 'n', 'a'), containers: [{ name: 'n', image: 'x' }] })],
  ['$setElementOrder and a server-only item', deployment({ containers: containers('a', 'b', 's') }), pod({ '$setElementOrder/containers': order('n', 'a'), containers: [{ name: 'n', image: 'x' }] })],
  ['$setElementOrder for a list only the patch has', deployment({ containers: containers('a') }), pod({ '$setElementOrder/initContainers': order('y', 'x'), initContainers: containers('y', 'x') })],
  ['$patch: delete in a list', deployment({ containers: containers('a', 'b') }), pod({ '$setElementOrder/containers': order('a'), containers: [{ $patch: 'delete', name: 'b' }] })],
  ['delete and merge together', deployment({ containers: containers('a', 'b', 'c') }), pod({ containers: [{ name: 'c', image: 'new' }, { $patch: 'delete', name: 'a' }] })],
  ['delete duplicates', deployment({ containers: [...containers('1'), ...containers('1'), ...containers('2')] }), pod({ containers: [{ name: '1', $patch: 'delete' }] })],
  ['$patch: replace in a list', deployment({ containers: containers('a', 'b') }), pod({ containers: [{ $patch: 'replace' }, { name: 'z', image: 'z' }, { name: 'z', image: 'q' }] })],
  ['$patch: delete on a map', deployment({ containers: containers('a'), nodeSelector: { a: 'b' } }), pod({ nodeSelector: { $patch: 'delete' } })],
  ['$patch: delete on an absent map', deployment({ containers: containers('a') }), pod({ nodeSelector: { $patch: 'delete' } })],
  ['$patch: replace on a map', deployment({ containers: containers('a'), nodeSelector: { a: 'b', c: 'd' } }), pod({ nodeSelector: { $patch: 'replace', x: 'y' } })],
  ['$patch: replace on the object', deployment({ containers: containers('a') }), { $patch: 'replace', apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }],
  ['a new list with a delete directive', deployment({ containers: containers('a') }), pod({ volumes: [{ name: 'v', emptyDir: {} }, { $patch: 'delete', name: 'w' }] })],
  ['$retainKeys in a volume', deployment({ containers: containers('a'), volumes: [{ name: 'v', emptyDir: {} }] }), pod({ volumes: [{ $retainKeys: ['configMap', 'name'], name: 'v', configMap: { name: 'cm' } }] })],
  ['$retainKeys on the strategy', deployment({ containers: containers('a') }, {}, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }],
  ['$retainKeys on labels', deployment({ containers: containers('a') }, { labels: { a: '1', b: '2' } }), { metadata: { labels: { $retainKeys: ['a'], a: '3' } } }],
  ['finalizers: a new one', deployment({ containers: containers('a') }, { finalizers: ['a', 'b'] }), { metadata: { finalizers: ['n'] } }],
  ['finalizers: union', deployment({ containers: containers('a') }, { finalizers: ['a', 'b'] }), { metadata: { finalizers: ['b', 'c'] } }],
  ['finalizers: $deleteFromPrimitiveList', deployment({ containers: containers('a') }, { finalizers: ['a', 'b', 'c'] }), { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }],
  [
    'finalizers: order, add and delete',
    deployment({ containers: containers('a') }, { finalizers: ['a', 'b'] }),
    { metadata: { '$setElementOrder/finalizers': ['c', 'a'], '$deleteFromPrimitiveList/finalizers': ['b'], finalizers: ['c'] } },
  ],
  ['args: $deleteFromPrimitiveList on an atomic list', deployment({ containers: [{ name: 'a', image: 'a', args: ['1', '2', '3'] }] }), pod({ containers: [{ name: 'a', '$deleteFromPrimitiveList/args': ['2'] }] })],
  ['nulls for absent fields', deployment({ containers: containers('a') }), { metadata: { labels: { x: null } }, spec: { paused: null } }],
  ['a new map with a null', deployment({ containers: containers('a') }), { metadata: { annotations: { a: '1', b: null } } }],
  ['a value of another type', deployment({ containers: containers('a') }), { metadata: { labels: 'x' } }],
  ['env by name', deployment({ containers: [{ name: 'a', image: 'a', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }), pod({ containers: [{ name: 'a', env: [{ name: 'C', value: '3' }, { name: 'A', value: 'x' }] }] })],
  ['ports by containerPort', deployment({ containers: [{ name: 'a', image: 'a', ports: [{ containerPort: 80 }, { containerPort: 443 }] }] }), pod({ containers: [{ name: 'a', ports: [{ containerPort: 8080 }] }] })],
  [
    'ports by containerPort, whatever the protocol',
    deployment({ containers: [{ name: 'a', image: 'a', ports: [{ containerPort: 53, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] }] }),
    pod({ containers: [{ name: 'a', ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }] }] }),
  ],
  ['ownerReferences by uid', deployment({ containers: containers('a') }, { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: '1' }] }), { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Y', name: 'y', uid: '2' }] } }],
  [
    'kubectl apply removing an env var',
    deployment({ containers: [{ name: 'n', image: 'n', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, ...containers('log')] }),
    pod({ '$setElementOrder/containers': order('n', 'log'), containers: [{ '$setElementOrder/env': order('A'), env: [{ $patch: 'delete', name: 'B' }], name: 'n' }] }),
  ],
  ['nested maps with nulls', deployment({ containers: [{ name: 'a', image: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }), pod({ containers: [{ name: 'a', resources: { limits: { cpu: null }, requests: { cpu: '100m' } } }] })],
  ['a list set to null', deployment({ containers: containers('a'), tolerations: [{ key: 'a' }] }), pod({ tolerations: null })],
  ['an empty merge list', deployment({ containers: containers('a'), volumes: [] }), pod({ volumes: [] })],
  [
    'volumes reordered and merged',
    deployment({ containers: containers('a'), volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }, { name: 'c', emptyDir: {} }] }),
    pod({ '$setElementOrder/volumes': order('c', 'b'), volumes: [{ name: 'b', emptyDir: { medium: 'Memory' } }] }),
  ],
  ['error: no merge key', deployment({ containers: containers('a') }), pod({ containers: [{ image: 'x' }] })],
  ['error: unknown $patch in a list', deployment({ containers: containers('a') }), pod({ containers: [{ name: 'a', $patch: 'foo' }] })],
  ['error: $patch: merge', deployment({ containers: containers('a') }), pod({ containers: [{ $patch: 'merge' }] })],
  ['error: order contradicts the patch', deployment({ containers: containers('1', '2', '3') }), pod({ '$setElementOrder/containers': order('1', '2', '3'), containers: containers('3', '1') })],
  ['error: patch item missing from the order', deployment({ containers: containers('1', '2') }), pod({ '$setElementOrder/containers': order('1'), containers: containers('2') })],
  ['error: key outside $retainKeys', deployment({ containers: containers('a'), volumes: [{ name: 'v', emptyDir: {} }] }), pod({ volumes: [{ $retainKeys: ['name'], name: 'v', configMap: { name: 'cm' } }] })],
];

type Outcome = { object: unknown } | { error: string };

describe('strategic merge patch agrees with kubectl patch --local', { skip: hasKubectl() ? false : 'kubectl is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-smp-'));
  const upstream = new Map<string, Outcome>();

  /** Runs every case through kubectl at once, so the suite takes one kubectl run's time, not forty. */
  before(async () => {
    const run = promisify(execFile);
    await Promise.all(
      cases.map(async ([name, original, patch], i) => {
        const file = join(dir, `${i}.json`);
        writeFileSync(file, JSON.stringify(original));
        const args = ['patch', '--local', '-f', file, '--type=strategic', '-p', JSON.stringify(patch), '-o', 'json', '--kubeconfig=/dev/null'];
        try {
          upstream.set(name, { object: JSON.parse((await run('kubectl', args)).stdout) });
        } catch (e) {
          upstream.set(name, { error: String((e as { stderr?: string }).stderr ?? e) });
        }
      }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function ours(original: object, patch: object): Outcome {
    try {
      return { object: strategicMergePatch(original, patch, Deployment) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  for (const [name, original, patch] of cases) {
    it(name, () => {
      const want = upstream.get(name)!;
      const got = ours(original, patch);
      if ('error' in want) assert.ok('error' in got, `kubectl failed (${want.error.trim()}) but Skiff gave ${JSON.stringify(got)}`);
      else assert.deepEqual(got, want);
    });
  }
});
