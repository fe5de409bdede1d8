// The container runtime interface the agent drives (a small CRI): the
// agent decides what should run; a runtime starts, stops, inspects and
// re-finds containers. Implementations: `process` (host processes, the
// embedded default) and, later, `docker`. Every implementation passes the
// conformance suite in conformance.ts.
//
// Containers outlive the agent: a runtime keeps what it needs to find its
// containers again (list()) after the agent restarts, without restarting
// them, and records exits that happen while no agent is running.

import type { Duplex, Readable, Writable } from 'node:stream';

export interface PodSandboxConfig {
  podUid: string;
  namespace: string;
  name: string;
  /** Pod labels and annotations, kept with the sandbox. */
  labels?: Record<string, string>;
  hostNetwork?: boolean;
  /** The pod's host name (spec.hostname, else the pod name) and, with spec.subdomain, its domain (SUBDOMAIN.NS.svc.DOMAIN). */
  hostname?: string;
  hostDomain?: string;
  /** spec.hostAliases: extra /etc/hosts entries. */
  hostAliases?: { ip: string; hostnames: string[] }[];
  /** The pod's /etc/resolv.conf, computed by the agent from dnsPolicy and dnsConfig; absent: the host's. */
  dns?: PodDnsConfig;
}

export interface PodDnsConfig {
  nameservers: string[];
  searches: string[];
  /** "ndots:5", "edns0", ... */
  options: string[];
}

export interface PodSandbox {
  id: string;
  podUid: string;
  /** The pod's IP: its own on the pod network; the host's for host-network pods; without a pod network, see the runtime. */
  ip: string;
}

export interface Mount {
  /** Path on the host (a directory the agent prepared, or a hostPath). */
  hostPath: string;
  /** Where the container sees it. */
  containerPath: string;
  readOnly: boolean;
  /** Mount only this file or directory inside hostPath (volumeMounts[].subPath). */
  subPath?: string;
}

export interface ContainerConfig {
  sandboxId: string;
  podUid: string;
  namespace: string;
  podName: string;
  /** The container's name in the pod spec. */
  name: string;
  /** 0 for the first run of this container in this pod, +1 for each restart. */
  attempt: number;
  image: string;
  /** command and args with $(VAR) already expanded; empty for a container without command (see the runtime's rules). */
  command: string[];
  args: string[];
  /** Environment in order; later entries win. */
  env: { name: string; value: string }[];
  workingDir?: string;
  mounts: Mount[];
  /** resources.limits: memory in bytes, CPU in millicores. */
  limits: { memoryBytes?: number; cpuMillis?: number };
  /** Keep stdin open for attach/exec -i; allocate a terminal. */
  stdin?: boolean;
  tty?: boolean;
  /** Where the runtime writes the container's output, in the CRI log format (see ../logs). */
  logPath: string;
  /** Byte cap of the log file; the runtime rotates to logPath.1 (one generation) beyond it. */
  logMaxBytes?: number;
}

export type ContainerState = 'created' | 'running' | 'exited';

export interface ContainerStatus {
  id: string;
  podUid: string;
  sandboxId: string;
  /** The container name in the pod spec. */
  name: string;
  attempt: number;
  state: ContainerState;
  image: string;
  /** The resolved image (digest) for real images; the image name for the process runtime. */
  imageId: string;
  /** Host PID of the container's main process while running. */
  pid?: number;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  exitCode?: number;
  /** The signal that ended the process, if a signal did. */
  signal?: string;
  /** Why it ended, as Kubernetes reports it: "Completed", "Error", "OOMKilled". */
  reason?: string;
  message?: string;
  logPath: string;
}

export interface ExecOptions {
  command: string[];
  stdin?: boolean;
  tty?: boolean;
}

/** A running exec: its streams and its end. */
export interface ExecSession {
  stdin?: Writable;
  stdout: Readable;
  /** Absent with a tty (stderr goes to stdout). */
  stderr?: Readable;
  resize(cols: number, rows: number): void;
  /** Exit code, or a signal name. */
  exit: Promise<{ exitCode: number; signal?: string }>;
  kill(): void;
}

export interface RuntimeEvents {
  /** A container's state changed (started, exited); the agent re-reads its status. */
  changed(id: string): void;
}

/** What this runtime can enforce on this machine; reported in Events when it cannot. */
export interface RuntimeCapabilities {
  /** Memory and CPU limits are enforced (cgroups). */
  limits: boolean;
  /** Volumes appear at their mountPath (a private mount namespace). */
  mounts: boolean;
  /** Why a capability is missing, for the agent's event. */
  notes: string[];
}

export interface Runtime {
  readonly name: string;
  readonly capabilities: RuntimeCapabilities;

  /** Finds containers and sandboxes left by an earlier agent; starts watching for exits. */
  start(events: RuntimeEvents): Promise<void>;
  /** Stops watching; containers keep running. */
  close(): Promise<void>;

  runPodSandbox(config: PodSandboxConfig): Promise<PodSandbox>;
  /** Stops the sandbox's remaining containers (SIGKILL) and releases what it holds. Idempotent. */
  removePodSandbox(id: string): Promise<void>;
  listPodSandboxes(): Promise<PodSandbox[]>;

  /**
   * Creates and starts a container. Throws RuntimeError with code
   * "CreateContainerConfigError" (bad config, e.g. no command for the
   * process runtime) or "CreateContainerError" / "RunContainerError".
   */
  startContainer(config: ContainerConfig): Promise<ContainerStatus>;
  /** SIGTERM to the container's whole process tree, SIGKILL after graceSeconds; resolves when it has exited. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  /** Forgets an exited container; its log file stays until the sandbox is removed. */
  removeContainer(id: string): Promise<void>;
  /** Every container this runtime knows of, exited ones included; only one pod's with a filter (as CRI's ListContainers). */
  listContainers(filter?: { podUid?: string }): Promise<ContainerStatus[]>;
  containerStatus(id: string): Promise<ContainerStatus | undefined>;

  /** Runs a command in the container's environment (for exec probes, hooks and kubectl exec). */
  exec(id: string, opts: ExecOptions): Promise<ExecSession>;
  /** A TCP connection to port inside the pod's network (port-forward). */
  portForward(sandboxId: string, port: number): Promise<Duplex>;
}

export type RuntimeErrorCode =
  | 'CreateContainerConfigError'
  | 'CreateContainerError'
  | 'RunContainerError'
  | 'ContainerNotFound'
  | 'ContainerNotRunning'
  | 'SandboxNotFound'
  | 'CreatePodSandboxError';

export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}
