// pods/log, pods/exec, pods/attach and pods/portforward: the API server
// finds the pod's node and proxies to the node agent's streaming server, as
// kube-apiserver does to the kubelet (pkg/registry/core/pod: LogLocation,
// ExecLocation, AttachLocation, PortForwardLocation).
//   - log: a plain GET to /containerLogs/..., streamed back as it arrives
//     (kubectl logs -f), with the agent's error Status passed on;
//   - exec, attach, portforward: upgrade requests (WebSocket or SPDY/3.1);
//     the request goes to the agent with its upgrade headers and, once the
//     agent answers, both connections are piped (an upgrade-aware proxy).
// The node is reached at its InternalIP and
// status.daemonEndpoints.kubeletEndpoint.Port over TLS checked against the
// configured CA, with the configured bearer token.

import { request as httpsRequest } from 'node:https';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { findResource, type ResourceInfo } from '../../api/kinds.ts';
import { invalid, forbidden, type FieldError } from '../../api/field-error.ts';
import { ApiError, errors } from '../errors.ts';
import { parseResourcePath } from '../http/request-info.ts';
import type { KObject } from '../registry/object.ts';
import type { RequestContext, ServerContext } from './context.ts';
import { rfc3339 } from '../../api/time.ts';

export interface NodeProxyOptions {
  /** Bearer token the node agents accept. */
  token: string;
  /** CA (PEM) that signed the agents' serving certificates. */
  ca: string;
}

export const NODE_PROXY_SUBRESOURCES: ReadonlySet<string> = new Set(['log', 'exec', 'attach', 'portforward']);

const DEFAULT_KUBELET_PORT = 10250;

interface PodTarget {
  pod: KObject;
  /** Absent for a pod without a node. */
  host?: string;
  port?: number;
}

export class NodeProxy {
  private readonly pods: ResourceInfo;
  private readonly nodes: ResourceInfo;

  constructor(
    private readonly server: ServerContext,
    private readonly opts: NodeProxyOptions | undefined,
  ) {
    this.pods = findResource('', 'v1', 'pods')!;
    this.nodes = findResource('', 'v1', 'nodes')!;
  }

  /** Non-upgrade requests for the four subresources. */
  async handle(ctx: RequestContext): Promise<void> {
    const { rr, req } = ctx;
    if (!rr.name || !rr.namespace) throw errors.pathNotFound();
    if (rr.subresource !== 'log') throw errors.badRequest('Upgrade request required');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed(req.method ?? '');
    await this.log(ctx, rr.namespace, rr.name);
  }

