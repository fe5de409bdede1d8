// The `process` runtime: each container is a host process, supervised by a
// small native shim (shim/skiff-shim.c) that outlives the agent, isolated
// with cgroups (limits, OOM, process tracking) and a private mount namespace
// (volumes at their mountPath) where the agent has the privilege for them,
// and, given a PodNetwork, a network namespace and IP per pod. The image is
// only recorded. See README.md for the design.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, appendFileSync, closeSync, constants as fsConstants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import type {
  ContainerConfig,
  ContainerStatus,
  ExecOptions,
  ExecSession,
  PodSandbox,
  PodSandboxConfig,
  Runtime,
  RuntimeCapabilities,
  RuntimeEvents,
} from '../types.ts';
import { RuntimeError } from '../types.ts';
import { hostsFile, resolvConf } from '../pod-files.ts';
import type { PodNetwork } from '../../../network/pod/pod-network.ts';
import { cgroupProcs, Cgroups, oomKilled, removeCgroups } from './cgroups.ts';
import { envObject, startExec } from './exec.ts';
import { ensureMountPoint, isDirectory, mountSource, removeMountPoints } from './mounts.ts';
import type { BindMount } from './mounts.ts';
import { descendants, isAlive, processesMentioning, procStat, signal } from './proc.ts';
import { readJson, StateDir, writeJson } from './state.ts';
import type { ContainerRecord, ExitInfo, FinalInfo, SandboxRecord, ShimInfo } from './state.ts';
import { rfc3339 } from '../../../api/time.ts';

export interface ProcessRuntimeOptions {
  /** Where the runtime keeps its records (e.g. DATA/agent/runtime); the same directory after a restart re-finds everything. */
  stateDir: string;
  /** The compiled shim (`npm run build` puts it at dist/skiff-shim). */
  shimPath: string;
  /**
   * The cgroup that holds the containers' cgroups in each hierarchy: relative
   * to the agent's own cgroup (default "skiff"), or from the hierarchy's root
   * when absolute ("/skiff"; what a cgroup v2 host needs when the agent's own
   * cgroup holds processes and so cannot hand controllers down).
   */
  cgroupParent?: string;
  /** Interval of the slow poll that backs up the exit watcher. Default 2000 ms. */
  pollIntervalMs?: number;
  /**
   * Gives each pod that is not on the host network its own network
   * namespace and IP (needs root). Without it, each pod gets its own
   * loopback address on the host network (see README.md).
   */
  network?: PodNetwork;
}

/** containerd's default PATH for a container that sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The kubelet's default containerLogMaxSize. */
const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** containerd's exit code for a container whose exit could not be known. */
const UNKNOWN_EXIT_CODE = 255;
const KILL_WAIT_MS = 10_000;
const STOP_POLL_MS = 50;

function hasCapSysAdmin(): boolean {
  const m = /CapEff:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m !== null && ((BigInt(`0x${m[1]}`) >> 21n) & 1n) === 1n;
}

/**
 * A loopback address of its own for a pod that is not on the host network:
 * all of 127.0.0.0/8 reaches the host's loopback interface on Linux, so an
 * app that listens on its pod IP (status.podIP) can use the same port as its
 * replicas with no network setup. Chosen at random from 127.64.0.0/10 (away
 * from 127.0.0.1 and Debian's 127.0.1.1) so that two data dirs on one machine
 * rarely meet; never one a sandbox of this runtime holds.
 */
function loopbackAddress(taken: ReadonlySet<string>): string {
  for (;;) {
    const [a, b, c] = randomBytes(3);
    const ip = `127.${64 + (a! & 63)}.${b}.${1 + (c! % 254)}`;
    if (!taken.has(ip)) return ip;
  }
}

/** The address to reach a pod at: its sandbox's (on the pod network, reached through the bridge). */
function podAddress(sandbox: SandboxRecord): string {
  return sandbox.ip;
}

/** The container's host name: the pod's (at most 63 characters, as the kubelet truncates it). */
function podHostname(sandbox: SandboxRecord): string {
  const name = sandbox.config.hostname ?? sandbox.config.name;
  return name.length > 63 ? name.slice(0, 63).replace(/[-.]+$/, '') : name;
}

