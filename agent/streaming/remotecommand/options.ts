// Options and results of exec and attach as the kubelet's remotecommand
// server reads and reports them: the query (`command` repeated, `stdin`,
// `stdout`, `stderr`, `tty`, given as "1" by the API server or "true" by
// other clients) and the Status written on the error stream at the end.

import { constants } from 'node:os';
import { errors } from '../../../apiserver/errors.ts';

export interface RemoteCommandOptions {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  /** Never with a tty: the terminal merges stderr into stdout. */
  stderr: boolean;
  tty: boolean;
}

/** Go's strconv.ParseBool, which Kubernetes' query decoding uses. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

export function parseRemoteCommandOptions(q: URLSearchParams, withCommand: boolean): RemoteCommandOptions {
  const tty = queryBool(q, 'tty');
  const opts: RemoteCommandOptions = {
    command: q.getAll('command'),
    stdin: queryBool(q, 'stdin') || queryBool(q, 'input'),
    stdout: queryBool(q, 'stdout') || queryBool(q, 'output'),
    stderr: queryBool(q, 'stderr') && !tty,
    tty,
  };
  if (!opts.stdin && !opts.stdout && !opts.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (withCommand && !opts.command.length) throw errors.badRequest('you must specify at least one command for the container');
  return opts;
}

/** The exit of a command as the client's error stream carries it (v4: a Status; success too). */
export interface CommandResult {
  exitCode: number;
  signal?: string;
}

/** A process killed by a signal exits, as a shell reports it, with 128 + the signal number. */
export function exitCodeOf(r: CommandResult): number {
  if (r.signal) {
    const n = (constants.signals as Record<string, number>)[r.signal];
    if (n) return 128 + n;
  }
  return r.exitCode;
}

export function resultStatus(r: CommandResult, command: string[]): Record<string, unknown> {
  const code = exitCodeOf(r);
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function internalErrorStatus(err: unknown): Record<string, unknown> {
  const message = `error executing command in container: ${err instanceof Error ? err.message : String(err)}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

/** The error stream's bytes for a protocol: v4 and later carry the Status as JSON; older ones only a failure's message. */
export function statusBytes(status: Record<string, unknown>, v4: boolean): Buffer {
  if (v4) return Buffer.from(JSON.stringify(status));
  return status.status === 'Success' ? Buffer.alloc(0) : Buffer.from(String(status.message));
}