  /**
   * An upgrade request (the server's 'upgrade' event). Anything but pods
   * exec/attach/portforward, and every failure before the agent answers, is
   * written as a plain HTTP error response.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, authenticated: boolean): void {
    socket.on('error', () => {});
    this.tryUpgrade(req, socket, head, authenticated).catch((err) => {
      if (!(err instanceof ApiError)) this.server.log(`${req.method} ${req.url} upgrade failed`, err);
      writeRawError(socket, err instanceof ApiError ? err : errors.internal(err instanceof Error ? err.message : String(err)));
    });
  }

  private async tryUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, authenticated: boolean): Promise<void> {
    if (!authenticated) throw errors.unauthorized();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const rr = parseResourcePath(req.method ?? 'GET', url.pathname, url.searchParams);
    if (!rr || rr.group !== '' || rr.version !== 'v1' || rr.resource !== 'pods' || !rr.namespace || !rr.name) throw errors.pathNotFound();
    if (!rr.subresource || !['exec', 'attach', 'portforward'].includes(rr.subresource)) throw errors.badRequest('upgrade is not supported on this resource');
    if (req.method !== 'GET' && req.method !== 'POST') throw errors.methodNotAllowed(req.method ?? '');
    const q = url.searchParams;
    const { pod, host, port } = await this.locate(rr.namespace, rr.name);
    let path: string;
    const params = new URLSearchParams();
    if (rr.subresource === 'portforward') {
      path = `/portForward/${enc(rr.namespace)}/${enc(rr.name)}`;
      const ports = q.getAll('ports');
      if (ports.length) params.set('port', ports.join(','));
    } else {
      const container = validateContainer(q.get('container') ?? '', pod);
      for (const flag of ['stdin', 'stdout', 'stderr', 'tty']) if (parseBool(q, flag)) params.append(flag, '1');
      if (rr.subresource === 'exec') for (const c of q.getAll('command')) params.append('command', c);
      path = `/${rr.subresource}/${enc(rr.namespace)}/${enc(rr.name)}/${enc(container)}`;
    }
    if (host === undefined || port === undefined) throw errors.badRequest(`pod ${rr.name} does not have a host assigned`);
    const search = params.toString();
    await this.proxyUpgrade(req, socket, head, host, port, search ? `${path}?${search}` : path);
  }

  /** The pod, and its node agent's address when it has a node. */
  private async locate(namespace: string, name: string): Promise<PodTarget> {
    const pod = await this.server.registry.get(this.pods, namespace, name);
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName) return { pod };
    if (!this.opts) throw errors.unavailable('the API server has no credentials for node agents (node proxy not configured)');
    const node = await this.server.registry.get(this.nodes, undefined, nodeName);
    const status = (node.status ?? {}) as { addresses?: { type?: string; address?: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
    const addresses = status.addresses ?? [];
    const address = ['InternalIP', 'Hostname', 'ExternalIP'].map((t) => addresses.find((a) => a.type === t && a.address)).find(Boolean)?.address;
    if (!address) throw errors.badRequest(`no preferred addresses found; known addresses: [${addresses.map((a) => `{${a.type} ${a.address}}`).join(' ')}]`);
    const port = status.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT;
    return { pod, host: address, port };
  }

  private async log(ctx: RequestContext, namespace: string, name: string): Promise<void> {
    const q = ctx.query;
    const opts = validateLogOptions(q, name);
    const target = await this.locate(namespace, name);
    const container = validateContainer(q.get('container') ?? '', target.pod);
    // Like Kubernetes: a pod without a node has no log yet, and the answer is empty.
    if (target.host === undefined || target.port === undefined) {
      ctx.res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void ctx.res.end();
    }
    const params = new URLSearchParams();
    if (opts.follow) params.set('follow', 'true');
    if (opts.previous) params.set('previous', 'true');
    if (opts.timestamps) params.set('timestamps', 'true');
    if (opts.sinceSeconds !== undefined) params.set('sinceSeconds', String(opts.sinceSeconds));
    if (opts.sinceTime !== undefined) params.set('sinceTime', opts.sinceTime);
    if (opts.tailLines !== undefined) params.set('tailLines', String(opts.tailLines));
    if (opts.limitBytes !== undefined) params.set('limitBytes', String(opts.limitBytes));
    const search = params.toString();
    const path = `/containerLogs/${enc(namespace)}/${enc(name)}/${enc(container)}${search ? `?${search}` : ''}`;
    await this.proxyLog(ctx, target.host, target.port, path, name);
  }

  private proxyLog(ctx: RequestContext, host: string, port: number, path: string, podName: string): Promise<void> {
    const { res, req } = ctx;
    return new Promise((resolve, reject) => {
      const upstream = httpsRequest(
        { host, port, path, method: 'GET', ca: this.opts!.ca, agent: false, headers: { Authorization: `Bearer ${this.opts!.token}` } },
        (up) => {
          const code = up.statusCode ?? 500;
          if (code < 200 || code >= 300) {
            const chunks: Buffer[] = [];
            up.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c));
            up.on('end', () => reject(upstreamError(code, Buffer.concat(chunks).toString(), podName)));
            up.on('error', reject);
            return;
          }
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
          res.flushHeaders();
          up.pipe(res);
          up.on('end', () => resolve());
          up.on('error', () => {
            res.destroy();
            resolve();
          });
        },
      );
      upstream.on('error', (e) => {
        if (res.headersSent) {
          res.destroy();
          return resolve();
        }
        reject(new ApiError(500, 'InternalError', `Get "https://${hostPort(host, port)}${path}": ${e.message}`));
      });
      res.on('close', () => upstream.destroy());
      req.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.end();
    });
  }

  private proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, host: string, port: number, path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const backend = tlsConnect({ host, port, ca: this.opts!.ca, ALPNProtocols: ['http/1.1'] });
      let connected = false;
      backend.once('secureConnect', () => {
        connected = true;
        backend.write(requestHead(req, path, hostPort(host, port), this.opts!.token));
        if (head.length) backend.write(head);
        client.pipe(backend);
        backend.pipe(client);
        // The client gone: nobody to deliver to. The agent gone: deliver what it sent, then close.
        client.on('close', () => backend.destroy());
        backend.on('close', () => (client as Socket).destroySoon());
        resolve();
      });
      backend.on('error', (e) => {
        if (!connected) reject(new ApiError(500, 'InternalError', `error dialing backend: ${e.message}`));
        else client.destroy();
      });
    });
  }
}

