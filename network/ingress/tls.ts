// TLS of the ingress: the certificate for a handshake is chosen by SNI from
// the served Ingresses' spec.tls (hosts and secretName, a kubernetes.io/tls
// Secret in the Ingress's namespace; exact hosts before wildcards, the oldest
// Ingress first for a host listed twice). SecureContexts are cached per
// Secret and dropped when the Secret changes, so a replaced certificate is
// served from the next handshake on, without a restart. Unknown names (or a
// missing or broken Secret) get the default self-signed certificate, as
// ingress-nginx's "Kubernetes Ingress Controller Fake Certificate".

import { createSecureContext, type SecureContext } from 'node:tls';
import type { KObject } from '../../client/types.ts';
import { byAge } from './routes.ts';

type Obj = Record<string, any>;

export const FAKE_CERT_CN = 'Kubernetes Ingress Controller Fake Certificate';

/** A self-signed certificate for names no Ingress has a certificate for. Loads @peculiar/x509 only when called. */
export async function defaultCertificate(): Promise<{ cert: string; key: string }> {
  const { createCa } = await import('../../apiserver/tls/issue.ts');
  return createCa(FAKE_CERT_CN);
}

export class TlsStore {
  /** SNI host (exact, or `*.foo.com`) → `ns/secret`. */
  private hosts = new Map<string, string>();
  private readonly contexts = new Map<string, SecureContext | null>();

  constructor(
    private readonly getSecret: (namespace: string, name: string) => KObject | undefined,
    readonly fallback: SecureContext,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  /** Rebuilds the host → Secret map from the served Ingresses. */
  setIngresses(ingresses: KObject[]): void {
    const hosts = new Map<string, string>();
    for (const ing of [...ingresses].sort(byAge)) {
      for (const t of (ing as Obj).spec?.tls ?? []) {
        if (!t.secretName) continue;
        for (const h of t.hosts ?? []) {
          const host = String(h).toLowerCase();
          if (!hosts.has(host)) hosts.set(host, `${ing.metadata.namespace}/${t.secretName}`);
        }
      }
    }
    this.hosts = hosts;
  }

  /** A Secret changed or went away: its context is rebuilt at the next handshake that needs it. */
  secretChanged(namespace: string, name: string): void {
    this.contexts.delete(`${namespace}/${name}`);
  }

  /** The context for an SNI name. */
  contextFor(servername: string): SecureContext {
    const name = servername.toLowerCase();
    let key = this.hosts.get(name);
    if (!key) {
      const dot = name.indexOf('.');
      if (dot > 0) key = this.hosts.get(`*${name.slice(dot)}`);
    }
    if (!key) return this.fallback;
    return this.context(key) ?? this.fallback;
  }

  private context(key: string): SecureContext | null {
    const cached = this.contexts.get(key);
    if (cached !== undefined) return cached;
    const slash = key.indexOf('/');
    const secret = this.getSecret(key.slice(0, slash), key.slice(slash + 1)) as Obj | undefined;
    let ctx: SecureContext | null = null;
    if (secret && secret.type === 'kubernetes.io/tls' && secret.data?.['tls.crt'] && secret.data?.['tls.key']) {
      try {
        ctx = createSecureContext({
          cert: Buffer.from(secret.data['tls.crt'], 'base64'),
          key: Buffer.from(secret.data['tls.key'], 'base64'),
        });
      } catch (e) {
        this.log(`ingress: Secret ${key} has no usable certificate`, e);
      }
    }
    // A missing or broken Secret is remembered too: its add or update clears the entry.
    this.contexts.set(key, ctx);
    return ctx;
  }
}
