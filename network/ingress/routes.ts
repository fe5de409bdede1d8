// The routing table the ingress proxy matches each request against, built
// from every Ingress this controller serves. Matching follows the Ingress
// spec (networking.k8s.io/v1): a host is exact or a one-label wildcard
// (`*.foo.com` matches `bar.foo.com`, not `foo.com` nor `a.bar.foo.com`), an
// exact host beats a wildcard; paths are Exact or Prefix (element-wise:
// `/foo` matches `/foo` and `/foo/bar`, not `/foobar`; ImplementationSpecific
// is treated as Prefix); the longest path wins and Exact beats Prefix at equal
// length. Where the spec is silent it does what ingress-nginx does: rules of
// all Ingresses are merged per host, a host+path claimed twice goes to the
// oldest Ingress (creationTimestamp, then namespace/name); a host with no
// matching path uses its Ingress's defaultBackend, else the cluster default
// backend (the oldest Ingress's spec.defaultBackend), else 404; requests for a
// host no rule names go to the host-less rules, like nginx's catch-all server.

import type { KObject } from '../../client/types.ts';
import type { ServicePortRef } from '../types.ts';

type Obj = Record<string, any>;

export const SSL_REDIRECT_ANNOTATION = 'nginx.ingress.kubernetes.io/ssl-redirect';

/** A Service port that requests go to. */
export interface Backend {
  namespace: string;
  service: string;
  port: ServicePortRef;
  /** `ns/name:port`, the key of its round-robin state. */
  key: string;
}

interface Route {
  exact: boolean;
  /** Exact: the path as written; Prefix: without trailing slashes ('' for '/'). */
  path: string;
  backend: Backend;
  /** The owning Ingress allows the HTTP→HTTPS redirect (ssl-redirect not "false"). */
  sslRedirect: boolean;
}

interface HostServer {
  routes: Route[];
  defaultBackend?: Backend;
  defaultSslRedirect: boolean;
  /** Some Ingress lists this host under spec.tls. */
  tls: boolean;
}

export interface Match {
  backend?: Backend;
  /** The request is plain HTTP for a TLS host whose Ingress wants the 308 to HTTPS. */
  redirect: boolean;
}

const NOT_FOUND: Match = { backend: undefined, redirect: false };

function backendOf(namespace: string, b: Obj | undefined): Backend | undefined {
  const svc = b?.service;
  if (!svc?.name || !svc.port) return undefined;
  const port: ServicePortRef = typeof svc.port.number === 'number' ? { number: svc.port.number } : { name: String(svc.port.name ?? '') };
  const portKey = 'number' in port ? String(port.number) : port.name;
  return { namespace, service: svc.name, port, key: `${namespace}/${svc.name}:${portKey}` };
}

/** Oldest first, then by namespace/name: the order in which Ingresses claim hosts and paths. */
export function byAge(a: KObject, b: KObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The host of a Host header: lower case, without port or trailing dot. */
export function hostOf(header: string | undefined): string {
  if (!header) return '';
  let h = header;
  if (h.charCodeAt(0) === 91 /* [ */) {
    const end = h.indexOf(']');
    h = end > 0 ? h.slice(0, end + 1) : h;
  } else {
    const colon = h.indexOf(':');
    if (colon >= 0) h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h.toLowerCase();
}

function prefixMatches(prefix: string, path: string): boolean {
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === 47; /* / */
}

export class RouteTable {
  private readonly exactHosts = new Map<string, HostServer>();
  /** `*.foo.com` is kept under `.foo.com`. */
  private readonly wildcardHosts = new Map<string, HostServer>();
  private catchAll?: HostServer;
  private defaultBackend?: Backend;

  /** Builds the table from the served Ingresses (any order). */
  constructor(ingresses: KObject[]) {
    const sorted = [...ingresses].sort(byAge);
    const claimed = new Set<string>();
    for (const ing of sorted) {
      const ns = ing.metadata.namespace!;
      const spec: Obj = (ing as Obj).spec ?? {};
      const sslRedirect = ing.metadata.annotations?.[SSL_REDIRECT_ANNOTATION] !== 'false';
      const ingDefault = backendOf(ns, spec.defaultBackend);
      this.defaultBackend ??= ingDefault;
      for (const t of spec.tls ?? []) for (const h of t.hosts ?? []) this.server(String(h).toLowerCase()).tls = true;
      for (const rule of spec.rules ?? []) {
        const host = rule.host ? String(rule.host).toLowerCase() : '';
        const server = this.server(host);
        if (ingDefault && !server.defaultBackend) {
          server.defaultBackend = ingDefault;
          server.defaultSslRedirect = sslRedirect;
        }
        for (const p of rule.http?.paths ?? []) {
          const backend = backendOf(ns, p.backend);
          if (!backend) continue;
          const exact = p.pathType === 'Exact';
          const raw = String(p.path || '/');
          const path = exact ? raw : raw.replace(/\/+$/, '');
          const key = `${host} ${exact ? 'E' : 'P'} ${path}`;
          if (claimed.has(key)) continue;
          claimed.add(key);
          server.routes.push({ exact, path, backend, sslRedirect });
        }
      }
    }
    for (const s of this.servers()) {
      // Longest first; Exact before Prefix at equal length; otherwise in claim order (sort is stable).
      s.routes.sort((a, b) => b.path.length - a.path.length || Number(b.exact) - Number(a.exact));
    }
  }

  /** The hosts some Ingress lists under spec.tls (wildcards as written). */
  get tlsHosts(): string[] {
    const out: string[] = [];
    for (const [h, s] of this.exactHosts) if (s.tls) out.push(h);
    for (const [h, s] of this.wildcardHosts) if (s.tls) out.push(`*${h}`);
    return out;
  }

  match(host: string, path: string, encrypted: boolean): Match {
    const server = this.serverFor(host);
    if (!server) return this.defaultBackend ? { backend: this.defaultBackend, redirect: false } : NOT_FOUND;
    const q = path.indexOf('?');
    const p = q >= 0 ? path.slice(0, q) : path;
    for (const r of server.routes) {
      if (r.exact ? p === r.path : prefixMatches(r.path, p)) {
        return { backend: r.backend, redirect: !encrypted && server.tls && r.sslRedirect };
      }
    }
    const backend = server.defaultBackend ?? this.defaultBackend;
    if (!backend) return NOT_FOUND;
    return { backend, redirect: !encrypted && server.tls && (server.defaultBackend ? server.defaultSslRedirect : true) };
  }

  private serverFor(host: string): HostServer | undefined {
    const exact = this.exactHosts.get(host);
    if (exact && (exact.routes.length > 0 || exact.defaultBackend)) return exact;
    const dot = host.indexOf('.');
    if (dot > 0) {
      const wild = this.wildcardHosts.get(host.slice(dot));
      if (wild && (wild.routes.length > 0 || wild.defaultBackend)) return wild;
    }
    return this.catchAll;
  }

  private server(host: string): HostServer {
    const fresh = (): HostServer => ({ routes: [], defaultSslRedirect: true, tls: false });
    if (host === '') return (this.catchAll ??= fresh());
    const wildcard = host.startsWith('*.');
    const map = wildcard ? this.wildcardHosts : this.exactHosts;
    const key = wildcard ? host.slice(1) : host;
    let s = map.get(key);
    if (!s) map.set(key, (s = fresh()));
    return s;
  }

  private *servers(): Iterable<HostServer> {
    yield* this.exactHosts.values();
    yield* this.wildcardHosts.values();
    if (this.catchAll) yield this.catchAll;
  }
}
