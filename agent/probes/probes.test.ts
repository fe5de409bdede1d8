// Probes over the real process runtime, driven by the injected clock:
// liveness failures restart the container with the kubelet's events,
// readiness gates the Ready condition, HTTP probes reach the pod.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { R } from '../../client/resources.ts';
import { eventsOf, pod, podStatus, sh, until, useAgentFixture } from '../test-fixture.ts';
import { httpGetAction, tcpAction } from './handlers.ts';

const f = useAgentFixture('probes');

describe('probes', () => {
  it('a failing liveness probe restarts the container: Unhealthy, then Killing with the kubelet message', async () => {
    const agent = f.agent();
    await agent.start();
    await f.client.create(
      R.pods,
      'default',
      pod('live', {
        terminationGracePeriodSeconds: 1,
        containers: [sh('app', 'sleep 1000', { livenessProbe: { exec: { command: ['sh', '-c', 'echo sick; exit 1'] }, periodSeconds: 1, failureThreshold: 2 } })],
      }),
    );
    await until('running', async () => (await podStatus(f.client, 'live')).containerStatuses?.[0].state.running);
    const cs = await until(
      'restarted',
      async () => {
        const c = (await podStatus(f.client, 'live')).containerStatuses?.[0];
        return c && c.restartCount >= 1 && c;
      },
      { clock: f.clock, advanceMs: 500 },
    );
    assert.ok(cs.lastState.terminated);
    await agent.recorder.flush();
    const events = await eventsOf(f.client, 'live');
    assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'Unhealthy' && e.message === 'Liveness probe failed: sick\n'));
    assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'Container app failed liveness probe, will be restarted'));
  });

  it('readiness gates Ready and ContainersReady', async () => {
    const agent = f.agent();
    await agent.start();
    const flag = join(f.dataDir, 'ready-flag');
    await f.client.create(
      R.pods,
      'default',
      pod('ready', { containers: [sh('app', 'sleep 1000', { readinessProbe: { exec: { command: ['test', '-f', flag] }, periodSeconds: 2 } })] }),
    );
    const st = await until('running', async () => {
      const s = await podStatus(f.client, 'ready');
      return s.containerStatuses?.[0].state.running && s;
    });
    f.clock.advance(4_000);
    await new Promise((r) => setTimeout(r, 200));
    const before = await podStatus(f.client, 'ready');
    assert.equal(before.conditions!.find((c) => c.type === 'Ready')!.status, 'False');
    assert.equal(before.containerStatuses![0].ready, false);
    assert.equal(st.phase, 'Running');
    await writeFile(flag, '');
    await until('Ready', async () => (await podStatus(f.client, 'ready')).conditions?.find((c) => c.type === 'ContainersReady')?.status === 'True', { clock: f.clock, advanceMs: 1000 });
  });

  it('a startup probe gates readiness and liveness until it passes', async () => {
    const agent = f.agent();
    await agent.start();
    const flag = join(f.dataDir, 'started-flag');
    await f.client.create(
      R.pods,
      'default',
      pod('slow', {
        containers: [
          sh('app', 'sleep 1000', {
            startupProbe: { exec: { command: ['test', '-f', flag] }, periodSeconds: 1, failureThreshold: 1000 },
            livenessProbe: { exec: { command: ['test', '-f', flag] }, periodSeconds: 1, failureThreshold: 1 },
            readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
          }),
        ],
      }),
    );
    await until('running', async () => (await podStatus(f.client, 'slow')).containerStatuses?.[0].state.running);
    for (let i = 0; i < 5; i++) {
      f.clock.advance(1000);
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = (await podStatus(f.client, 'slow')).containerStatuses![0];
    assert.deepEqual([before.started, before.ready, before.restartCount], [false, false, 0], 'liveness does not run before startup passes');
    await writeFile(flag, '');
    const after = await until(
      'started and ready',
      async () => {
        const c = (await podStatus(f.client, 'slow')).containerStatuses?.[0];
        return c?.started && c.ready && c;
      },
      { clock: f.clock, advanceMs: 1000 },
    );
    assert.equal(after.restartCount, 0);
  });

  it('httpGet and tcpSocket actions: status codes, headers and refused connections read as the kubelet reports them', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/ok' && req.headers['x-probe'] === 'yes' ? 200 : 500;
      res.end(req.headers['user-agent']);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const c = { name: 'app', ports: [{ name: 'http', containerPort: port }] };
      const ok = await httpGetAction({ path: '/ok', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, c, '127.0.0.1', 1000);
      assert.deepEqual([ok.ok, ok.output], [true, 'kube-probe/1.33']);
      const bad = await httpGetAction({ path: '/bad', port }, c, '127.0.0.1', 1000);
      assert.deepEqual([bad.ok, bad.output], [false, 'HTTP probe failed with statuscode: 500']);
      assert.equal((await tcpAction('127.0.0.1', port, 1000)).ok, true);
    } finally {
      await new Promise((r) => server.close(r));
    }
    const refused = await tcpAction('127.0.0.1', port, 1000);
    assert.deepEqual(refused, { ok: false, output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
    const refusedHttp = await httpGetAction({ path: '/x', port }, { name: 'app' }, '127.0.0.1', 1000);
    assert.equal(refusedHttp.output, `Get "http://127.0.0.1:${port}/x": dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });
});
