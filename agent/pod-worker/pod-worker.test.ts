// Pod workers over a real registry and the real process runtime: restarts
// with crash back-off on the injected clock, init containers, completion,
// configuration errors, and graceful deletion with preStop and SIGKILL.

import assert from 'node:assert/strict';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { R } from '../../client/resources.ts';
import { eventsOf, pod, podStatus, sh, until, useAgentFixture } from '../test-fixture.ts';

const f = useAgentFixture('pod-worker');

describe('pod worker', () => {
  it('a crashing container restarts with restartCount, then waits in CrashLoopBackOff, 10s then 20s', async () => {
    const agent = f.agent();
    await agent.start();
    const created = await f.client.create(R.pods, 'default', pod('crash', { containers: [sh('app', 'echo run; exit 3')] }));
    const uid = created.metadata.uid;
    const backoff = (secs: number) => `back-off ${secs}s restarting failed container=app pod=crash_default(${uid})`;
    const st = await until('CrashLoopBackOff', async () => {
      const s = await podStatus(f.client, 'crash');
      return s.containerStatuses?.[0].state.waiting?.reason === 'CrashLoopBackOff' && s;
    });
    const cs = st.containerStatuses![0];
    assert.equal(cs.restartCount, 1);
    assert.equal(cs.state.waiting!.message, backoff(10));
    assert.deepEqual({ exitCode: cs.lastState.terminated!.exitCode, reason: cs.lastState.terminated!.reason }, { exitCode: 3, reason: 'Error' });
    assert.equal(st.phase, 'Running');
    assert.equal(st.conditions!.find((c) => c.type === 'Ready')!.message, 'containers with unready status: [app]');

    // Nothing happens until the back-off has passed on the agent's clock.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await podStatus(f.client, 'crash')).containerStatuses![0].restartCount, 1);
    f.clock.advance(11_000);
    const next = await until('second back-off', async () => {
      const s = await podStatus(f.client, 'crash');
      const c = s.containerStatuses?.[0];
      return c?.restartCount === 2 && c.state.waiting?.reason === 'CrashLoopBackOff' && c;
    });
    assert.equal(next.state.waiting!.message, backoff(20));
    await agent.recorder.flush();
    const events = await eventsOf(f.client, 'crash');
    assert.ok(events.some((e) => e.reason === 'BackOff' && e.type === 'Warning' && e.message === `Back-off restarting failed container app in pod crash_default(${uid})`));
    // Logs: the current and previous instances are kept.
    const dir = join(f.dataDir, 'agent', 'pods', `default_crash_${uid}`, 'app');
    assert.equal(await readFile(join(dir, '2.log'), 'utf8').then((t) => t.includes('run')), true);
    assert.deepEqual((await readdir(dir)).sort(), ['1.log', '2.log'], 'older attempts are deleted');
    const previous = await agent.streamingBackend.logFiles('default', 'crash', undefined, true);
    assert.deepEqual(previous, { container: 'app', files: [join(dir, '1.log')], running: false });
  });

  it('init containers run in order before the app; restartPolicy Never ends Succeeded with Completed', async () => {
    const agent = f.agent();
    await agent.start();
    const out = join(f.dataDir, 'order.txt');
    await f.client.create(
      R.pods,
      'default',
      pod('job', {
        restartPolicy: 'Never',
        initContainers: [sh('one', `echo one >> ${out}`), sh('two', `echo two >> ${out}`)],
        containers: [sh('main', `echo main >> ${out}`)],
      }),
    );
    const st = await until('Succeeded', async () => {
      const s = await podStatus(f.client, 'job');
      return s.phase === 'Succeeded' && s;
    });
    assert.equal(await readFile(out, 'utf8'), 'one\ntwo\nmain\n');
    assert.deepEqual(st.initContainerStatuses!.map((c) => c.state.terminated?.reason), ['Completed', 'Completed']);
    assert.equal(st.containerStatuses![0].state.terminated!.reason, 'Completed');
    assert.deepEqual(st.conditions!.map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`), [
      'PodReadyToStartContainers=True',
      'Initialized=True/PodCompleted',
      'Ready=False/PodCompleted',
      'ContainersReady=False/PodCompleted',
    ]);
  });

  it('a failed init container with restartPolicy Never fails the pod; the app never starts', async () => {
    const agent = f.agent();
    await agent.start();
    await f.client.create(R.pods, 'default', pod('bad-init', { restartPolicy: 'Never', initContainers: [sh('init', 'exit 1')], containers: [sh('main', 'sleep 1000')] }));
    const st = await until('Failed', async () => {
      const s = await podStatus(f.client, 'bad-init');
      return s.phase === 'Failed' && s;
    });
    assert.equal(st.containerStatuses![0].state.waiting!.reason, 'PodInitializing');
    assert.equal(st.conditions!.find((c) => c.type === 'Initialized')!.message, 'containers with incomplete status: [init]');
  });

  it('a missing ConfigMap is CreateContainerConfigError with the kubelet message, and the pod starts once it exists', async () => {
    const agent = f.agent();
    await agent.start();
    await f.client.create(R.pods, 'default', pod('cfg', { containers: [sh('app', 'sleep 1000', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'later', key: 'k' } } }] })] }));
    const st = await until('config error', async () => {
      const s = await podStatus(f.client, 'cfg');
      return s.containerStatuses?.[0].state.waiting?.reason === 'CreateContainerConfigError' && s;
    });
    assert.equal(st.containerStatuses![0].state.waiting!.message, 'configmap "later" not found');
    assert.equal(st.phase, 'Pending');
    await agent.recorder.flush();
    assert.ok((await eventsOf(f.client, 'cfg')).some((e) => e.reason === 'Failed' && e.message === 'Error: configmap "later" not found'));
    await f.client.create(R.configmaps, 'default', { metadata: { name: 'later' }, data: { k: 'v' } });
    await until('running', async () => (await podStatus(f.client, 'cfg')).containerStatuses?.[0].state.running);
  });

  it('deletion: preStop runs before SIGTERM, a process ignoring SIGTERM is killed when the grace period ends, then the pod is deleted', async () => {
    const agent = f.agent();
    await agent.start();
    const out = join(f.dataDir, 'term.txt');
    await f.client.create(
      R.pods,
      'default',
      pod('stubborn', {
        terminationGracePeriodSeconds: 2,
        containers: [
          sh('app', `trap 'echo TERM >> ${out}' TERM; echo started >> ${out}; while :; do sleep 0.1; done`, {
            lifecycle: { preStop: { exec: { command: ['sh', '-c', `echo prestop >> ${out}`] } } },
          }),
        ],
      }),
    );
    await until('running', async () => (await podStatus(f.client, 'stubborn')).containerStatuses?.[0].state.running);
    const [c] = await f.runtime().listContainers();
    await until('process started', async () => (await readFile(out, 'utf8').catch(() => '')).includes('started'));
    await f.client.delete(R.pods, 'default', 'stubborn');
    await until('pod deleted', async () => {
      try {
        await f.client.get(R.pods, 'default', 'stubborn');
        return false;
      } catch {
        return true;
      }
    });
    assert.match(await readFile(out, 'utf8'), /^started\nprestop\nTERM\n/);
    assert.equal((await f.runtime().listContainers()).length, 0);
    assert.equal((await f.runtime().listPodSandboxes()).length, 0);
    assert.throws(() => process.kill(c.pid!, 0));
  });

  it('deletion: the pod leaves the proxies rotation before preStop and SIGTERM', async () => {
    const out = join(f.dataDir, 'rotation.txt');
    const asked: string[] = [];
    let leave!: () => void;
    const left = new Promise<void>((r) => (leave = r));
    const agent = f.agent({
      rotation: {
        waitOutOfRotation: async (uid) => {
          asked.push(uid);
          await left;
          await appendFile(out, 'out of rotation\n');
          return true;
        },
      },
    });
    await agent.start();
    const created = await f.client.create(
      R.pods,
      'default',
      pod('served', {
        terminationGracePeriodSeconds: 5,
        containers: [sh('app', `trap 'echo TERM >> ${out}; exit 0' TERM; while :; do sleep 0.1; done`, { lifecycle: { preStop: { exec: { command: ['sh', '-c', `echo prestop >> ${out}`] } } } })],
      }),
    );
    await until('running', async () => (await podStatus(f.client, 'served')).containerStatuses?.[0].state.running);
    await f.client.delete(R.pods, 'default', 'served');
    await until('asked', () => asked.length > 0);
    assert.deepEqual(asked, [created.metadata.uid]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await readFile(out, 'utf8').catch(() => ''), '', 'nothing stopped while the pod is in rotation');
    leave();
    await until('pod deleted', () => f.client.get(R.pods, 'default', 'served').then(() => false, () => true));
    assert.equal(await readFile(out, 'utf8'), 'out of rotation\nprestop\nTERM\n');
  });

  it('a failing postStart hook kills the container (FailedPostStartHook) and it restarts', async () => {
    const agent = f.agent();
    await agent.start();
    const created = await f.client.create(
      R.pods,
      'default',
      pod('hook', { terminationGracePeriodSeconds: 1, containers: [sh('app', 'sleep 1000', { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 7'] } } } })] }),
    );
    const uid = created.metadata.uid;
    await until('restarted after the hook failed', async () => ((await podStatus(f.client, 'hook')).containerStatuses?.[0].restartCount ?? 0) >= 1);
    await agent.recorder.flush();
    const events = await eventsOf(f.client, 'hook');
    const failed = events.find((e) => e.reason === 'FailedPostStartHook');
    assert.equal(failed?.message, `Exec lifecycle hook ([sh -c exit 7]) for Container "app" in Pod "hook_default(${uid})" failed - error: command 'sh -c exit 7' exited with 7: , message: ""`);
    assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'FailedPostStartHook'));
  });

  it('activeDeadlineSeconds: past the deadline every container stops and the pod fails with DeadlineExceeded', async () => {
    const agent = f.agent();
    await agent.start();
    await f.client.create(R.pods, 'default', pod('deadline', { activeDeadlineSeconds: 30, terminationGracePeriodSeconds: 1, containers: [sh('app', 'sleep 1000')] }));
    await until('running', async () => (await podStatus(f.client, 'deadline')).containerStatuses?.[0].state.running);
    f.clock.advance(31_000);
    const st = await until('failed', async () => {
      const s = (await f.client.get(R.pods, 'default', 'deadline')).status as Record<string, unknown>;
      return s.phase === 'Failed' && s;
    });
    assert.equal(st.reason, 'DeadlineExceeded');
    assert.equal(st.message, 'Pod was active on the node longer than the specified deadline');
    assert.equal((await f.runtime().listContainers()).filter((c) => c.state === 'running').length, 0);
  });

  it('a new image restarts the container: Killing "definition changed"', async () => {
    const agent = f.agent();
    await agent.start();
    await f.client.create(R.pods, 'default', pod('img', { terminationGracePeriodSeconds: 1, containers: [sh('app', 'sleep 1000')] }));
    await until('running', async () => (await podStatus(f.client, 'img')).containerStatuses?.[0].state.running);
    const current = await f.client.get(R.pods, 'default', 'img');
    (current.spec as { containers: { image: string }[] }).containers[0].image = 'busybox:2';
    await f.client.update(R.pods, current);
    const cs = await until('restarted', async () => {
      const c = (await podStatus(f.client, 'img')).containerStatuses?.[0];
      return c?.restartCount === 1 && c.state.running && c;
    });
    assert.equal((cs as { image?: string }).image, 'busybox:2');
    await agent.recorder.flush();
    assert.ok((await eventsOf(f.client, 'img')).some((e) => e.reason === 'Killing' && e.message === 'Container app definition changed, will be restarted'));
  });

  it('a sidecar (init container with restartPolicy Always) starts before the app and stops when the pod completes', async () => {
    const agent = f.agent();
    await agent.start();
    const out = join(f.dataDir, 'sidecar.txt');
    await f.client.create(
      R.pods,
      'default',
      pod('side', {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        initContainers: [sh('proxy', `echo proxy >> ${out}; sleep 1000`, { restartPolicy: 'Always' })],
        containers: [sh('main', `sleep 0.3; echo main >> ${out}`)],
      }),
    );
    const st = await until('Succeeded', async () => {
      const s = await podStatus(f.client, 'side');
      return s.phase === 'Succeeded' && s;
    });
    assert.equal(await readFile(out, 'utf8'), 'proxy\nmain\n');
    await until('sidecar stopped', async () => (await f.runtime().listContainers()).every((c) => c.state === 'exited'));
    assert.equal(st.containerStatuses![0].state.terminated!.reason, 'Completed');
  });

  it('terminationMessagePolicy FallbackToLogsOnError: a failed container reports its log tail as the message', async () => {
    const agent = f.agent();
    await agent.start();
    await f.client.create(
      R.pods,
      'default',
      pod('fallback', { restartPolicy: 'Never', containers: [sh('app', 'echo line1; echo line2 >&2; exit 2', { terminationMessagePolicy: 'FallbackToLogsOnError' })] }),
    );
    const st = await until('Failed', async () => {
      const s = await podStatus(f.client, 'fallback');
      return s.phase === 'Failed' && s;
    });
    const t = st.containerStatuses![0].state.terminated as { exitCode: number; reason: string; message?: string };
    assert.deepEqual([t.exitCode, t.reason, t.message], [2, 'Error', 'line1\nline2\n']);
  });
});
