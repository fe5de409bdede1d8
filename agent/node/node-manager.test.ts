// Node registration over a real registry: a second agent takes the Node
// over, status is rewritten only when it changed or a report is due, and
// missing runtime capabilities are a Warning event on the Node.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { EventRecorder } from '../../client/events.ts';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import { ManualClock } from '../clock.ts';
import { NodeManager } from './node-manager.ts';

const reg = useTempRegistry('node-manager');

function manager(clock: ManualClock) {
  const client = new LocalClient(reg.registry, 'kubelet');
  const recorder = new EventRecorder(client, { component: 'kubelet', host: 'n1' }, () => clock.now());
  const m = new NodeManager(client, { nodeName: 'n1', dataDir: reg.dir, kubeletPort: 10250, skiffVersion: '0.1.0', clock, recorder, log: () => {} });
  return { client, recorder, m };
}

describe('NodeManager', () => {
  it('registers, warns about missing runtime capabilities, and writes status only when due', async () => {
    await reg.registry.create(R.namespaces, undefined, { metadata: { name: 'kube-node-lease' } });
    const clock = new ManualClock();
    const { client, recorder, m } = manager(clock);
    await m.start({ limits: false, mounts: true, notes: ['no cgroup v2 delegation'] });
    await recorder.flush();
    const { items } = await client.list(R.events, { namespace: 'default' });
    const warning = items.find((e) => e.type === 'Warning');
    assert.equal(warning?.reason, 'RuntimeCapabilitiesMissing');
    assert.equal(warning?.message, 'container runtime cannot enforce limits: no cgroup v2 delegation');
    assert.equal((warning?.involvedObject as { kind: string }).kind, 'Node');
    assert.equal((warning?.source as { component: string }).component, 'kubelet');

    const rv1 = (await client.get(R.nodes, undefined, 'n1')).metadata.resourceVersion;
    await m.updateStatus(false);
    assert.equal((await client.get(R.nodes, undefined, 'n1')).metadata.resourceVersion, rv1, 'nothing changed, no report due: no write');
    clock.advance(61_000);
    await m.updateStatus(false);
    const node = await client.get(R.nodes, undefined, 'n1');
    assert.notEqual(node.metadata.resourceVersion, rv1);
    const ready = (node.status as { conditions: { type: string; lastHeartbeatTime: string; lastTransitionTime: string }[] }).conditions.find((c) => c.type === 'Ready')!;
    assert.notEqual(ready.lastHeartbeatTime, ready.lastTransitionTime, 'heartbeat moves, transition time stays');
    m.stop();

    // A new agent takes the existing Node over; a Node registered without a pod range gets one.
    const cur = await client.get(R.nodes, undefined, 'n1');
    await reg.registry.delete(R.nodes, undefined, 'n1');
    await client.create(R.nodes, undefined, { ...cur, metadata: { name: 'n1', labels: cur.metadata.labels }, spec: {} });
    const second = manager(clock).m;
    await second.start({ limits: true, mounts: true, notes: [] });
    second.stop();
    const lease = await client.get(R.leases, 'kube-node-lease', 'n1');
    assert.deepEqual((await client.get(R.nodes, undefined, 'n1')).spec, { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'] }, 'the node\'s pod range, from the cluster pod CIDR');

    assert.deepEqual(lease.metadata.ownerReferences?.map((o) => [o.kind, o.name]), [['Node', 'n1']]);
    assert.equal((lease.spec as { leaseDurationSeconds: number }).leaseDurationSeconds, 40);
  });
});
