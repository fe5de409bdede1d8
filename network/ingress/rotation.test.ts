import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { backendsOn, get, inNetns, until, useIngressEnv } from './test-fixture.ts';

inNetns(import.meta.url, () => {
  const setup = useIngressEnv('ingress-rotation');

  const site = {
    metadata: { name: 'web' },
    spec: { rules: [{ host: 'web.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] },
  };

  test('an endpoint that leaves the ready set gets no new request; idle sockets close at once, busy ones after their response', async () => {
    const env = await setup();
    try {
      const [a, b] = await backendsOn(env, ['a', 'b']);
      let release: (() => void) | undefined;
      a!.onRequest = (req, res) => {
        if (req.url !== '/slow') return false;
        release = () => res.end('slow done');
        return true;
      };
      await env.service('web', [a!, b!]);
      await env.ingressObject(site);
      await env.routed('web.test', '/', 'a');

      // Round robin: both get requests and keep one idle pooled socket each.
      const seen = new Set<string>();
      for (let i = 0; i < 4; i++) seen.add((await get(env.ingress.httpPort, 'web.test', '/')).json().name);
      assert.deepEqual([...seen].sort(), ['a', 'b']);
      // Make a request busy on a.
      let slow: Promise<{ status: number; body: string }> | undefined;
      for (let i = 0; i < 2 && !slow; i++) {
        let settled = false;
        const r = get(env.ingress.httpPort, 'web.test', '/slow');
        void r.then(() => (settled = true));
        await until(() => release !== undefined || settled, 'slow request placed');
        if (release) slow = r; // else it went to b, which answers at once: the next pick is a
      }
      assert.ok(slow, 'a has the slow request');
      // The next two go to b, then to a over a second socket, which stays idle in the pool.
      for (let i = 0; i < 2; i++) await get(env.ingress.httpPort, 'web.test', '/');
      assert.equal(a!.sockets.size, 2, 'a: one idle socket, one busy');

      const hitsBefore = a!.hits;
      await env.setEndpoints('web', [b!]);
      await until(() => a!.sockets.size === 1, 'the idle socket to a closed');
      for (let i = 0; i < 10; i++) assert.equal((await get(env.ingress.httpPort, 'web.test', '/')).json().name, 'b');
      assert.equal(a!.hits, hitsBefore, 'no new request reached a');

      release!();
      const done = await slow!;
      assert.equal(done.status, 200);
      assert.equal(done.body, 'slow done', 'the request in flight finished');
      await until(() => a!.sockets.size === 0, 'the busy socket to a closed after its response');
    } finally {
      await env.close();
    }
  });

  test('a refused endpoint and a keep-alive socket reset before any response byte are retried on another, with zero client errors', async () => {
    const env = await setup();
    try {
      const [dead, live, flaky] = await backendsOn(env, ['dead', 'live', 'flaky']);
      await dead!.close(); // its address refuses connections
      // flaky answers the first request on a connection, then drops the connection at the next one
      // without a byte, as a server that closes an idle keep-alive socket just as a request arrives.
      const served = new WeakMap<Socket, number>();
      let drops = 0;
      flaky!.onRequest = (req) => {
        const n = (served.get(req.socket) ?? 0) + 1;
        served.set(req.socket, n);
        if (n < 2) return false;
        drops++;
        req.socket.destroy();
        return true;
      };
      await env.service('web', [dead!, live!, flaky!]);
      await env.ingressObject(site);
      await env.routed('web.test', '/', 'live');

      const names = new Map<string, number>();
      for (let i = 0; i < 12; i++) {
        const post = i % 2 === 1;
        const r = await get(env.ingress.httpPort, 'web.test', `/r/${i}`, post ? { method: 'POST', body: `body-${i}` } : {});
        assert.equal(r.status, 200, `request ${i}: ${r.status} ${r.body}`);
        if (post) assert.equal(r.json().body, `body-${i}`, 'a replayed body arrives whole');
        names.set(r.json().name, (names.get(r.json().name) ?? 0) + 1);
      }
      assert.equal(names.get('dead'), undefined);
      assert.ok((names.get('live') ?? 0) > 0);
      assert.ok(drops > 0, 'flaky dropped reused connections');
    } finally {
      await env.close();
    }
  });
});