export class ProcessRuntime implements Runtime {
  readonly name = 'process';
  readonly capabilities: RuntimeCapabilities;
  private readonly state: StateDir;
  private readonly cgroups: Cgroups | undefined;
  private events: RuntimeEvents | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Containers whose shim this instance is starting (no shim.json yet). */
  private readonly starting = new Set<string>();
  /** Containers whose exit is fixed (final.json): the poll skips them. */
  private readonly finished = new Set<string>();
  /** The state directories exist (made once per start(), not again for every sandbox and container). */
  private stateCreated = false;
  /** The pod network's bridge and route, set up once (again after a failure). */
  private networkReady: Promise<void> | undefined;
  /**
   * What was read of the state files that never change once written (sandbox
   * and container records, shim.json, final.json), so that listing does not
   * re-read and re-parse every file each time; the directory listing stays
   * the truth for what exists. A record's createdPaths, the one field that
   * changes, is written through the cached object.
   */
  private readonly cache = {
    sandboxes: new Map<string, SandboxRecord>(),
    records: new Map<string, ContainerRecord>(),
    infos: new Map<string, ShimInfo>(),
    finals: new Map<string, FinalInfo>(),
  };

  constructor(private readonly opts: ProcessRuntimeOptions) {
    this.state = new StateDir(opts.stateDir);
    const cg = Cgroups.detect(opts.cgroupParent ?? 'skiff');
    this.cgroups = cg.cgroups;
    const mounts = hasCapSysAdmin();
    const notes = [...cg.notes];
    if (!mounts) {
      notes.push('volumes are not mounted at their mountPath: a private mount namespace needs root (CAP_SYS_ADMIN); the process sees the host filesystem');
    }
    this.capabilities = { limits: cg.limits, mounts, notes };
  }

  /** The cgroup directories that hold this runtime's container cgroups (empty without cgroups). */
  cgroupParents(): string[] {
    return this.cgroups?.bases() ?? [];
  }

  async start(events: RuntimeEvents): Promise<void> {
    await this.close();
    this.events = events;
    this.stateCreated = false;
    this.prepare();
    this.watcher = watch(this.state.exits, (_type, file) => {
      if (file?.endsWith('.json')) this.refresh(file.slice(0, -'.json'.length));
    });
    this.watcher.on('error', () => this.poll());
    this.timer = setInterval(() => this.poll(), this.opts.pollIntervalMs ?? 2000);
    this.timer.unref();
    this.poll();
    if (this.opts.network) await this.adoptNetwork(this.opts.network);
  }

  private ensureNetwork(network: PodNetwork): Promise<void> {
    this.networkReady ??= network.setup().catch((err: unknown) => {
      this.networkReady = undefined;
      throw err;
    });
    return this.networkReady;
  }

  /**
   * After a restart: the bridge is there, every sandbox's namespace exists
   * (re-created with the same IP after a reboot emptied /run/netns), and an
   * address held by no sandbox (a crash while one was made) is released.
   */
  private async adoptNetwork(network: PodNetwork): Promise<void> {
    try {
      await this.ensureNetwork(network);
    } catch {
      return; // runPodSandbox retries and reports the failure on the pod.
    }
    const sandboxes = this.list(this.state.sandboxes)
      .map((id) => this.sandboxRecord(id))
      .filter((sb): sb is SandboxRecord => sb !== undefined);
    const owners = new Set(sandboxes.filter((sb) => sb.netns).map((sb) => sb.config.podUid));
    for (const a of network.attachments()) if (!owners.has(a.podUid)) await network.detach(a.podUid);
    for (const sb of sandboxes) if (sb.netns && !existsSync(sb.netns)) await network.attach(sb.config.podUid);
  }

  /** Creates the state directories and parent cgroups (once). */
  private prepare(): void {
    this.createState();
    const notes = this.cgroups?.prepare() ?? [];
    if (notes.length > 0) {
      this.capabilities.limits = false;
      this.capabilities.notes.push(...notes);
    }
  }

  private createState(): void {
    if (this.stateCreated) return;
    this.state.create();
    this.stateCreated = true;
  }

  async close(): Promise<void> {
    this.watcher?.close();
    clearInterval(this.timer);
    this.watcher = undefined;
    this.timer = undefined;
    this.events = undefined;
  }

