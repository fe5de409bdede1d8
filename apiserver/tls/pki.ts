// The cluster's PKI: a CA and a serving certificate for the API server, made
// once per data directory and kept there (so kubeconfigs stay valid across
// restarts). ECDSA P-256 through WebCrypto with @peculiar/x509.

import 'reflect-metadata'; // @peculiar/x509 2.x needs it loaded first (tsyringe)
import { webcrypto, X509Certificate as NodeX509, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG: EcKeyGenParams & EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

async function pemToKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as unknown as CryptoKey;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

export async function createCa(commonName = 'skiff-ca'): Promise<{ cert: string; key: string }> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 10 * YEAR_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await keyToPem(keys.privateKey) };
}

/** Issues a leaf certificate signed by the CA, for server (and client) auth, with the given SANs. */
export async function issueCert(
  ca: { cert: string; key: string },
  commonName: string,
  sans: { dns?: string[]; ips?: string[] },
  usage: 'server' | 'client' = 'server',
): Promise<{ cert: string; key: string }> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await pemToKey(ca.key);
  const keys = await generateKeys();
  const altNames = [...(sans.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(sans.ips ?? []).map((value) => ({ type: 'ip' as const, value }))];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${commonName}`,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 5 * YEAR_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(altNames.length ? [new x509.SubjectAlternativeNameExtension(altNames)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await keyToPem(keys.privateKey) };
}

function randomSerial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] &= 0x7f; // positive
  return Buffer.from(b).toString('hex');
}

/** The names the serving certificate must carry. */
export function servingSans(extraHosts: string[] = []): { dns: string[]; ips: string[] } {
  const dns = ['localhost', hostname(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  const ips = ['127.0.0.1', '::1'];
  for (const h of extraHosts) (/^[\d.]+$|:/.test(h) ? ips : dns).push(h);
  return { dns: [...new Set(dns)], ips: [...new Set(ips)] };
}

/**
 * Loads the PKI from dir, creating what is missing. A serving certificate
 * whose SANs no longer cover this host (e.g. a renamed machine) is reissued.
 */
export async function loadOrCreatePki(dir: string): Promise<Pki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (n: string) => join(dir, n);
  if (!existsSync(p('ca.crt')) || !existsSync(p('ca.key'))) {
    const ca = await createCa();
    writeFileSync(p('ca.key'), ca.key, { mode: 0o600 });
    writeFileSync(p('ca.crt'), ca.cert, { mode: 0o644 });
  }
  const ca = { cert: readFileSync(p('ca.crt'), 'utf8'), key: readFileSync(p('ca.key'), 'utf8') };
  const sans = servingSans();
  if (!existsSync(p('apiserver.crt')) || !existsSync(p('apiserver.key')) || !covers(readFileSync(p('apiserver.crt'), 'utf8'), sans)) {
    const leaf = await issueCert(ca, 'skiff-apiserver', sans);
    writeFileSync(p('apiserver.key'), leaf.key, { mode: 0o600 });
    writeFileSync(p('apiserver.crt'), leaf.cert, { mode: 0o644 });
  }
  return {
    caCert: ca.cert,
    caKey: ca.key,
    serverCert: readFileSync(p('apiserver.crt'), 'utf8'),
    serverKey: readFileSync(p('apiserver.key'), 'utf8'),
  };
}

function covers(pem: string, sans: { dns: string[]; ips: string[] }): boolean {
  const cert = new NodeX509(pem);
  if (new Date(cert.validTo).getTime() < Date.now() + 30 * 24 * 3600 * 1000) return false;
  const alt = cert.subjectAltName ?? '';
  return sans.dns.every((d) => alt.includes(`DNS:${d}`)) && alt.includes('IP Address:127.0.0.1');
}