/** Hop-by-hop and credential headers are not forwarded; the upgrade headers are. */
const DROPPED = new Set(['authorization', 'host', 'proxy-authorization', 'impersonate-user', 'impersonate-group', 'impersonate-uid', 'content-length', 'transfer-encoding']);

function requestHead(req: IncomingMessage, path: string, host: string, token: string): string {
  const lines = [`${req.method} ${path} HTTP/1.1`, `Host: ${host}`, `Authorization: Bearer ${token}`];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (!DROPPED.has(raw[i]!.toLowerCase()) && !raw[i]!.toLowerCase().startsWith('impersonate-extra-')) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Go's strconv.ParseBool, as Kubernetes decodes query parameters. */
function parseBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function parseInt64(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

/** PodLogOptions decoding and validation (ValidatePodLogOptions): 422 Invalid, kind PodLogOptions. */
function validateLogOptions(q: URLSearchParams, name: string): LogOptions {
  const opts: LogOptions = {
    follow: parseBool(q, 'follow'),
    previous: parseBool(q, 'previous'),
    timestamps: parseBool(q, 'timestamps'),
    sinceSeconds: parseInt64(q, 'sinceSeconds'),
    tailLines: parseInt64(q, 'tailLines'),
    limitBytes: parseInt64(q, 'limitBytes'),
  };
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(sinceTime)) {
      throw errors.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
    }
    // RFC 3339 with second precision, as Kubernetes passes it on.
    opts.sinceTime = rfc3339(new Date(t));
  }
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(invalid('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(invalid('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) errs.push(forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) errs.push(invalid('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  if (errs.length) throw errors.invalid('', 'PodLogOptions', name, errs);
  return opts;
}

/** The container to use (validateContainer in pkg/registry/core/pod/strategy.go). */
function validateContainer(container: string, pod: KObject): string {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  const name = pod.metadata?.name ?? '';
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  if (!container) {
    const containers = spec.containers ?? [];
    if (containers.length === 1) return containers[0]!.name;
    if (!containers.length) throw errors.badRequest(`a container name must be specified for pod ${name}`);
    throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  if (!all.includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** A non-2xx answer from the agent: its Status when it sent one, else the body as the message. */
function upstreamError(code: number, body: string, podName: string): ApiError {
  try {
    const s = JSON.parse(body) as { kind?: string; reason?: string; message?: string; details?: ApiError['details'] };
    if (s.kind === 'Status' && s.reason) return new ApiError(code, s.reason as ApiError['reason'], s.message ?? '', s.details);
  } catch {
    // not JSON
  }
  const reason = code === 404 ? 'NotFound' : code === 400 ? 'BadRequest' : code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : 'InternalError';
  return new ApiError(code, reason, body.trim() || `the server rejected our request for pods/log ${podName}`);
}

function writeRawError(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
