// Issue 3's end-to-end checks, with the real kubectl against the real
// `bin/skiff server` (control plane + local agent on the process runtime):
// deployments run, heal and scale; rollouts keep their surge/unavailable
// bounds, undo, and fail on a progress deadline; jobs complete and stop at
// their backoff limit; `create job --from` a CronJob; env, config files and
// logs reach the process; probes, preStop and the grace period behave; an
// agent restart keeps the pods' processes, and a kill -9 mid-rollout
// converges without duplicates or orphaned processes.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface DeploymentOptions {
  command?: string[];
  readiness?: unknown;
  strategy?: unknown;
  progressDeadlineSeconds?: number;
  image?: string;
  env?: unknown[];
}

function deployment(name: string, replicas: number, o: DeploymentOptions = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      ...(o.strategy ? { strategy: o.strategy } : {}),
      ...(o.progressDeadlineSeconds ? { progressDeadlineSeconds: o.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'app',
              image: o.image ?? 'busybox:1',
              command: o.command ?? ['sleep', '3600'],
              ...(o.env ? { env: o.env } : {}),
              ...(o.readiness ? { readinessProbe: o.readiness } : {}),
            },
          ],
        },
      },
    },
  });
}

/** PIDs of the container supervisors (shims) of a data dir: one per running container. */
function shimsOf(dataDir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes('skiff-shim') && cmdline.includes(dataDir)) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('workloads', { timeout: 900_000 }, () => {
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
      await sleep(200);
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  const live = (p: any) => !p.metadata.deletionTimestamp;
  const running = (p: any) => p.status?.phase === 'Running' && live(p);
  const ready = (p: any) => live(p) && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
  const readPid = (file: string) => Number(readFileSync(join(work, file), 'utf8').trim());
  /** The pid file exists and is written (`echo $$ > f` creates it empty first). */
  const hasPid = (file: string) => existsSync(join(work, file)) && readPid(file) > 0;
  // The pod writes its PID to WORK/<pod name>.pid, then becomes `sleep`: the PID is the container's process.
  // ($$$$ because Kubernetes' $(VAR) expansion turns $$ into $.)
  const pidCommand = () => ['sh', '-c', `echo $$$$ > ${work}/$(POD_NAME).pid && exec sleep 3600`];
  const podNameEnv = [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];

  it('runs a 3-replica Deployment, replaces a deleted pod and restarts a killed process', async () => {
    await s.k(['apply', '-f', '-'], { input: deployment('heal', 3, { command: pidCommand(), env: podNameEnv }) });
    await s.k(['rollout', 'status', 'deploy/heal', '--timeout=60s']);
    let ps = await pods('app=heal');
    assert.equal(ps.filter(running).length, 3);
    const victim = ps[0].metadata.name;
    await s.k(['delete', 'pod', victim, '--wait=false']);
    await until('a replacement pod', async () => {
      ps = await pods('app=heal');
      return ps.filter((p) => ready(p) && p.metadata.name !== victim).length === 3;
    });
    // Kill the container's process: the agent starts it again in the same pod and counts the restart.
    const target = ps.find((p) => ready(p) && p.metadata.name !== victim)!.metadata.name;
    await until('the pid file', async () => hasPid(`${target}.pid`));
    const pid = readPid(`${target}.pid`);
    process.kill(pid, 'SIGKILL');
    await until('restartCount 1', async () => {
      const p = await json(['get', 'pod', target]);
      const cs = p.status.containerStatuses?.[0];
      return cs?.restartCount === 1 && cs.ready === true;
    });
    const p = await json(['get', 'pod', target]);
    assert.equal(p.status.containerStatuses[0].lastState.terminated.exitCode, 137);
    await until('a new pid', async () => hasPid(`${target}.pid`) && readPid(`${target}.pid`) !== pid && alive(readPid(`${target}.pid`)));
  });

  it('scales 3 -> 10 -> 2 and converges', async () => {
    await s.k(['scale', 'deploy/heal', '--replicas=10']);
    await s.k(['rollout', 'status', 'deploy/heal', '--timeout=60s']);
    assert.equal((await pods('app=heal')).filter(running).length, 10);
    await s.k(['scale', 'deploy/heal', '--replicas=2']);
    await until('2 pods', async () => (await pods('app=heal')).length === 2, 90_000);
    const d = await json(['get', 'deploy', 'heal']);
    assert.equal(d.status.readyReplicas, 2);
    assert.equal(d.status.replicas, 2);
  });

  it('rolls out within maxSurge/maxUnavailable, then undoes and shows history', async () => {
    const readiness = { exec: { command: ['true'] }, periodSeconds: 1 };
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    await s.k(['apply', '-f', '-'], { input: deployment('roll', 4, { readiness, strategy }) });
    await s.k(['rollout', 'status', 'deploy/roll', '--timeout=60s']);
    await s.k(['set', 'image', 'deploy/roll', 'app=busybox:2']);
    let maxPods = 0;
    let minReady = Infinity;
    let done = false;
    const status = s.k(['rollout', 'status', 'deploy/roll', '--timeout=90s']).finally(() => (done = true));
    while (!done) {
      const ps = await pods('app=roll');
      maxPods = Math.max(maxPods, ps.filter(live).length);
      minReady = Math.min(minReady, ps.filter(ready).length);
      await sleep(50);
    }
    assert.match(await status, /successfully rolled out/);
    assert.ok(maxPods <= 5, `saw ${maxPods} pods (replicas 4 + maxSurge 1)`);
    assert.ok(minReady >= 3, `saw only ${minReady} ready pods (replicas 4 - maxUnavailable 1)`);
    const rs = (await json(['get', 'rs', '-l', 'app=roll'])).items as any[];
    assert.equal(rs.length, 2);
    await s.k(['rollout', 'undo', 'deploy/roll']);
    await s.k(['rollout', 'status', 'deploy/roll', '--timeout=90s']);
    const d = await json(['get', 'deploy', 'roll']);
    assert.equal(d.spec.template.spec.containers[0].image, 'busybox:1');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    const history = await s.k(['rollout', 'history', 'deploy/roll']);
    assert.match(history, /^2\s/m);
    assert.match(history, /^3\s/m);
  });

  it('rollout status fails with ProgressDeadlineExceeded for a version that never gets ready', async () => {
    const readiness = { exec: { command: ['false'] }, periodSeconds: 1 };
    await s.k(['apply', '-f', '-'], { input: deployment('stuck', 1, { readiness, progressDeadlineSeconds: 3 }) });
    const r = await s.kubectl(['rollout', 'status', 'deploy/stuck', '--timeout=60s']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exceeded its progress deadline/);
    const d = await json(['get', 'deploy', 'stuck']);
    const progressing = d.status.conditions.find((c: any) => c.type === 'Progressing');
    assert.equal(progressing.reason, 'ProgressDeadlineExceeded');
    await s.k(['delete', 'deploy', 'stuck']);
  });

  it('runs a Job with completions 3 and parallelism 2 to completion', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'batch' },
      spec: {
        completions: 3,
        parallelism: 2,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox', command: ['sh', '-c', 'echo working; sleep 0.3'] }] } },
      },
    };
    await s.k(['apply', '-f', '-'], { input: JSON.stringify(job) });
    let maxActive = 0;
    await until('the job to complete', async () => {
      const j = await json(['get', 'job', 'batch']);
      maxActive = Math.max(maxActive, j.status?.active ?? 0);
      return j.status?.conditions?.some((c: any) => c.type === 'Complete' && c.status === 'True');
    });
    const j = await json(['get', 'job', 'batch']);
    assert.equal(j.status.succeeded, 3);
    assert.ok(maxActive <= 2, `saw ${maxActive} active pods`);
    assert.match(await s.k(['logs', 'job/batch']), /working/);
  });

  it('stops a failing Job at its backoffLimit', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'failing' },
      spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox', command: ['sh', '-c', 'exit 3'] }] } } },
    };
    await s.k(['apply', '-f', '-'], { input: JSON.stringify(job) });
    await s.k(['wait', '--for=condition=Failed', 'job/failing', '--timeout=90s']);
    const j = await json(['get', 'job', 'failing']);
    const failed = j.status.conditions.find((c: any) => c.type === 'Failed');
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(j.status.failed, 2);
    const ps = await pods('batch.kubernetes.io/job-name=failing');
    assert.equal(ps.length, 2);
    assert.ok(ps.every((p) => p.status.phase === 'Failed'));
  });

  it('creates a Job from a CronJob with kubectl create job --from', async () => {
    const cj = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report' },
      spec: {
        schedule: '0 0 1 1 *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'r', image: 'busybox', command: ['sh', '-c', 'echo report done'] }] } } } },
      },
    };
    await s.k(['apply', '-f', '-'], { input: JSON.stringify(cj) });
    await s.k(['create', 'job', '--from=cronjob/report', 'manual-1']);
    await s.k(['wait', '--for=condition=Complete', 'job/manual-1', '--timeout=60s']);
    assert.match(await s.k(['logs', 'job/manual-1']), /report done/);
    const j = await json(['get', 'job', 'manual-1']);
    assert.equal(j.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.equal(j.metadata.ownerReferences[0].kind, 'CronJob');
  });

  it('gives the process env from ConfigMaps and Secrets, $(VAR) expansion and mounted files', async () => {
    await s.k(['create', 'configmap', 'app-config', '--from-literal=GREETING=hello', '--from-literal=settings.ini=mode=fast']);
    await s.k(['create', 'secret', 'generic', 'app-secret', '--from-literal=TOKEN=t0p']);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'envy' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'c',
            image: 'busybox',
            command: ['sh', '-c', 'echo "greeting=$GREETING token=$TOKEN both=$(BOTH) file=$(cat /etc/app/settings.ini)"'],
            env: [
              { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'GREETING' } } },
              { name: 'BOTH', value: '$(GREETING)-$(TOKEN)' },
            ],
            envFrom: [{ secretRef: { name: 'app-secret' } }],
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }],
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'app-config' } }],
      },
    };
    await s.k(['apply', '-f', '-'], { input: JSON.stringify(pod) });
    await until('the pod to succeed', async () => (await json(['get', 'pod', 'envy'])).status.phase === 'Succeeded');
    const out = await s.k(['logs', 'envy']);
    // envFrom is resolved before env, so env values can refer to what envFrom brings ($(TOKEN)), as on Kubernetes.
    assert.match(out, /greeting=hello token=t0p both=hello-t0p file=mode=fast/);
  });

  it('gates Ready on readiness, restarts on a failing liveness probe', async () => {
    const flag = join(work, 'ready-flag');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'probed' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'busybox',
            command: ['sleep', '3600'],
            readinessProbe: { exec: { command: ['test', '-f', flag] }, periodSeconds: 1 },
            livenessProbe: { exec: { command: ['test', '!', '-f', `${flag}.dead`] }, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      },
    };
    await s.k(['apply', '-f', '-'], { input: JSON.stringify(pod) });
    await until('running', async () => (await json(['get', 'pod', 'probed'])).status.phase === 'Running');
    await sleep(1500);
    assert.ok(!ready(await json(['get', 'pod', 'probed'])), 'ready before the probe passed');
    await s.k(['exec', 'probed', '--', 'touch', flag]);
    await s.k(['wait', '--for=condition=Ready', 'pod/probed', '--timeout=30s']);
    await s.k(['exec', 'probed', '--', 'touch', `${flag}.dead`]);
    await until('a liveness restart', async () => (await json(['get', 'pod', 'probed'])).status.containerStatuses[0].restartCount >= 1, 30_000);
    rmSync(`${flag}.dead`, { force: true });
    const events = await s.k(['get', 'events', '--field-selector', 'involvedObject.name=probed']);
    assert.match(events, /Liveness probe failed/);
    assert.match(events, /failed liveness probe, will be restarted/);
    await s.k(['delete', 'pod', 'probed', '--grace-period=1']);
  });

  it('runs preStop before SIGTERM and kills a process that ignores SIGTERM at the end of its grace period', async () => {
    const order = join(work, 'order');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stubborn' },
      spec: {
        terminationGracePeriodSeconds: 3,
        containers: [
          {
            name: 'c',
            image: 'busybox',
            command: ['sh', '-c', `trap 'echo sigterm >> ${order}' TERM; echo $$$$ > ${work}/stubborn.pid; while true; do sleep 0.2; done`],
            lifecycle: { preStop: { exec: { command: ['sh', '-c', `echo prestop >> ${order}`] } } },
          },
        ],
      },
    };
    await s.k(['apply', '-f', '-'], { input: JSON.stringify(pod) });
    await s.k(['wait', '--for=condition=Ready', 'pod/stubborn', '--timeout=30s']);
    await until('the pid file', async () => hasPid('stubborn.pid'));
    const pid = readPid('stubborn.pid');
    const t0 = Date.now();
    await s.k(['delete', 'pod', 'stubborn', '--timeout=60s']);
    const took = Date.now() - t0;
    assert.ok(!alive(pid), 'the process survived its grace period');
    assert.ok(took >= 2500, `deleted after ${took} ms, before the grace period ended`);
    assert.deepEqual(readFileSync(order, 'utf8').trim().split('\n'), ['prestop', 'sigterm']);
  });

  it('keeps every pod process across a server restart (same PIDs), and converges after kill -9 mid-rollout', async () => {
    await s.k(['scale', 'deploy/heal', '--replicas=3']);
    await s.k(['rollout', 'status', 'deploy/heal', '--timeout=60s']);
    await until('3 pid files', async () => (await pods('app=heal')).filter(ready).every((p) => hasPid(`${p.metadata.name}.pid`)));
    const livePods = (await pods('app=heal')).filter(live);
    const before = new Map(livePods.map((p) => [p.metadata.name, readPid(`${p.metadata.name}.pid`)]));
    const restarts = new Map(livePods.map((p) => [p.metadata.name, p.status.containerStatuses[0].restartCount]));
    assert.equal(before.size, 3);
    await s.stop();
    for (const pid of before.values()) assert.ok(alive(pid), 'a pod process died with the server');
    s = await startServer({ dataDir: s.dataDir, home: s.home });
    await s.k(['rollout', 'status', 'deploy/heal', '--timeout=60s']);
    await sleep(2000);
    const after = (await pods('app=heal')).filter(live);
    assert.deepEqual(after.map((p) => p.metadata.name).sort(), [...before.keys()].sort());
    for (const p of after) {
      assert.equal(readPid(`${p.metadata.name}.pid`), before.get(p.metadata.name));
      assert.equal(p.status.containerStatuses[0].restartCount, restarts.get(p.metadata.name));
      assert.ok(alive(before.get(p.metadata.name)!));
    }

    // A rollout, interrupted by kill -9 of the whole server, finishes after a restart with exactly the replicas asked for.
    await s.k(['set', 'image', 'deploy/heal', 'app=busybox:2']);
    await sleep(700);
    await s.kill9();
    s = await startServer({ dataDir: s.dataDir, home: s.home });
    await s.k(['rollout', 'status', 'deploy/heal', '--timeout=90s']);
    await until('old pods gone', async () => (await pods('app=heal')).length === 3, 60_000);
    const final = await pods('app=heal');
    assert.ok(final.every((p) => p.spec.containers[0].image === 'busybox:2' && ready(p)));
    // No duplicate and no orphan: one container process per pod of the whole server, nothing else.
    let seen = '';
    await until("one supervisor per running pod", async () => {
      const shims = shimsOf(s.dataDir);
      const runningPods = (await pods('')).filter(running);
      seen = `${shims.length} shims for ${runningPods.length} running pods (${runningPods.map((p) => p.metadata.name).join(' ')})`;
      return shims.length === runningPods.length;
    }, 30_000).catch((e) => assert.fail(`${e.message}: ${seen}`));
  });
});
