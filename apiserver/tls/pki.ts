// The cluster's PKI: a CA and a serving certificate for the API server, made
// once per data directory and kept there (so kubeconfigs stay valid across
// restarts). What is missing or stale is issued by generate-pki.ts in a child
// process: the X.509 library it needs costs ~20 MB of memory that the
// long-running server should not keep.

import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

/** The names the serving certificate must carry. */
export function servingSans(): { dns: string[]; ips: string[] } {
  const dns = ['localhost', hostname(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  return { dns: [...new Set(dns)], ips: ['127.0.0.1', '::1'] };
}

/** True when the PKI in dir is complete, current and names this host. */
export function pkiIsCurrent(dir: string): boolean {
  const p = (n: string) => join(dir, n);
  if (!['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key'].every((n) => existsSync(p(n)))) return false;
  const cert = new X509Certificate(readFileSync(p('apiserver.crt'), 'utf8'));
  if (new Date(cert.validTo).getTime() < Date.now() + 30 * 24 * 3600 * 1000) return false;
  const alt = cert.subjectAltName ?? '';
  return servingSans().dns.every((d) => alt.includes(`DNS:${d}`)) && alt.includes('IP Address:127.0.0.1');
}

/** The generator as built next to the bundle, or its source when running from source (through tsx). */
function generatorCommand(dir: string): string[] {
  const bundled = fileURLToPath(new URL('./generate-pki.mjs', import.meta.url));
  if (existsSync(bundled)) return [bundled, dir];
  return ['--import', 'tsx', fileURLToPath(new URL('./generate-pki.ts', import.meta.url)), dir];
}

/** Loads the PKI from dir, issuing what is missing or stale first. */
export function loadOrCreatePki(dir: string): Pki {
  if (!pkiIsCurrent(dir)) {
    // Loaded here: a server that finds its certificates current never needs child_process.
    const { spawnSync } = process.getBuiltinModule('node:child_process');
    const r = spawnSync(process.execPath, generatorCommand(dir), { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`could not create certificates in ${dir}: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
  }
  const read = (n: string) => readFileSync(join(dir, n), 'utf8');
  return { caCert: read('ca.crt'), caKey: read('ca.key'), serverCert: read('apiserver.crt'), serverKey: read('apiserver.key') };
}