  private cached<T>(map: Map<string, T>, id: string, path: string): T | undefined {
    let v = map.get(id);
    if (v === undefined) {
      v = readJson<T>(path);
      if (v !== undefined) map.set(id, v);
    }
    return v;
  }
  private sandboxRecord(id: string): SandboxRecord | undefined {
    return this.cached(this.cache.sandboxes, id, this.state.sandbox(id));
  }
  private record(id: string): ContainerRecord | undefined {
    return this.cached(this.cache.records, id, this.state.record(id));
  }
  private shimInfo(id: string): ShimInfo | undefined {
    return this.cached(this.cache.infos, id, this.state.info(id));
  }
  private finalInfo(id: string): FinalInfo | undefined {
    return this.cached(this.cache.finals, id, this.state.final(id));
  }
  private forget(id: string): void {
    for (const m of Object.values(this.cache)) m.delete(id);
  }

  // ---- sandboxes ----

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandbox> {
    this.createState();
    const id = randomBytes(32).toString('hex');
    const dir = this.state.sandboxDir(id);
    mkdirSync(dir);
    const network = config.hostNetwork ? undefined : this.opts.network;
    let ip: string;
    let netns: string | undefined;
    if (network) {
      try {
        await this.ensureNetwork(network);
        const att = await network.attach(config.podUid);
        ip = att.ip;
        netns = att.netnsPath;
      } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw new RuntimeError('CreatePodSandboxError', (err as Error).message);
      }
    } else if (config.hostNetwork) {
      ip = '127.0.0.1';
    } else {
      ip = loopbackAddress(new Set((await this.listPodSandboxes()).map((sb) => sb.ip)));
    }
    if (this.capabilities.mounts) {
      writeFileSync(this.state.sandboxHosts(id), hostsFile(config, ip), { mode: 0o644 });
      if (config.dns) writeFileSync(this.state.sandboxResolvConf(id), resolvConf(config.dns), { mode: 0o644 });
    }
    const rec: SandboxRecord = { id, config, ip, ...(netns ? { netns } : {}), createdAt: rfc3339(new Date(), 3) };
    writeJson(this.state.sandbox(id), rec);
    this.cache.sandboxes.set(id, rec);
    return { id, podUid: config.podUid, ip: rec.ip };
  }

  async removePodSandbox(id: string): Promise<void> {
    const sandbox = this.sandboxRecord(id);
    if (!sandbox) return;
    for (const rec of this.records()) if (rec.config.sandboxId === id) await this.removeContainer(rec.id);
    // The namespace goes, and its veth with it; the address is free again.
    if (sandbox.netns) await this.opts.network?.detach(sandbox.config.podUid);
    let logs = '';
    try {
      logs = readFileSync(this.state.sandboxLogs(id), 'utf8');
    } catch {
      // No container ever started in it.
    }
    for (const path of logs.split('\n').filter(Boolean)) {
      rmSync(path, { force: true });
      rmSync(`${path}.1`, { force: true });
    }
    rmSync(this.state.sandboxDir(id), { recursive: true, force: true });
    this.forget(id);
  }

  async listPodSandboxes(): Promise<PodSandbox[]> {
    return this.list(this.state.sandboxes)
      .map((id) => this.sandboxRecord(id))
      .filter((sb): sb is SandboxRecord => sb !== undefined)
      .map((sb) => ({ id: sb.id, podUid: sb.config.podUid, ip: sb.ip }));
  }

  // ---- containers ----

  async startContainer(config: ContainerConfig): Promise<ContainerStatus> {
    this.prepare();
    const sandbox = this.sandboxRecord(config.sandboxId);
    if (!sandbox) {
      throw new RuntimeError('SandboxNotFound', `pod sandbox ${config.sandboxId} not found`);
    }
    if (config.command.length === 0) {
      throw new RuntimeError(
        'CreateContainerConfigError',
        `container "${config.name}" has no command: the process runtime runs a host program and cannot use an image's entrypoint; set command`,
      );
    }
    try {
      accessSync(this.opts.shimPath, fsConstants.X_OK);
    } catch {
      throw new RuntimeError('CreateContainerError', `the process runtime's shim is missing at ${this.opts.shimPath} (run npm run build)`);
    }
    const id = randomBytes(32).toString('hex');
    const env = new Map<string, string>();
    for (const e of config.env) env.set(e.name, e.value);
    if (!env.has('PATH')) env.set('PATH', DEFAULT_PATH);
    if (!env.has('HOME')) env.set('HOME', userInfo().homedir);

    const mounts: BindMount[] = [];
    const createdPaths: string[] = [];
    let rec: ContainerRecord | undefined;
    this.starting.add(id);
    try {
      if (this.capabilities.mounts) {
        for (const m of config.mounts) {
          const source = mountSource(m);
          createdPaths.push(...ensureMountPoint(m.containerPath, isDirectory(source)));
          mounts.push({ source, target: m.containerPath, readOnly: m.readOnly });
        }
        // The pod's /etc/hosts and /etc/resolv.conf, unless the container mounts its own there (as the kubelet).
        for (const [source, target] of [
          [this.state.sandboxHosts(sandbox.id), '/etc/hosts'],
          [this.state.sandboxResolvConf(sandbox.id), '/etc/resolv.conf'],
        ] as const) {
          if (existsSync(source) && existsSync(target) && !mounts.some((m) => m.target === target)) mounts.push({ source, target, readOnly: false });
        }
      }
      const cgroups = this.cgroups?.create(id, config.limits) ?? [];
      rec = {
        id,
        config,
        env: [...env].map(([k, v]) => `${k}=${v}`),
        cwd: config.workingDir || '/',
        createdAt: rfc3339(new Date(), 3),
        cgroups,
        mounts,
        ...(sandbox.netns ? { netns: sandbox.netns } : {}),
        ...(this.capabilities.mounts && !sandbox.config.hostNetwork ? { hostname: podHostname(sandbox) } : {}),
        createdPaths,
        logMaxBytes: config.logMaxBytes ?? DEFAULT_LOG_MAX_BYTES,
      };
      mkdirSync(this.state.containerDir(id));
      writeJson(this.state.record(id), rec);
      this.cache.records.set(id, rec);
      mkdirSync(dirname(config.logPath), { recursive: true });
      appendFileSync(this.state.sandboxLogs(config.sandboxId), `${config.logPath}\n`);
      await this.spawnShim(rec);
    } catch (err) {
      if (rec) await removeCgroups(rec.cgroups).catch(() => {});
      removeMountPoints(createdPaths);
      rmSync(this.state.containerDir(id), { recursive: true, force: true });
      rmSync(this.state.exit(id), { force: true });
      this.forget(id);
      if (err instanceof RuntimeError) throw err;
      throw new RuntimeError('CreateContainerError', `creating container "${config.name}": ${(err as Error).message}`);
    } finally {
      this.starting.delete(id);
    }
    const status = this.inspect(id).status!;
    this.events?.changed(id);
    return status;
  }

  /** Starts the shim and waits for its one-line report on fd 3: "ok", or why the process could not start. */
  private async spawnShim(rec: ContainerRecord): Promise<void> {
    const { id, config } = rec;
    const args = ['run', '--info', this.state.info(id), '--exit', this.state.exit(id), '--log', config.logPath];
    args.push('--log-max', String(rec.logMaxBytes), '--cwd', rec.cwd);
    for (const cg of rec.cgroups) args.push('--cgroup', cg.dir);
    for (const m of rec.mounts) args.push('--mount', m.source, m.target, m.readOnly ? 'ro' : 'rw');
    if (rec.netns) args.push('--netns', rec.netns);
    if (rec.hostname) args.push('--hostname', rec.hostname);
    args.push('--', ...config.command, ...config.args);
    const log = openSync(this.state.shimLog(id), 'a');
    let report: string;
    try {
      const child = spawn(this.opts.shimPath, args, { env: envObject(rec.env), stdio: ['ignore', log, log, 'pipe'], detached: true });
      child.unref();
      report = await new Promise<string>((resolve, reject) => {
        let text = '';
        const pipe = child.stdio[3] as Readable;
        pipe.setEncoding('utf8');
        pipe.on('data', (d: string) => (text += d));
        pipe.on('error', () => {});
        pipe.on('close', () => resolve(text));
        child.once('error', reject);
      });
    } finally {
      closeSync(log);
    }
    if (report.startsWith('ok')) return;
    const m = /^error (\S+) (\d+) (\d+) (.*)$/.exec(report.trim());
    if (!m) {
      const shimLog = readFileSync(this.state.shimLog(id), 'utf8').trim();
      throw new RuntimeError('RunContainerError', `the shim ended without starting the container${shimLog ? `: ${shimLog}` : ''}`);
    }
    const [, stage, index, errno, text] = m;
    const reason = text.charAt(0).toLowerCase() + text.slice(1);
    const cmd = config.command[0];
    const mount = rec.mounts[Number(index)];
    const message =
      stage === 'exec'
        ? Number(errno) === 2 && !cmd.includes('/')
          ? `exec: "${cmd}": executable file not found in $PATH`
          : `exec: "${cmd}": ${reason}`
        : stage === 'chdir'
          ? `chdir to cwd ("${rec.cwd}") set in config.json failed: ${reason}`
          : stage === 'mount' || stage === 'readonly'
            ? `mounting "${mount?.source}" to "${mount?.target}"${stage === 'readonly' ? ' read-only' : ''}: ${reason}`
            : stage === 'cgroup'
              ? `joining cgroup ${rec.cgroups[Number(index)]?.dir}: ${reason}`
              : stage === 'netns'
                ? `joining the pod's network namespace ${rec.netns}: ${reason}`
                : `${stage}: ${reason}`;
    throw new RuntimeError('RunContainerError', message);
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const rec = this.record(id);
    if (!rec) throw new RuntimeError('ContainerNotFound', `container ${id} not found`);
    if (this.refresh(id)?.state === 'exited') return;
    if (graceSeconds > 0) {
      this.signalTree(rec, 'SIGTERM');
      if (await this.waitExited(id, graceSeconds * 1000)) return;
    }
    this.signalTree(rec, 'SIGKILL');
    if (!(await this.waitExited(id, KILL_WAIT_MS))) throw new Error(`container ${id} did not exit after SIGKILL`);
  }

  async removeContainer(id: string): Promise<void> {
    const rec = this.record(id);
    if (rec) {
      if (this.refresh(id)?.state !== 'exited') await this.stopContainer(id, 0);
      await removeCgroups(rec.cgroups);
      this.releaseMountPoints(rec);
    }
    rmSync(this.state.exit(id), { force: true });
    rmSync(this.state.containerDir(id), { recursive: true, force: true });
    this.finished.delete(id);
    this.forget(id);
  }

  async listContainers(filter?: { podUid?: string }): Promise<ContainerStatus[]> {
    const podUid = filter?.podUid;
    return this.list(this.state.containers)
      .filter((id) => podUid === undefined || this.record(id)?.config.podUid === podUid)
      .map((id) => this.refresh(id))
      .filter((s): s is ContainerStatus => s !== undefined);
  }

  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    return this.refresh(id);
  }

  async exec(id: string, opts: ExecOptions): Promise<ExecSession> {
    const rec = this.record(id);
    if (!rec) throw new RuntimeError('ContainerNotFound', `container ${id} not found`);
    const info = this.shimInfo(id);
    if (!info || !isAlive(info.pid, info.pidStart)) throw new RuntimeError('ContainerNotRunning', `container ${id} is not running`);
    return startExec(this.opts.shimPath, rec, info, opts);
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const sandbox = this.sandboxRecord(sandboxId);
    if (!sandbox) throw new RuntimeError('SandboxNotFound', `pod sandbox ${sandboxId} not found`);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: podAddress(sandbox), port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
    });
  }

  // ---- state ----

  private list(dir: string): string[] {
    try {
      return readdirSync(dir).filter((name) => !name.endsWith('.tmp'));
    } catch {
      return [];
    }
  }

  private records(): ContainerRecord[] {
    return this.list(this.state.containers)
      .map((id) => this.record(id))
      .filter((r): r is ContainerRecord => r !== undefined);
  }

  /** The container's status; fixes (and announces) its exit the first time it is seen. */
  private refresh(id: string): ContainerStatus | undefined {
    const { status, exitedNow } = this.inspect(id);
    if (exitedNow) this.events?.changed(id);
    return status;
  }

  private poll(): void {
    for (const id of this.list(this.state.containers)) {
      if (!this.finished.has(id)) this.refresh(id);
    }
  }

  private inspect(id: string): { status?: ContainerStatus; exitedNow: boolean } {
    const rec = this.record(id);
    if (!rec) return { exitedNow: false };
    const info = this.shimInfo(id);
    let final = this.finalInfo(id);
    if (final) {
      this.finished.add(id);
      return { status: this.toStatus(rec, info, final), exitedNow: false };
    }
    let exit = readJson<ExitInfo>(this.state.exit(id));
    if (!exit) {
      // No shim.json yet: still starting here, or in an agent that died meanwhile (its shim is then still there).
      if (!info && (this.starting.has(id) || processesMentioning(this.state.info(id)).length > 0)) {
        return { status: this.toStatus(rec, info), exitedNow: false };
      }
      if (info && (isAlive(info.shimPid, info.shimStart) || isAlive(info.pid, info.pidStart))) {
        return { status: this.toStatus(rec, info), exitedNow: false };
      }
      // The shim may have written the exit just before it ended.
      exit = readJson<ExitInfo>(this.state.exit(id));
    }
    if (exit) {
      const reason = oomKilled(rec.cgroups) ? 'OOMKilled' : exit.exitCode === 0 ? 'Completed' : 'Error';
      final = { exitCode: exit.exitCode, signal: exit.signal ?? undefined, finishedAt: exit.finishedAt, reason };
    } else {
      const message = info
        ? "the container's supervisor ended without recording its exit"
        : 'the container never started: its start was interrupted';
      final = { exitCode: UNKNOWN_EXIT_CODE, finishedAt: rfc3339(new Date(), 3), reason: 'Unknown', message };
    }
    writeJson(this.state.final(id), final);
    this.cache.finals.set(id, final);
    this.finished.add(id);
    return { status: this.toStatus(rec, info, final), exitedNow: true };
  }

  private toStatus(rec: ContainerRecord, info: ShimInfo | undefined, final?: FinalInfo): ContainerStatus {
    const c = rec.config;
    return {
      id: rec.id,
      podUid: c.podUid,
      sandboxId: c.sandboxId,
      name: c.name,
      attempt: c.attempt,
      state: final ? 'exited' : info ? 'running' : 'created',
      image: c.image,
      imageId: c.image,
      pid: info && !final ? info.pid : undefined,
      createdAt: new Date(rec.createdAt),
      startedAt: info ? new Date(info.startedAt) : undefined,
      finishedAt: final ? new Date(final.finishedAt) : undefined,
      exitCode: final?.exitCode,
      signal: final?.signal,
      reason: final?.reason,
      message: final?.message,
      logPath: c.logPath,
    };
  }

  private async waitExited(id: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      const status = this.refresh(id);
      if (!status || status.state === 'exited') return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((r) => setTimeout(r, Math.min(STOP_POLL_MS, left)));
    }
  }

  /**
   * Signals the container's whole tree: its process group, every process in
   * its cgroups, and every descendant of its shim (the subreaper of what left
   * the group), never the shim itself.
   */
  private signalTree(rec: ContainerRecord, sig: NodeJS.Signals): void {
    const info = this.shimInfo(rec.id);
    const targets = new Set(cgroupProcs(rec.cgroups));
    if (info) {
      const mainAlive = isAlive(info.pid, info.pidStart);
      if (mainAlive) signal(-info.pid, sig);
      const root = isAlive(info.shimPid, info.shimStart) ? info.shimPid : mainAlive ? info.pid : undefined;
      if (root) for (const pid of descendants(root)) targets.add(pid);
      targets.delete(info.shimPid);
    }
    targets.delete(process.pid);
    // One signal per process: members of the group the group signal reached are not signalled again.
    const group = info && isAlive(info.pid, info.pidStart) ? info.pid : undefined;
    for (const pid of targets) if (group === undefined || procStat(pid)?.pgrp !== group) signal(pid, sig);
  }

  /** Removes the mount points this container created, or hands them to another container that still mounts there. */
  private releaseMountPoints(rec: ContainerRecord): void {
    const others = this.records().filter((r) => r.id !== rec.id);
    const remove: string[] = [];
    for (const path of rec.createdPaths) {
      const heir = others.find((o) => o.mounts.some((m) => m.target === path || m.target.startsWith(`${path}/`)));
      if (heir) {
        heir.createdPaths.push(path);
        writeJson(this.state.record(heir.id), heir);
      } else remove.push(path);
    }
    removeMountPoints(remove);
  }
}
