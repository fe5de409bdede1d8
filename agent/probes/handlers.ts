// The actions of probes and lifecycle hooks: exec in the container, HTTP GET
// and TCP connect to the pod's IP, sleep. Messages are the kubelet's (Go's
// net/http and net errors) so that `kubectl describe` reads the same.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { KUBERNETES_VERSION } from '../../apiserver/version.ts';
import type { Container, HttpGetAction } from '../pod-types.ts';
import type { Runtime } from '../runtimes/types.ts';

export interface ActionResult {
  ok: boolean;
  output: string;
}

/** A named port resolved against the container's ports; numbers as given. */
export function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const p = container.ports?.find((x) => x.name === port);
  if (!p) throw new Error(`couldn't find port: ${port} in ${container.name}`);
  return p.containerPort;
}

/** Runs command in the container; output is stdout and stderr together. */
export async function execAction(runtime: Runtime, containerId: string, command: string[], timeoutMs: number): Promise<ActionResult & { exitCode?: number }> {
  const session = await runtime.exec(containerId, { command });
  const chunks: Buffer[] = [];
  session.stdout.on('data', (b: Buffer) => chunks.push(b));
  session.stderr?.on('data', (b: Buffer) => chunks.push(b));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const r = await Promise.race([session.exit, timedOut]);
    if (r === 'timeout') {
      session.kill();
      return { ok: false, output: `command ${JSON.stringify(command.join(' '))} timed out` };
    }
    return { ok: r.exitCode === 0, output: Buffer.concat(chunks).toString('utf8'), exitCode: r.exitCode };
  } finally {
    clearTimeout(timer);
  }
}

function dialError(e: NodeJS.ErrnoException, host: string, port: number): string {
  if (e.code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  if (e.code === 'EHOSTUNREACH') return `dial tcp ${host}:${port}: connect: no route to host`;
  return `dial tcp ${host}:${port}: ${e.message}`;
}

/** HTTP(S) GET; 200–399 is success (TLS certificates are not verified, as the kubelet's prober does not). */
export function httpGetAction(action: HttpGetAction, container: Container, podIP: string, timeoutMs: number): Promise<ActionResult & { status?: number }> {
  const host = action.host || podIP;
  const port = resolvePort(action.port, container);
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  let path = action.path ?? '/';
  if (!path.startsWith('/')) path = `/${path}`;
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  const headers: Record<string, string> = { 'User-Agent': `kube-probe/${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}`, Accept: '*/*' };
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value;
  return new Promise((resolve) => {
    const req = (scheme === 'https' ? httpsRequest : httpRequest)(url, { method: 'GET', headers, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (b: Buffer) => {
        if (size < 10_240) chunks.push(b);
        size += b.length;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8').slice(0, 10_240);
        if (status >= 200 && status < 400) resolve({ ok: true, output: body, status });
        else resolve({ ok: false, output: `HTTP probe failed with statuscode: ${status}`, status });
      });
      res.on('error', (e) => resolve({ ok: false, output: `Get ${JSON.stringify(url)}: ${e.message}` }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, output: `Get ${JSON.stringify(url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, output: `Get ${JSON.stringify(url)}: ${dialError(e, host, port)}` }));
    req.end();
  });
}

export function tcpAction(host: string, port: number, timeoutMs: number): Promise<ActionResult> {
  return new Promise((resolve) => {
    const sock = connect({ host, port, timeout: timeoutMs });
    sock.on('connect', () => {
      sock.destroy();
      resolve({ ok: true, output: '' });
    });
    sock.on('timeout', () => {
      sock.destroy();
      resolve({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` });
    });
    sock.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, output: dialError(e, host, port) }));
  });
}
