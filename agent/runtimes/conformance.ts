// The behaviour every container Runtime must show, as node:test cases
// written against the interface only (the way store/conformance.ts does for
// stores). A runtime's test file calls runRuntimeConformance with a factory
// that opens a fresh runtime over fresh state. Containers run `sh` scripts
// using only what busybox also has, so an image runtime passes the same
// suite with a busybox image. Tests that need a capability the runtime lacks
// on this machine are skipped with the runtime's own note as the reason.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { ContainerConfig, ContainerStatus, PodSandbox, Runtime, RuntimeEvents } from './types.ts';
import { RuntimeError } from './types.ts';

export interface RuntimeFixture {
  /** A runtime over fresh state, not started yet (the suite starts it). */
  runtime: Runtime;
  /** A new instance over the same state, as after an agent restart. The suite closes the previous one first and starts this one. */
  reopen(): Promise<Runtime>;
  /** A fresh host directory for log files and volume sources. */
  dir: string;
  image: string;
  /** The runtime cannot run a container without `command` (it has no image entrypoint). */
  requiresCommand: boolean;
  /** argv of a TCP server in the pod that echoes what it receives on `port`. */
  echoServer(port: number): string[];
  /** Kills and removes everything the test left, whatever state it is in. The suite closes its runtimes first. */
  cleanup(): Promise<void>;
}

const WAIT_MS = 20_000;
const CASE_MS = 60_000;

class Events implements RuntimeEvents {
  readonly ids: string[] = [];
  changed(id: string): void {
    this.ids.push(id);
  }
}

interface Ctx {
  rt: Runtime;
  fixture: RuntimeFixture;
  events: Events;
  sandbox: PodSandbox;
  /** Closes the current runtime and starts a new instance over the same state. */
  restart(): Promise<Runtime>;
  config(name: string, script: string, extra?: Partial<ContainerConfig>): ContainerConfig;
}

interface LogRecord {
  time: string;
  stream: string;
  tag: string;
  content: string;
}

async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = WAIT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function exited(rt: Runtime, id: string): Promise<ContainerStatus> {
  return eventually(`container ${id} to exit`, async () => {
    const s = await rt.containerStatus(id);
    return s?.state === 'exited' ? s : undefined;
  });
}

export function parseLog(text: string): LogRecord[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^(\S+) (stdout|stderr) (F|P) (.*)$/s.exec(line);
      assert.ok(m, `not a CRI log line: ${JSON.stringify(line)}`);
      return { time: m[1], stream: m[2], tag: m[3], content: m[4] };
    });
}

function readLog(path: string): LogRecord[] {
  return existsSync(path) ? parseLog(readFileSync(path, 'utf8')) : [];
}

/** The complete lines of one stream, partial records joined. */
function lines(records: LogRecord[], stream = 'stdout'): string[] {
  const out: string[] = [];
  let pending = '';
  for (const r of records.filter((x) => x.stream === stream)) {
    pending += r.content;
    if (r.tag === 'F') {
      out.push(pending);
      pending = '';
    }
  }
  if (pending) out.push(pending);
  return out;
}

function logged(path: string, line: string): Promise<true> {
  return eventually(`${JSON.stringify(line)} in ${path}`, () => lines(readLog(path)).includes(line) || undefined);
}

function collect(stream: Readable | undefined): Promise<string> {
  if (!stream) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => (text += d));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** A live (not zombie) host process. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live host processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker) && alive(Number(name))) out.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function rand(): string {
  return Math.random().toString(36).slice(2, 10);
}

const SLEEP_LOOP = 'while :; do sleep 0.1; done';

