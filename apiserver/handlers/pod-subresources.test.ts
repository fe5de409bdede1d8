// pods/binding and pods/eviction end to end: the real `bin/skiff server`
// driven by the real kubectl (`create --raw`, `drain`), and protobuf bodies
// as client-go's typed clients send them. Needs `npm run build`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../../test/harness.ts';
import { envelope, msg } from '../protobuf/testdata/writer.ts';

let server: TestServer;

before(async () => {
  server = await startServer();
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
  await server.k(['create', '-f', '-'], { input: JSON.stringify(node) });
});

after(async () => {
  await server?.cleanup();
});

const binding = (pod: string, node: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: pod }, target: { kind: 'Node', name: node } });

describe('pods/binding and pods/eviction over HTTP', () => {
  it('discovery lists both subresources, eviction as policy/v1 Eviction (what kubectl drain looks for)', async () => {
    const list = (await server.api('/api/v1')).json() as { resources: Record<string, unknown>[] };
    const subs = list.resources.filter((r) => r.name === 'pods/binding' || r.name === 'pods/eviction');
    assert.deepEqual(subs, [
      { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] },
      { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
    ]);
  });

  it('binds with kubectl create --raw: 201 Success, then 409 for a second binding', async () => {
    // Left to a scheduler that is not running, so that this test does the binding.
    await server.k(['run', 'p', '--image=busybox', '--overrides={"spec":{"schedulerName":"manual"}}']);
    const out = await server.k(['create', '--raw', '/api/v1/namespaces/default/pods/p/binding', '-f', '-'], { input: binding('p', 'node-1') });
    assert.deepEqual(JSON.parse(out), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    assert.equal(await server.k(['get', 'pod', 'p', '-o', 'jsonpath={.spec.nodeName} {.status.conditions[?(@.type=="PodScheduled")].status}']), 'node-1 True');
    const again = await server.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/p/binding', '-f', '-'], { input: binding('p', 'node-2') });
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error from server (Conflict): Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-1"\n');
    const missing = await server.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/nope/binding', '-f', '-'], { input: binding('nope', 'node-1') });
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  });

  it('evicts with kubectl create --raw, honouring deleteOptions', async () => {
    await server.k(['run', 'e', '--image=busybox', '--overrides={"spec":{"nodeName":"node-1"}}']);
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'e', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 7 } };
    const out = await server.k(['create', '--raw', '/api/v1/namespaces/default/pods/e/eviction', '-f', '-'], { input: JSON.stringify(eviction) });
    assert.deepEqual(JSON.parse(out), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    // Bound to a node, the pod now waits for its agent to stop it, for at most the grace period asked.
    assert.equal(await server.k(['get', 'pod', 'e', '-o', 'jsonpath={.metadata.deletionGracePeriodSeconds}']), '7');
  });

  it('takes Binding and Eviction as protobuf', async () => {
    await server.k(['run', 'pb', '--image=busybox', '--overrides={"spec":{"schedulerName":"manual"}}']);
    const post = (sub: string, body: Uint8Array) =>
      server.api(`/api/v1/namespaces/default/pods/pb/${sub}`, { method: 'POST', body: Buffer.from(body), headers: { 'content-type': 'application/vnd.kubernetes.protobuf' } });
    // Binding {metadata {name: pb}, target {kind: Node, name: node-1}}
    const bound = await post('binding', envelope('v1', 'Binding', msg([[1, [[1, 'pb']]], [2, [[1, 'Node'], [3, 'node-1']]]])));
    assert.equal(bound.status, 201, bound.text);
    assert.equal(await server.k(['get', 'pod', 'pb', '-o', 'jsonpath={.spec.nodeName}']), 'node-1');
    // Eviction {metadata {name: pb, namespace: default}, deleteOptions {gracePeriodSeconds: 0}}
    const evicted = await post('eviction', envelope('policy/v1', 'Eviction', msg([[1, [[1, 'pb'], [3, 'default']]], [2, [[1, 0]]]])));
    assert.equal(evicted.status, 201, evicted.text);
    assert.equal((await server.kubectl(['get', 'pod', 'pb'])).code, 1);
  });

  it('kubectl drain cordons the node and evicts its pods', async () => {
    await server.k(['run', 'd', '--image=busybox', '--overrides={"spec":{"nodeName":"node-1"}}']);
    const out = await server.k(['drain', 'node-1', '--force', '--grace-period=0', '--timeout=30s']);
    assert.match(out, /node\/node-1 cordoned\n/);
    assert.match(out, /pod\/d evicted\n/);
    assert.match(out, /node\/node-1 drained\n/);
    const left = await server.kubectl(['get', 'pod', 'd']);
    assert.equal(left.stderr, 'Error from server (NotFound): pods "d" not found\n');
  });
});
