// The agent end to end over a real registry and the real process runtime:
// node registration, a pod that runs with its env and volumes, status as
// the kubelet reports it, and events.

import assert from 'node:assert/strict';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { R } from '../client/resources.ts';
import { eventsOf, pod, podStatus, sh, until, useAgentFixture } from './test-fixture.ts';

const f = useAgentFixture('agent');

describe('Agent', () => {
  it('registers the node with capacity, conditions and nodeInfo, and a lease', async () => {
    const agent = f.agent();
    await agent.start();
    const node = await f.client.get(R.nodes, undefined, 'node-1');
    const status = node.status as Record<string, any>;
    assert.equal(status.capacity.pods, '110');
    assert.match(status.capacity.memory, /^\d+Ki$/);
    assert.ok(Number(status.capacity.cpu) >= 1);
    assert.deepEqual(
      status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ],
    );
    assert.deepEqual(status.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }]);
    assert.equal(status.nodeInfo.kubeletVersion, 'v1.33.0');
    assert.equal(status.nodeInfo.containerRuntimeVersion, 'process://0.1.0');
    assert.equal(status.nodeInfo.operatingSystem, 'linux');
    assert.equal(status.daemonEndpoints.kubeletEndpoint.Port, 10250);
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'node-1');
    const lease = await f.client.get(R.leases, 'kube-node-lease', 'node-1');
    const renew1 = (lease.spec as { renewTime: string }).renewTime;
    assert.equal((lease.spec as { holderIdentity: string }).holderIdentity, 'node-1');
    f.clock.advance(10_000);
    await until('lease renewed', async () => ((await f.client.get(R.leases, 'kube-node-lease', 'node-1')).spec as { renewTime: string }).renewTime !== renew1);
  });

  it('runs a pod: Running and Ready, env and volumes reach the process, events and status as the kubelet reports them', async () => {
    await f.client.create(R.configmaps, 'default', { metadata: { name: 'cfg' }, data: { greeting: 'hello', 'file.txt': 'v1' } });
    const agent = f.agent();
    await agent.start();
    const mountPath = f.runtime().capabilities.mounts ? '/etc/cfg' : undefined;
    await f.client.create(
      R.pods,
      'default',
      pod('web', {
        containers: [
          sh('app', `echo "$GREETING $(POD_NAME) $POD_NAME"; cat ${mountPath ?? '"$CFG_DIR"'}/file.txt; echo; sleep 1000`, {
            env: [
              { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
          }),
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
      }),
    );
    const created = await f.client.get(R.pods, 'default', 'web');
    const uid = created.metadata.uid!;
    if (!mountPath) {
      // Without a mount namespace the process reads the volume from its host directory.
      const spec = created.spec as { containers: { env: unknown[] }[] };
      spec.containers[0].env.push({ name: 'CFG_DIR', value: join(f.dataDir, 'agent', 'pods', uid, 'volumes', 'cfg') });
    }
    const st = await until('Ready', async () => {
      const s = await podStatus(f.client, 'web');
      return s.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && s;
    });
    assert.equal(st.phase, 'Running');
    // A loopback address of the pod's own (not the host's), so replicas can share a port.
    assert.match(st.podIP!, /^127\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+$/);
    assert.equal(st.hostIP, '127.0.0.1');
    assert.equal(st.qosClass, 'BestEffort');
    assert.deepEqual(st.conditions!.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True']);
    const cs = st.containerStatuses![0];
    assert.equal(cs.ready, true);
    assert.equal(cs.started, true);
    assert.equal(cs.restartCount, 0);
    assert.match(cs.containerID!, /^process:\/\/\w+/);
    assert.ok(cs.state.running?.startedAt);

    // Status is written only when it changes: a resync of a steady pod writes nothing.
    await agent.idle();
    const rv = (await f.client.get(R.pods, 'default', 'web')).metadata.resourceVersion;
    f.clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 100));
    await agent.idle();
    assert.equal((await f.client.get(R.pods, 'default', 'web')).metadata.resourceVersion, rv);

    const volDir = join(f.dataDir, 'agent', 'pods', uid, 'volumes', 'cfg');
    assert.equal(await readlink(join(volDir, 'file.txt')), '..data/file.txt');
    const logPath = join(f.dataDir, 'agent', 'pods', `default_web_${uid}`, 'app', '0.log');
    if (mountPath) {
      const log = await until('output', async () => {
        const text = await readFile(logPath, 'utf8').catch(() => '');
        return text.includes('v1') && text;
      });
      assert.match(log, /hello web web/);
    }
    // A ConfigMap change reaches the volume.
    const cm = await f.client.get(R.configmaps, 'default', 'cfg');
    await f.client.update(R.configmaps, { ...cm, data: { greeting: 'hello', 'file.txt': 'v2' } });
    await until('volume refreshed', async () => (await readFile(join(volDir, 'file.txt'), 'utf8')) === 'v2');

    await agent.recorder.flush();
    const events = await eventsOf(f.client, 'web');
    assert.deepEqual(events.map((e) => `${e.reason}: ${e.message}`).sort(), [
      'Created: Created container: app',
      'Pulled: Container image "busybox" already present on machine',
      'Started: Started container app',
    ]);
  });

  it('a new agent over the same data dir re-adopts running containers (same PIDs) and removes those of deleted pods', async () => {
    const first = f.agent();
    await first.start();
    await f.client.create(R.pods, 'default', pod('keep', { containers: [sh('app', 'sleep 1000')] }));
    await f.client.create(R.pods, 'default', pod('gone', { containers: [sh('app', 'sleep 1000')] }));
    for (const name of ['keep', 'gone']) await until(`${name} running`, async () => (await podStatus(f.client, name)).containerStatuses?.[0].state.running);
    const before = await f.runtime().listContainers();
    const keepUid = (await f.client.get(R.pods, 'default', 'keep')).metadata.uid;
    const keepBefore = before.find((c) => c.podUid === keepUid)!;
    const goneBefore = before.find((c) => c.podUid !== keepUid)!;
    await first.stop();
    // While no agent runs, one pod is force-deleted: its processes are orphans.
    await f.client.delete(R.pods, 'default', 'gone', { gracePeriodSeconds: 0 });
    assert.doesNotThrow(() => process.kill(goneBefore.pid!, 0));

    const second = f.agent();
    await second.start();
    await until('orphans removed', async () => (await f.runtime().listContainers()).every((c) => c.podUid === keepUid) && (await f.runtime().listPodSandboxes()).length === 1);
    await second.idle();
    const after = await f.runtime().listContainers();
    assert.equal(after.length, 1);
    assert.equal(after[0].id, keepBefore.id);
    assert.equal(after[0].pid, keepBefore.pid);
    assert.equal(after[0].state, 'running');
    assert.throws(() => process.kill(goneBefore.pid!, 0));
    const st = await podStatus(f.client, 'keep');
    assert.equal(st.containerStatuses![0].restartCount, 0);
    assert.equal(st.containerStatuses![0].ready, true);
  });

  it('a container that ended while no agent ran is reported, not run again', async () => {
    const first = f.agent();
    await first.start();
    const flag = join(f.dataDir, 'quit-flag');
    await f.client.create(R.pods, 'default', pod('quit', { restartPolicy: 'Never', containers: [sh('app', `while [ ! -f ${flag} ]; do sleep 0.05; done`)] }));
    await until('running', async () => (await podStatus(f.client, 'quit')).containerStatuses?.[0].state.running);
    const [before] = await f.runtime().listContainers();
    await first.stop();
    await writeFile(flag, '');
    await until('exited', () => {
      try {
        process.kill(before.pid!, 0);
        return false;
      } catch {
        return true;
      }
    });
    const second = f.agent();
    await second.start();
    const st = await until('Succeeded', async () => {
      const s = await podStatus(f.client, 'quit');
      return s.phase === 'Succeeded' && s;
    });
    assert.equal(st.containerStatuses![0].containerID, `process://${before.id}`);
    await second.idle();
    assert.deepEqual((await f.runtime().listContainers()).map((c) => c.id), [before.id]);
  });

  it('streaming backend: log files of the current and previous instance, container name rules, exec', async () => {
    const agent = f.agent();
    await agent.start();
    await f.client.create(R.pods, 'default', pod('two', { containers: [sh('a', 'echo hi-$(HOSTNAME_X); sleep 1000', { env: [{ name: 'HOSTNAME_X', value: 'x' }] }), sh('b', 'sleep 1000')] }));
    await until('running', async () => (await podStatus(f.client, 'two')).containerStatuses?.every((c) => c.state.running));
    const be = agent.streamingBackend;
    await assert.rejects(be.logFiles('default', 'two', undefined, false), { message: 'a container name must be specified for pod two, choose one of: [a b]' });
    await assert.rejects(be.logFiles('default', 'two', 'c', false), { message: 'container c is not valid for pod two' });
    await assert.rejects(be.logFiles('default', 'nope', 'a', false), { message: 'pods "nope" not found' });
    await assert.rejects(be.logFiles('default', 'two', 'a', true), { message: 'previous terminated container "a" in pod "two" not found' });
    const logs = await be.logFiles('default', 'two', 'a', false);
    assert.equal(logs.running, true);
    assert.match(logs.files.at(-1)!, /default_two_[-0-9a-f]+\/a\/0\.log$/);
    await until('log written', async () => (await readFile(logs.files.at(-1)!, 'utf8')).includes('hi-x'));
    const session = await be.exec('default', 'two', 'b', { command: ['sh', '-c', 'echo out'] });
    let out = '';
    session.stdout.on('data', (d: Buffer) => (out += d));
    assert.equal((await session.exit).exitCode, 0);
    await until('exec output', () => out === 'out\n');
  });
});
