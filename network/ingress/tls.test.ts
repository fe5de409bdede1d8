import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { createCa, issueCert } from '../../apiserver/tls/issue.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { WebSocket, WebSocketServer } from 'ws';
import { backendsOn, get, inNetns, until, useIngressEnv } from './test-fixture.ts';
import { FAKE_CERT_CN } from './tls.ts';

inNetns(import.meta.url, () => {
  const setup = useIngressEnv('ingress-tls');

  const tlsSecret = (name: string, pair: { cert: string; key: string }): KObject =>
    ({
      metadata: { name, namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': Buffer.from(pair.cert).toString('base64'), 'tls.key': Buffer.from(pair.key).toString('base64') },
    }) as KObject;

  /** The serial and CN of the certificate served for an SNI name. */
  function served(port: number, servername: string): Promise<{ serial: string; cn: string }> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
        const c = s.getPeerCertificate();
        s.end();
        resolve({ serial: c.serialNumber.toUpperCase(), cn: String(c.subject?.CN ?? '') });
      });
      s.on('error', reject);
    });
  }

  function httpsGet(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, servername: host, headers: { Host: host }, rejectUnauthorized: false, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  const serialOf = (pem: string) => new X509Certificate(pem).serialNumber.toUpperCase();
  const rule = (host: string) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } });

  test('certificates chosen by SNI from Secrets (wildcards too), a replaced Secret served within 5 s, 308 to HTTPS unless ssl-redirect is "false", wss tunnelled', async () => {
    const env = await setup();
    try {
      const ca = await createCa('test-ca');
      const first = await issueCert(ca, 'secure.test', { dns: ['secure.test'] });
      const wild = await issueCert(ca, '*.wild.test', { dns: ['*.wild.test'] });
      await env.client.create(R.secrets, 'default', tlsSecret('secure-tls', first));
      await env.client.create(R.secrets, 'default', tlsSecret('wild-tls', wild));
      const [app] = await backendsOn(env, ['app']);
      await env.service('app', [app!]);
      await env.ingressObject({
        metadata: { name: 'secure' },
        spec: {
          tls: [
            { hosts: ['secure.test'], secretName: 'secure-tls' },
            { hosts: ['*.wild.test'], secretName: 'wild-tls' },
          ],
          rules: [rule('secure.test'), rule('*.wild.test')],
        },
      });
      await env.ingressObject({
        metadata: { name: 'plain', annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } },
        spec: { tls: [{ hosts: ['plain.test'], secretName: 'secure-tls' }], rules: [rule('plain.test')] },
      });
      await env.routed('plain.test', '/', 'app');
      const port = env.ingress.httpsPort;

      assert.equal((await served(port, 'secure.test')).serial, serialOf(first.cert));
      assert.equal((await served(port, 'a.wild.test')).serial, serialOf(wild.cert));
      assert.equal((await served(port, 'unknown.test')).cn, FAKE_CERT_CN, 'an unknown name gets the default certificate');
      assert.equal((await served(port, 'a.b.wild.test')).cn, FAKE_CERT_CN, 'a wildcard covers one label');

      const r = await httpsGet(port, 'secure.test', '/x?y=1');
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.body).headers['x-forwarded-proto'], 'https');

      // A WebSocket over TLS (wss) is tunnelled too.
      const wss = new WebSocketServer({ server: app!.server });
      wss.on('connection', (ws, req) => ws.send(`proto ${req.headers['x-forwarded-proto']}`));
      const wsOpts = { headers: { Host: 'secure.test' }, servername: 'secure.test', rejectUnauthorized: false }; // ws passes servername to tls.connect
      const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, wsOpts);
      const greeting = await new Promise<string>((resolve, reject) => {
        ws.on('error', reject);
        ws.on('message', (m) => resolve(m.toString()));
      });
      assert.equal(greeting, 'proto https');
      ws.close();
      wss.close();

      const redirect = await get(env.ingress.httpPort, 'secure.test', '/x?y=1');
      assert.equal(redirect.status, 308);
      assert.equal(redirect.headers.location, `https://secure.test:${port}/x?y=1`);
      assert.equal((await get(env.ingress.httpPort, 'plain.test', '/')).status, 200, 'ssl-redirect "false" serves plain HTTP');

      // Replace the certificate: new connections get it within 5 s, without a restart.
      const second = await issueCert(ca, 'secure.test', { dns: ['secure.test'] });
      assert.notEqual(serialOf(second.cert), serialOf(first.cert));
      const cur = await env.client.get(R.secrets, 'default', 'secure-tls');
      await env.client.update(R.secrets, { ...tlsSecret('secure-tls', second), metadata: { ...cur.metadata } });
      const since = Date.now();
      await until(async () => (await served(port, 'secure.test')).serial === serialOf(second.cert), 'the new certificate', 500);
      assert.ok(Date.now() - since < 5000, 'served within 5 s');
    } finally {
      await env.close();
    }
  });
});
