// The process runtime against the runtime conformance suite, plus what only
// it does (the shim outliving a killed agent, cgroup files, exec joining the
// container's cgroup). The shim is compiled into a temp dir first, exactly
// as `npm run build` compiles it into dist/. With a pod network: see
// pod-network.test.ts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { runRuntimeConformance } from '../conformance.ts';
import type { RuntimeEvents } from '../types.ts';
import { ProcessRuntime } from './process-runtime.ts';
import { processesMentioning } from './proc.ts';
import { killMentioning } from './test-cleanup.ts';
import { processFixture, testShim } from './test-fixture.ts';

const shimPath = testShim();
const noEvents: RuntimeEvents = { changed() {} };
const fixture = () => processFixture();

runRuntimeConformance('process', fixture);

describe('process runtime', () => {
  it('containers outlive an agent killed with SIGKILL and are re-adopted', async () => {
    const f = await fixture();
    let rt: ProcessRuntime | undefined;
    try {
      // The "agent": a separate Node process that starts a container, prints it and waits to be killed.
      const script = `
        import { ProcessRuntime } from ${JSON.stringify(fileURLToPath(new URL('./process-runtime.ts', import.meta.url)))};
        const rt = new ProcessRuntime(${JSON.stringify({ stateDir: f.stateDir, shimPath, cgroupParent: `skiff-test-${basename(f.dir)}` })});
        await rt.start({ changed() {} });
        const sb = await rt.runPodSandbox({ podUid: 'u', namespace: 'default', name: 'p' });
        const c = await rt.startContainer({ sandboxId: sb.id, podUid: 'u', namespace: 'default', podName: 'p', name: 'c', attempt: 0,
          image: 'process', command: ['sh', '-c', 'echo ready; while :; do sleep 0.1; done'], args: [], env: [], mounts: [], limits: {},
          logPath: ${JSON.stringify(join(f.dir, 'c.log'))} });
        console.log(JSON.stringify(c));
        setInterval(() => {}, 1000);
      `;
      const agent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        agent.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        agent.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
      });
      const started = JSON.parse(line) as { id: string; pid: number };
      agent.kill('SIGKILL');
      await new Promise((r) => agent.once('exit', r));
      rt = f.make();
      await rt.start(noEvents);
      const s = await rt.containerStatus(started.id);
      assert.equal(s?.state, 'running');
      assert.equal(s?.pid, started.pid);
      await rt.stopContainer(started.id, 0);
      assert.equal((await rt.containerStatus(started.id))?.signal, 'SIGKILL');
    } finally {
      await rt?.close();
      await f.cleanup();
    }
  });

  it('a container whose shim was killed stays running and stoppable; its end is then reported as Unknown (255)', async () => {
    const f = await fixture();
    const rt = f.runtime;
    try {
      await rt.start(noEvents);
      const sb = await rt.runPodSandbox({ podUid: 'u', namespace: 'default', name: 'p' });
      const config = {
        sandboxId: sb.id, podUid: 'u', namespace: 'default', podName: 'p', attempt: 0, image: 'process',
        command: ['sh', '-c', 'while :; do sleep 0.1; done'], args: [], env: [], mounts: [], limits: {},
      };
      const shimOf = (id: string) => JSON.parse(readFileSync(join(f.stateDir, 'containers', id, 'shim.json'), 'utf8')).shimPid as number;
      const waitGone = async (pid: number) => {
        while (processesMentioning('').includes(pid)) await new Promise((r) => setTimeout(r, 20));
      };

      const a = await rt.startContainer({ ...config, name: 'a', logPath: join(f.dir, 'a.log') });
      process.kill(shimOf(a.id), 'SIGKILL');
      await waitGone(shimOf(a.id));
      assert.equal((await rt.containerStatus(a.id))?.state, 'running');
      await rt.stopContainer(a.id, 1);
      const sa = (await rt.containerStatus(a.id))!;
      assert.equal(sa.state, 'exited');
      assert.equal(sa.reason, 'Unknown');
      assert.equal(sa.exitCode, 255);

      const b = await rt.startContainer({ ...config, name: 'b', logPath: join(f.dir, 'b.log') });
      process.kill(shimOf(b.id), 'SIGKILL');
      process.kill(b.pid!, 'SIGKILL');
      const sb2 = await (async () => {
        for (;;) {
          const s = await rt.containerStatus(b.id);
          if (s?.state === 'exited') return s;
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      assert.equal(sb2.reason, 'Unknown');
      assert.match(sb2.message ?? '', /supervisor/);
    } finally {
      await rt.close();
      await f.cleanup();
    }
  });

  it('writes limits into the cgroup and runs exec in the container cgroup', async (t) => {
    const f = await fixture();
    const rt = f.runtime;
    try {
      await rt.start(noEvents);
      if (!rt.capabilities.limits) return t.skip(rt.capabilities.notes.join('; '));
      const sb = await rt.runPodSandbox({ podUid: 'u', namespace: 'default', name: 'p' });
      const c = await rt.startContainer({
        sandboxId: sb.id, podUid: 'u', namespace: 'default', podName: 'p', name: 'c', attempt: 0, image: 'process',
        command: ['sh', '-c', 'while :; do sleep 0.1; done'], args: [], env: [], mounts: [],
        limits: { memoryBytes: 64 * 1024 * 1024, cpuMillis: 250 }, logPath: join(f.dir, 'c.log'),
      });
      const cgroupOf = (pid: number) => readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      assert.match(cgroupOf(c.pid!), new RegExp(c.id));
      const files = rt.cgroupParents().map((p) => join(p, c.id));
      const read = (name: string) => files.map((d) => { try { return readFileSync(join(d, name), 'utf8').trim(); } catch { return undefined; } }).find((v) => v !== undefined);
      assert.ok(read('memory.max') === String(64 * 1024 * 1024) || read('memory.limit_in_bytes') === String(64 * 1024 * 1024));
      assert.ok(read('cpu.max') === '25000 100000' || read('cpu.cfs_quota_us') === '25000');
      const ex = await rt.exec(c.id, { command: ['cat', '/proc/self/cgroup'] });
      let out = '';
      ex.stdout.on('data', (d) => (out += d));
      await ex.exit;
      assert.match(out, new RegExp(c.id));
    } finally {
      await rt.close();
      await f.cleanup();
    }
  });

  it('without root: no limits or mounts (with notes), and stop still kills the whole tree', async (t) => {
    if (process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).error) return t.skip('needs root and setpriv to switch to an unprivileged user');
    const dir = mkdtempSync(join(tmpdir(), 'skiff-unprivileged-'));
    try {
      chmodSync(dir, 0o777);
      copyFileSync(shimPath, join(dir, 'skiff-shim'));
      const marker = `skiff-unpriv-${basename(dir)}`;
      const script = `
        import { ProcessRuntime } from ${JSON.stringify(fileURLToPath(new URL('./process-runtime.ts', import.meta.url)))};
        const rt = new ProcessRuntime({ stateDir: ${JSON.stringify(join(dir, 'state'))}, shimPath: ${JSON.stringify(join(dir, 'skiff-shim'))} });
        await rt.start({ changed() {} });
        const sb = await rt.runPodSandbox({ podUid: 'u', namespace: 'default', name: 'p' });
        const c = await rt.startContainer({ sandboxId: sb.id, podUid: 'u', namespace: 'default', podName: 'p', name: 'c', attempt: 0,
          image: 'process', command: ['sh', '-c', 'm=${marker.slice(0, 5)}; setsid sh -c "while :; do sleep 0.1; done" "$m${marker.slice(5)}" & echo ready; wait'],
          args: [], env: [], mounts: [], limits: { memoryBytes: 1e8 }, logPath: ${JSON.stringify(join(dir, 'c.log'))} });
        while (!(await import('node:fs')).readFileSync(c.logPath, 'utf8').includes('ready')) await new Promise((r) => setTimeout(r, 20));
        await rt.stopContainer(c.id, 5);
        const status = await rt.containerStatus(c.id);
        await rt.removePodSandbox(sb.id);
        await rt.close();
        console.log(JSON.stringify({ capabilities: rt.capabilities, status }));
      `;
      // Bundled into the temp dir: the unprivileged user may not be able to read the checkout (or tsx in it).
      const bundle = join(dir, 'unprivileged.mjs');
      buildSync({ stdin: { contents: script, resolveDir: dir, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'silent' });
      chmodSync(bundle, 0o644);
      const res = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bundle], {
        cwd: dir,
        env: { ...process.env, HOME: dir },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(res.status, 0, res.stderr);
      const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
      assert.equal(out.capabilities.limits, false);
      assert.equal(out.capabilities.mounts, false);
      assert.equal(out.capabilities.notes.length, 2);
      assert.equal(out.status.state, 'exited');
      assert.equal(out.status.signal, 'SIGTERM');
      assert.deepEqual(processesMentioning(marker), [], 'the process that left the group was killed too');
    } finally {
      killMentioning(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
