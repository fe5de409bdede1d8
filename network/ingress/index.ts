// Skiff's built-in Ingress controller: one HTTP and one HTTPS listener that
// route by the served Ingresses (routes.ts), pick ready endpoints from the
// endpoint view and keep a keep-alive pool per endpoint (pool.ts), proxy and
// tunnel (proxy.ts), choose certificates by SNI from Secrets (tls.ts), and
// write the IngressClass and Ingress status (status.ts). Everything is read
// from shared informers; a change rebuilds the route table once per tick.

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSecureContext } from 'node:tls';
import type { InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { WorkQueue } from '../../controllers/queue.ts';
import type { EndpointView } from '../types.ts';
import { BackendPools } from './pool.ts';
import { DEFAULT_TIMEOUTS, handleRequest, handleUpgrade, type ProxyContext, type ProxyTimeouts } from './proxy.ts';
import { RouteTable } from './routes.ts';
import { ensureIngressClass, servedBy, syncStatus } from './status.ts';
import { defaultCertificate, TlsStore } from './tls.ts';

export interface Listen {
  host: string;
  /** 0 picks a free port (see the returned httpPort/httpsPort). */
  port: number;
}

export interface IngressOptions {
  client: Client;
  informers: InformerFactory;
  view: EndpointView;
  http: Listen;
  https: Listen;
  /** The IngressClass this controller serves (default "skiff"). */
  className?: string;
  /** The address written to status.loadBalancer.ingress (default: the HTTP listen host, or 127.0.0.1 for a wildcard host). */
  address?: string;
  timeouts?: Partial<ProxyTimeouts>;
  log?: (msg: string, err?: unknown) => void;
}

export interface RunningIngress {
  httpPort: number;
  httpsPort: number;
  close(): Promise<void>;
}

/** nginx's keepalive_timeout default: idle client connections are kept 75 s. */
const CLIENT_KEEPALIVE_MS = 75_000;

function listen(server: Server, l: Listen): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function statusAddress(opts: IngressOptions): string {
  if (opts.address) return opts.address;
  const h = opts.http.host;
  return h && h !== '0.0.0.0' && h !== '::' && h !== 'localhost' ? h : '127.0.0.1';
}

export async function startIngress(opts: IngressOptions): Promise<RunningIngress> {
  const className = opts.className ?? 'skiff';
  const log = opts.log ?? (() => {});
  const { client, informers, view } = opts;
  await ensureIngressClass(client, className);

  const ingresses = informers.for(R.ingresses);
  const classes = informers.for(R.ingressclasses);
  const secrets = informers.for(R.secrets);
  const fake = await defaultCertificate();
  const tls = new TlsStore((ns, name) => secrets.get(ns, name), createSecureContext(fake), log);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const pools = new BackendPools(view, timeouts.readMs);
  const address = statusAddress(opts);
  let closed = false;
  let table = new RouteTable([]);

  const statusQueue = new WorkQueue(
    async (key) => {
      const [ns, name] = key.split('/') as [string, string];
      const ing = ingresses.get(ns, name);
      if (!ing || closed || !servedBy(ing, className, classes.get(undefined, className))) return;
      await syncStatus(client, ing, address);
    },
    { onError: (key, err) => log(`ingress: status of ${key}`, err) },
  );

  let pending = false;
  const rebuild = (): void => {
    pending = false;
    if (closed) return;
    const ours = classes.get(undefined, className);
    const served = ingresses.list().filter((i) => servedBy(i, className, ours));
    table = new RouteTable(served);
    tls.setIngresses(served);
    for (const i of served) statusQueue.add(`${i.metadata.namespace}/${i.metadata.name}`);
  };
  const schedule = (): void => {
    if (pending || closed) return;
    pending = true;
    queueMicrotask(rebuild);
  };
  const onIngress = { add: schedule, update: schedule, delete: schedule };
  ingresses.addHandler(onIngress);
  classes.addHandler(onIngress);
  const onSecret = (s: KObject): void => tls.secretChanged(s.metadata.namespace!, s.metadata.name!);
  secrets.addHandler({ add: onSecret, update: (_, s) => onSecret(s), delete: onSecret });
  await Promise.all([ingresses.start(), classes.start(), secrets.start()]);
  rebuild();

  const ctx: ProxyContext = {
    table: () => table,
    pools,
    timeouts,
    httpPort: opts.http.port,
    httpsPort: opts.https.port,
    log,
  };
  const tunnels = new Set<Duplex>();
  const serverOpts = { keepAliveTimeout: CLIENT_KEEPALIVE_MS, noDelay: true };
  const plain = createHttpServer(serverOpts, (req: IncomingMessage, res: ServerResponse) => handleRequest(ctx, req, res, false));
  plain.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(ctx, req, socket, head, false, tunnels));
  const secure = createHttpsServer(
    {
      ...serverOpts,
      cert: fake.cert,
      key: fake.key,
      SNICallback: (name, cb) => cb(null, tls.contextFor(name)),
    },
    (req: IncomingMessage, res: ServerResponse) => handleRequest(ctx, req, res, true),
  );
  secure.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(ctx, req, socket, head, true, tunnels));

  try {
    ctx.httpPort = await listen(plain, opts.http);
    ctx.httpsPort = await listen(secure, opts.https);
  } catch (e) {
    closed = true;
    plain.close();
    secure.close();
    pools.close();
    statusQueue.stop();
    throw e;
  }

  return {
    httpPort: ctx.httpPort,
    httpsPort: ctx.httpsPort,
    async close() {
      closed = true;
      statusQueue.stop();
      const done = Promise.all([plain, secure].map((s) => new Promise<void>((r) => s.close(() => r()))));
      plain.closeAllConnections();
      secure.closeAllConnections();
      for (const t of tunnels) t.destroy();
      pools.close();
      await done;
    },
  };
}