export function runRuntimeConformance(name: string, open: () => Promise<RuntimeFixture>): void {
  /** One case on a fresh runtime; closed and cleaned up afterwards whatever happens. */
  const test = (title: string, body: (ctx: Ctx, t: TestContext) => Promise<void>) =>
    it(title, async (t) => {
      const fixture = await open();
      const events = new Events();
      const ctx: Ctx = {
        rt: fixture.runtime,
        fixture,
        events,
        sandbox: undefined as unknown as PodSandbox,
        async restart() {
          await ctx.rt.close();
          ctx.rt = await fixture.reopen();
          await ctx.rt.start(events);
          return ctx.rt;
        },
        config(cname, script, extra = {}) {
          return {
            sandboxId: ctx.sandbox.id,
            podUid: ctx.sandbox.podUid,
            namespace: 'default',
            podName: 'conformance',
            name: cname,
            attempt: 0,
            image: fixture.image,
            command: ['sh', '-c', script],
            args: [],
            env: [],
            mounts: [],
            limits: {},
            logPath: join(fixture.dir, 'logs', `${cname}.log`),
            ...extra,
          };
        },
      };
      try {
        await ctx.rt.start(events);
        ctx.sandbox = await ctx.rt.runPodSandbox({ podUid: `uid-${rand()}`, namespace: 'default', name: 'conformance' });
        // A runtime that hangs fails the case instead of hanging the suite, and cleanup still runs.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`"${title}" did not finish within ${CASE_MS} ms`)), CASE_MS);
        });
        try {
          await Promise.race([body(ctx, t), timeout]);
        } finally {
          clearTimeout(timer);
        }
      } finally {
        await ctx.rt.close();
        await fixture.cleanup();
      }
    });

  describe(`Runtime conformance: ${name}`, () => {
    describe('start and exit', () => {
      test('runs a command to completion: exit code 0, reason Completed, times and image', async ({ rt, config }) => {
        const started = await rt.startContainer(config('ok', 'echo hello', { args: [] }));
        assert.equal(started.name, 'ok');
        assert.ok(started.state === 'running' || started.state === 'exited');
        assert.ok(started.createdAt instanceof Date);
        const s = await exited(rt, started.id);
        assert.equal(s.exitCode, 0);
        assert.equal(s.reason, 'Completed');
        assert.equal(s.signal, undefined);
        assert.equal(s.image, started.image);
        assert.ok(s.imageId);
        assert.ok(s.startedAt && s.finishedAt && s.finishedAt >= s.startedAt);
        assert.deepEqual(lines(readLog(s.logPath)), ['hello']);
      });

      test('passes args after command', async ({ rt, config }) => {
        const c = await rt.startContainer({ ...config('args', ''), command: ['sh', '-c', 'echo "$0-$1"'], args: ['a', 'b'] });
        assert.deepEqual(lines(readLog((await exited(rt, c.id)).logPath)), ['a-b']);
      });

      test('reports a non-zero exit code with reason Error', async ({ rt, config }) => {
        const s = await exited(rt, (await rt.startContainer(config('fail', 'exit 3'))).id);
        assert.equal(s.exitCode, 3);
        assert.equal(s.reason, 'Error');
      });

      test('reports the signal that ended a container, with exit code 128+n', async ({ rt, config }) => {
        const s = await exited(rt, (await rt.startContainer(config('killed', 'kill -KILL $$'))).id);
        assert.equal(s.signal, 'SIGKILL');
        assert.equal(s.exitCode, 137);
        assert.equal(s.reason, 'Error');
      });

      test('calls changed() when a container exits', async ({ rt, config, events }) => {
        const c = await rt.startContainer(config('ev', 'exit 0'));
        await exited(rt, c.id);
        await eventually('a changed() call', () => events.ids.includes(c.id));
      });

      test('a running container reports its PID; removeContainer forgets an exited one', async ({ rt, config }) => {
        const c = await rt.startContainer(config('sleeper', `echo ready; ${SLEEP_LOOP}`));
        assert.equal(c.state, 'running');
        assert.ok(c.pid && alive(c.pid));
        await rt.stopContainer(c.id, 0);
        await rt.removeContainer(c.id);
        assert.equal(await rt.containerStatus(c.id), undefined);
        assert.ok(!(await rt.listContainers()).some((x) => x.id === c.id));
        await rt.removeContainer(c.id);
      });

      test('listContainers with a podUid filter lists only that pod\'s containers', async ({ rt, config }) => {
        const c = await rt.startContainer(config('mine', 'exit 0'));
        assert.deepEqual((await rt.listContainers({ podUid: c.podUid })).map((x) => x.id), [c.id]);
        assert.deepEqual(await rt.listContainers({ podUid: 'some-other-pod' }), []);
      });

      test('a container without command fails with CreateContainerConfigError', async ({ rt, config, fixture }, t) => {
        if (!fixture.requiresCommand) return t.skip('this runtime runs the image entrypoint');
        await assert.rejects(
          rt.startContainer({ ...config('nocmd', ''), command: [] }),
          (err: unknown) => err instanceof RuntimeError && err.code === 'CreateContainerConfigError' && /command/.test(err.message),
        );
        assert.deepEqual(await rt.listContainers(), []);
      });

      test('a command that does not exist fails with RunContainerError and leaves nothing', async ({ rt, config }) => {
        await assert.rejects(
          rt.startContainer({ ...config('nosuch', ''), command: ['skiff-no-such-command'] }),
          (err: unknown) => err instanceof RuntimeError && err.code === 'RunContainerError' && /skiff-no-such-command/.test(err.message),
        );
        assert.deepEqual(await rt.listContainers(), []);
      });

      test('a container in an unknown sandbox fails with SandboxNotFound', async ({ rt, config }) => {
        await assert.rejects(rt.startContainer({ ...config('x', 'true'), sandboxId: 'no-such-sandbox' }), { code: 'SandboxNotFound' });
      });
    });

    describe('stop', () => {
      test('SIGTERM ends a container within its grace period', async ({ rt, config }) => {
        const c = await rt.startContainer(config('term', `trap 'echo got TERM; exit 0' TERM; echo ready; ${SLEEP_LOOP}`));
        await logged(c.logPath, 'ready');
        await rt.stopContainer(c.id, 30);
        const s = (await rt.containerStatus(c.id))!;
        assert.equal(s.state, 'exited');
        assert.equal(s.exitCode, 0);
        assert.ok(lines(readLog(c.logPath)).includes('got TERM'));
      });

      test('a process ignoring SIGTERM gets SIGKILL after the grace period', async ({ rt, config }) => {
        const c = await rt.startContainer(config('stubborn', `trap '' TERM; echo ready; ${SLEEP_LOOP}`));
        await logged(c.logPath, 'ready');
        await rt.stopContainer(c.id, 1);
        const s = (await rt.containerStatus(c.id))!;
        assert.equal(s.state, 'exited');
        assert.equal(s.signal, 'SIGKILL');
        assert.equal(s.exitCode, 137);
        await rt.stopContainer(c.id, 1);
      });

      test('kills the whole process tree, including processes that left the process group', async ({ rt, config }) => {
        const m = `skiff-tree-${rand()}`;
        // The markers are assembled at run time so that only the two children carry them in their command line.
        const script = `m=${m.slice(0, 5)}; loop='trap "" TERM; ${SLEEP_LOOP}'; sh -c "$loop" "$m${m.slice(5)}-grp" & setsid sh -c "$loop" "$m${m.slice(5)}-sess" & echo ready; wait`;
        const c = await rt.startContainer(config('tree', script));
        await eventually('both children', () => processesWith(m).length === 2);
        await rt.stopContainer(c.id, 1);
        await eventually('no process of the container left', () => processesWith(m).length === 0);
      });
    });

    describe('logs', () => {
      test('CRI format: timestamp, stream, F for full lines and P for a partial one', async ({ rt, config }) => {
        const c = await rt.startContainer(config('fmt', 'echo out1; echo err1 >&2; echo out2; printf partial'));
        const records = readLog((await exited(rt, c.id)).logPath);
        for (const r of records) assert.ok(!Number.isNaN(Date.parse(r.time)) && /Z$/.test(r.time), r.time);
        const simple = records.map((r) => `${r.stream} ${r.tag} ${r.content}`);
        assert.deepEqual(
          simple.filter((x) => x.startsWith('stdout')),
          ['stdout F out1', 'stdout F out2', 'stdout P partial'],
        );
        assert.deepEqual(
          simple.filter((x) => x.startsWith('stderr')),
          ['stderr F err1'],
        );
      });

      test('a very long line is split into P records ending with an F record', async ({ rt, config }) => {
        const c = await rt.startContainer(config('long', "i=0; s=''; while [ $i -lt 2000 ]; do s=\"${s}0123456789\"; i=$((i+1)); done; echo \"$s\""));
        const records = readLog((await exited(rt, c.id)).logPath);
        assert.ok(records.length > 1);
        assert.ok(records.slice(0, -1).every((r) => r.tag === 'P'));
        assert.equal(records.at(-1)!.tag, 'F');
        assert.equal(records.map((r) => r.content).join(''), '0123456789'.repeat(2000));
      });

      test('rotates to logPath.1 at logMaxBytes, keeping the newest lines', async ({ rt, config }) => {
        const script = 'i=0; while [ $i -lt 400 ]; do echo "line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done';
        const c = await rt.startContainer(config('rotate', script, { logMaxBytes: 4096 }));
        await exited(rt, c.id);
        const rotated = `${c.logPath}.1`;
        assert.ok(existsSync(rotated), 'logPath.1 exists');
        for (const path of [c.logPath, rotated]) assert.ok(readFileSync(path).length <= 4096, `${path} within the cap`);
        const older = lines(readLog(rotated));
        const newer = lines(readLog(c.logPath));
        assert.equal(newer.at(-1), 'line 399 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
        const numbers = [...older, ...newer].map((l) => Number(l.split(' ')[1]));
        assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i), 'consecutive lines across the rotation');
      });
    });

    describe('restart of the agent', () => {
      test('a new runtime instance re-adopts running containers (same PID) and can stop them', async (ctx) => {
        const c = await ctx.rt.startContainer(ctx.config('adopt', `echo ready; ${SLEEP_LOOP}`));
        await logged(c.logPath, 'ready');
        const rt = await ctx.restart();
        const s = (await rt.listContainers()).find((x) => x.id === c.id);
        assert.equal(s?.state, 'running');
        assert.equal(s?.pid, c.pid);
        assert.ok(alive(c.pid!));
        assert.deepEqual(
          (await rt.listPodSandboxes()).map((sb) => sb.id),
          [ctx.sandbox.id],
        );
        await rt.stopContainer(c.id, 5);
        assert.equal((await rt.containerStatus(c.id))?.state, 'exited');
        assert.ok(!alive(c.pid!));
      });

      test('an exit while no runtime instance runs is recorded', async (ctx) => {
        const c = await ctx.rt.startContainer(ctx.config('down', `trap 'exit 7' TERM; echo ready; ${SLEEP_LOOP}`));
        await logged(c.logPath, 'ready');
        await ctx.rt.close();
        process.kill(c.pid!, 'SIGTERM');
        await eventually('the process to end', () => !alive(c.pid!));
        const rt = await ctx.restart();
        const s = await exited(rt, c.id);
        assert.equal(s.exitCode, 7);
        assert.equal(s.reason, 'Error');
        assert.ok(s.finishedAt);
      });
    });

    describe('exec', () => {
      const sleeper = async (ctx: Ctx, extra: Partial<ContainerConfig> = {}) => {
        const c = await ctx.rt.startContainer(ctx.config(`sleeper-${rand()}`, `echo ready; ${SLEEP_LOOP}`, extra));
        await logged(c.logPath, 'ready');
        return c;
      };

      test('reports the exit code, stdout and stderr', async (ctx) => {
        const c = await sleeper(ctx);
        const s = await ctx.rt.exec(c.id, { command: ['sh', '-c', 'echo out; echo err >&2; exit 5'] });
        const [out, err, exit] = await Promise.all([collect(s.stdout), collect(s.stderr), s.exit]);
        assert.equal(out, 'out\n');
        assert.equal(err, 'err\n');
        assert.equal(exit.exitCode, 5);
      });

      test('passes stdin', async (ctx) => {
        const c = await sleeper(ctx);
        const s = await ctx.rt.exec(c.id, { command: ['cat'], stdin: true });
        s.stdin!.end('hello\n');
        const [out, exit] = await Promise.all([collect(s.stdout), s.exit]);
        assert.equal(out, 'hello\n');
        assert.equal(exit.exitCode, 0);
      });

      test('gives a terminal with tty, and resizes it', async (ctx) => {
        const c = await sleeper(ctx);
        const s = await ctx.rt.exec(c.id, { command: ['sh', '-c', 'read x; stty size; test -t 1 && echo is-a-tty'], stdin: true, tty: true });
        assert.equal(s.stderr, undefined);
        const out = collect(s.stdout);
        s.resize(100, 40);
        s.stdin!.write('go\n');
        const [text, exit] = await Promise.all([out, s.exit]);
        assert.match(text, /40 100/);
        assert.match(text, /is-a-tty/);
        assert.equal(exit.exitCode, 0);
      });

      test('a tty exec takes input larger than the terminal buffers while producing output', async (ctx) => {
        const c = await sleeper(ctx);
        // wc's count shows every line arrived (the terminal's echo of the input may drop characters under pressure, as terminals do).
        const s = await ctx.rt.exec(c.id, { command: ['wc', '-l'], stdin: true, tty: true });
        const out = collect(s.stdout);
        const input = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n') + '\n';
        s.stdin!.end(input);
        const [text, exit] = await Promise.all([out, s.exit]);
        assert.match(text, /(^|\n)\s*3000\r?\n/);
        assert.equal(exit.exitCode, 0);
      });

      test("runs with the container's environment and working directory", async (ctx) => {
        const env = [
          { name: 'FOO', value: 'one' },
          { name: 'FOO', value: 'two' },
        ];
        const c = await ctx.rt.startContainer(
          ctx.config('envcwd', `echo "foo=$FOO pwd=$(pwd)"; ${SLEEP_LOOP}`, { env, workingDir: '/tmp' }),
        );
        await logged(c.logPath, 'foo=two pwd=/tmp');
        const s = await ctx.rt.exec(c.id, { command: ['sh', '-c', 'echo "foo=$FOO pwd=$(pwd)"'] });
        assert.equal(await collect(s.stdout), 'foo=two pwd=/tmp\n');
        assert.equal((await s.exit).exitCode, 0);
      });

      test('kill() ends an exec', async (ctx) => {
        const c = await sleeper(ctx);
        const s = await ctx.rt.exec(c.id, { command: ['sh', '-c', `echo started; ${SLEEP_LOOP}`] });
        await new Promise((resolve) => s.stdout.once('data', resolve));
        s.stdout.resume();
        s.kill();
        assert.notEqual((await s.exit).exitCode, 0);
      });

      test('an exec in an exited container fails with ContainerNotRunning', async (ctx) => {
        const c = await ctx.rt.startContainer(ctx.config('done', 'true'));
        await exited(ctx.rt, c.id);
        await assert.rejects(ctx.rt.exec(c.id, { command: ['true'] }), { code: 'ContainerNotRunning' });
        await assert.rejects(ctx.rt.exec('no-such-container', { command: ['true'] }), { code: 'ContainerNotFound' });
      });
    });

    describe('environment', () => {
      test("gets exactly the env given (not the agent's), with a default PATH", async ({ rt, config }) => {
        process.env.SKIFF_CONFORMANCE_LEAK = 'leak';
        try {
          const c = await rt.startContainer(config('env', 'env', { env: [{ name: 'FOO', value: 'a b=c' }] }));
          const env = lines(readLog((await exited(rt, c.id)).logPath));
          assert.ok(env.includes('FOO=a b=c'), env.join('\n'));
          assert.ok(env.some((l) => l.startsWith('PATH=/')));
          assert.ok(!env.some((l) => l.startsWith('SKIFF_CONFORMANCE_LEAK=')));
        } finally {
          delete process.env.SKIFF_CONFORMANCE_LEAK;
        }
      });
    });

    describe('limits', () => {
      test('a container over its memory limit is OOMKilled', async ({ rt, config }, t) => {
        if (!rt.capabilities.limits) return t.skip(rt.capabilities.notes.join('; ') || 'limits are not enforced');
        const c = await rt.startContainer(config('oom', 'x=0123456789; while :; do x="$x$x"; done', { limits: { memoryBytes: 32 * 1024 * 1024 } }));
        const s = await exited(rt, c.id);
        assert.equal(s.reason, 'OOMKilled');
        assert.notEqual(s.exitCode, 0);
      });
    });

    describe('mounts', () => {
      test('read-write, read-only and subPath mounts at containerPath; created mount points are removed', async ({ rt, config, fixture }, t) => {
        if (!rt.capabilities.mounts) return t.skip(rt.capabilities.notes.join('; ') || 'mounts are not supported');
        const vol = join(fixture.dir, 'vol');
        mkdirSync(join(vol, 'sub'), { recursive: true });
        writeFileSync(join(vol, 'hello'), 'hi\n');
        writeFileSync(join(vol, 'sub', 'inner'), 'inner\n');
        const base = `/tmp/skiff-conformance-${rand()}`;
        const script = [
          `cat ${base}/rw/hello ${base}/sub/inner`,
          `echo w > ${base}/rw/written && echo rw-ok`,
          `if echo x > ${base}/ro/x 2>/dev/null; then echo ro-writable; else echo ro-ok; fi`,
          'echo ready',
          SLEEP_LOOP,
        ].join('; ');
        const c = await rt.startContainer(
          config('mounts', script, {
            mounts: [
              { hostPath: vol, containerPath: `${base}/rw`, readOnly: false },
              { hostPath: vol, containerPath: `${base}/ro`, readOnly: true },
              { hostPath: vol, subPath: 'sub', containerPath: `${base}/sub`, readOnly: false },
            ],
          }),
        );
        await logged(c.logPath, 'ready');
        assert.deepEqual(lines(readLog(c.logPath)), ['hi', 'inner', 'rw-ok', 'ro-ok', 'ready']);
        assert.equal(readFileSync(join(vol, 'written'), 'utf8'), 'w\n');
        assert.ok(!existsSync(`${base}/rw/hello`), 'the mount is private to the container');
        const s = await rt.exec(c.id, { command: ['cat', `${base}/ro/hello`] });
        assert.equal(await collect(s.stdout), 'hi\n');
        await rt.stopContainer(c.id, 0);
        await rt.removeContainer(c.id);
        assert.ok(!existsSync(base), 'created mount points are removed');
      });

      test('a subPath that leaves the volume fails with CreateContainerConfigError', async ({ rt, config, fixture }, t) => {
        if (!rt.capabilities.mounts) return t.skip(rt.capabilities.notes.join('; ') || 'mounts are not supported');
        const mounts = [{ hostPath: fixture.dir, subPath: '../etc', containerPath: '/tmp/skiff-escape', readOnly: true }];
        await assert.rejects(rt.startContainer(config('escape', 'true', { mounts })), { code: 'CreateContainerConfigError' });
        assert.ok(!existsSync('/tmp/skiff-escape'));
      });
    });

    describe('sandboxes', () => {
      test('are listed; removing one kills its containers and deletes their logs; removing again is a no-op', async (ctx) => {
        const { rt } = ctx;
        const other = await rt.runPodSandbox({ podUid: `uid-${rand()}`, namespace: 'default', name: 'other' });
        assert.equal(other.ip.length > 0, true);
        assert.deepEqual((await rt.listPodSandboxes()).map((s) => s.id).sort(), [ctx.sandbox.id, other.id].sort());
        const c = await rt.startContainer({ ...ctx.config('insb', `echo ready; ${SLEEP_LOOP}`), sandboxId: other.id, podUid: other.podUid });
        await logged(c.logPath, 'ready');
        await rt.removePodSandbox(other.id);
        assert.ok(!alive(c.pid!));
        assert.equal(await rt.containerStatus(c.id), undefined);
        assert.ok(!existsSync(c.logPath));
        assert.deepEqual(
          (await rt.listPodSandboxes()).map((s) => s.id),
          [ctx.sandbox.id],
        );
        await rt.removePodSandbox(other.id);
      });

      test('portForward connects to a port in the pod', async (ctx) => {
        const port = await freePort();
        await ctx.rt.startContainer({ ...ctx.config('echo', ''), command: ctx.fixture.echoServer(port) });
        const socket = await eventually('the server to listen', async () => {
          try {
            return await ctx.rt.portForward(ctx.sandbox.id, port);
          } catch {
            return undefined;
          }
        });
        const reply = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
        socket.write('ping');
        assert.equal(await reply, 'ping');
        socket.destroy();
        await assert.rejects(ctx.rt.portForward('no-such-sandbox', port), { code: 'SandboxNotFound' });
      });
    });
  });
}
