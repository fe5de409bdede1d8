// What the agent's streaming server needs from the kubelet logic (the
// agent's pod workers and its runtime): log files, exec, attach and
// port-forward for a pod by namespace and name. The server owns the wire
// protocols; the backend owns the pods. Errors are ApiErrors with
// Kubernetes' reasons and messages (NotFound for an unknown pod, BadRequest
// for e.g. `container "c" in pod "p" is waiting to start: ContainerCreating`
// or `previous terminated container "c" in pod "p" not found`); the server
// sends them as Status bodies and the API server passes them on to kubectl.

import type { Duplex } from 'node:stream';
import type { ExecOptions, ExecSession } from '../runtimes/types.ts';

export type { ExecOptions, ExecSession };

export interface LogFiles {
  /** The container the files belong to. */
  container: string;
  /** The instance's files, oldest first: the rotated file (if any), then the current one. */
  files: string[];
  /** True while that instance runs (it may still write). */
  running: boolean;
}

export interface StreamingBackend {
  /**
   * Log file(s) of a container instance, oldest first (rotated file then current): the current
   * instance, or the previous one; throws ApiError (apiserver/errors.ts) NotFound/BadRequest with
   * Kubernetes' messages. Called again while following: the follow ends once the instance stops
   * running or a newer instance writes to another file.
   */
  logFiles(namespace: string, pod: string, container: string | undefined, previous: boolean): Promise<LogFiles>;
  /** Runs a command in the container (kubectl exec). */
  exec(namespace: string, pod: string, container: string | undefined, opts: ExecOptions): Promise<ExecSession>;
  /**
   * Connects to the container's main process (kubectl attach): its output from now on, and its
   * stdin when the container has `stdin: true`. Optional: without it attach answers 400.
   * The session's exit resolves when the container exits, or when the attachment ends (kill()).
   */
  attach?(namespace: string, pod: string, container: string | undefined, opts: { stdin: boolean; tty: boolean }): Promise<ExecSession>;
  /** A TCP connection to port in the pod's network namespace (one per forwarded connection). */
  portForward(namespace: string, pod: string, port: number): Promise<Duplex>;
}
