// A StreamingBackend for tests, over real processes: containers are
// `sh -c` processes whose output a small CRI writer turns into real log
// files, exec spawns the command (under `script` for a tty), attach taps a
// container's stdin and output, and port-forward connects to 127.0.0.1.

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import { errors } from '../../../apiserver/errors.ts';
import { formatCriLine } from '../../logs/cri.ts';
import type { ExecOptions, ExecSession, LogFiles, StreamingBackend } from '../backend.ts';

interface Instance {
  files: string[];
  running: boolean;
  proc?: ChildProcess;
  /** Output of the running process, for attach. */
  output?: PassThrough;
}

export class ProcessBackend implements StreamingBackend {
  /** `${ns}/${pod}/${container}` → instances, oldest first. */
  private readonly instances = new Map<string, Instance[]>();
  private readonly procs = new Set<ChildProcess>();
  readonly resizes: { width: number; height: number }[] = [];
  /** Pods this node runs, as `${ns}/${pod}`; exec and port-forward elsewhere is NotFound. */
  private readonly pods = new Set<string>();

  constructor(private readonly dir: string) {}

  addPod(ns: string, pod: string): void {
    this.pods.add(`${ns}/${pod}`);
  }

  private mustKnow(ns: string, pod: string): void {
    if (!this.pods.has(`${ns}/${pod}`)) throw errors.notFound({ group: '', resource: 'pods' }, pod);
  }

  /** An instance that has exited, with its log lines given as [timestamp, stream, text, partial?]. */
  addExited(ns: string, pod: string, container: string, records: [Date | string, 'stdout' | 'stderr', string, boolean?][]): string {
    const file = this.nextFile(ns, pod, container);
    writeFileSync(file, records.map(([t, s, text, partial]) => formatCriLine(t, s, text, partial)).join(''));
    this.list(ns, pod, container).push({ files: [file], running: false });
    return file;
  }

  /** Starts a container process whose stdout and stderr are written to its CRI log file. */
  start(ns: string, pod: string, container: string, script: string): ChildProcess {
    const file = this.nextFile(ns, pod, container);
    writeFileSync(file, '');
    const proc = this.spawn('sh', ['-c', script]);
    const inst: Instance = { files: [file], running: true, proc, output: new PassThrough() };
    inst.output!.resume();
    const writer = (stream: 'stdout' | 'stderr') => {
      let carry = '';
      return (chunk: Buffer) => {
        inst.output!.write(chunk);
        carry += chunk.toString();
        const lines = carry.split('\n');
        carry = lines.pop()!;
        for (const l of lines) appendFileSync(file, formatCriLine(new Date(), stream, l));
      };
    };
    proc.stdout!.on('data', writer('stdout'));
    proc.stderr!.on('data', writer('stderr'));
    proc.on('close', () => {
      inst.running = false;
      inst.output!.end();
    });
    this.list(ns, pod, container).push(inst);
    return proc;
  }

  async logFiles(ns: string, pod: string, container: string | undefined, previous: boolean): Promise<LogFiles> {
    const c = container!;
    const list = this.instances.get(`${ns}/${pod}/${c}`);
    if (!list?.length) throw errors.badRequest(`container "${c}" in pod "${pod}" is waiting to start: ContainerCreating`);
    const inst = previous ? list.at(-2) : list.at(-1);
    if (!inst) throw errors.badRequest(`previous terminated container "${c}" in pod "${pod}" not found`);
    return { container: c, files: inst.files, running: inst.running };
  }

  async exec(ns: string, pod: string, _container: string | undefined, opts: ExecOptions): Promise<ExecSession> {
    this.mustKnow(ns, pod);
    const proc = opts.tty ? this.spawn('script', ['-qfec', opts.command.map(shellQuote).join(' '), '/dev/null']) : this.spawn(opts.command[0]!, opts.command.slice(1));
    return this.session(proc, !!opts.tty);
  }

  async attach(ns: string, pod: string, container: string | undefined, opts: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    const inst = this.instances.get(`${ns}/${pod}/${container}`)?.at(-1);
    if (!inst?.running || !inst.proc) throw errors.badRequest(`container ${container} is not running`);
    const stdout = new PassThrough();
    inst.output!.pipe(stdout);
    const proc = inst.proc;
    const exit = new Promise<{ exitCode: number; signal?: string }>((resolve) => proc.on('close', (code, signal) => resolve({ exitCode: code ?? 0, signal: signal ?? undefined })));
    return {
      stdin: opts.stdin ? proc.stdin! : undefined,
      stdout,
      resize: (w, h) => this.resizes.push({ width: w, height: h }),
      exit,
      kill: () => inst.output!.unpipe(stdout),
    };
  }

  async portForward(ns: string, pod: string, port: number): Promise<Duplex> {
    this.mustKnow(ns, pod);
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
  }

  /** Kills every process still running. */
  stop(): void {
    for (const p of this.procs) p.kill('SIGKILL');
  }

  private session(proc: ChildProcess, tty: boolean): ExecSession {
    const exit = new Promise<{ exitCode: number; signal?: string }>((resolve) => {
      proc.on('close', (code, signal) => resolve({ exitCode: code ?? 0, signal: signal ?? undefined }));
      proc.on('error', () => resolve({ exitCode: 126 }));
    });
    return {
      stdin: proc.stdin!,
      stdout: proc.stdout!,
      stderr: tty ? undefined : proc.stderr!,
      resize: (w, h) => this.resizes.push({ width: w, height: h }),
      exit,
      kill: () => proc.kill('SIGKILL'),
    };
  }

  private spawn(cmd: string, args: string[]): ChildProcess {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.procs.add(p);
    p.on('close', () => this.procs.delete(p));
    p.on('error', () => this.procs.delete(p));
    return p;
  }

  private list(ns: string, pod: string, container: string): Instance[] {
    const key = `${ns}/${pod}/${container}`;
    let l = this.instances.get(key);
    if (!l) this.instances.set(key, (l = []));
    return l;
  }

  private nextFile(ns: string, pod: string, container: string): string {
    const d = join(this.dir, `${ns}_${pod}`, container);
    mkdirSync(d, { recursive: true });
    return join(d, `${this.list(ns, pod, container).length}.log`);
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
