import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { backendsOn, get, inNetns, useIngressEnv } from './test-fixture.ts';

inNetns(import.meta.url, () => {
  const setup = useIngressEnv('ingress-proxy');

  const site = (service: string) => ({
    metadata: { name: 'app' },
    spec: { rules: [{ host: 'app.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } }] } }] },
  });

  test('keep-alive to the backend, X-Forwarded headers, hop-by-hop headers removed, bodies streamed both ways', async () => {
    const env = await setup();
    try {
      const [app] = await backendsOn(env, ['app']);
      await env.service('app', [app!]);
      await env.ingressObject(site('app'));
      await env.routed('app.test', '/', 'app');

      // Each client request on its own connection; the backend sees one connection reused.
      const ports = new Set<number>();
      for (let i = 0; i < 5; i++) ports.add((await get(env.ingress.httpPort, 'app.test', `/n/${i}`)).json().remotePort);
      assert.equal(ports.size, 1, 'one pooled connection to the backend');
      assert.equal(app!.sockets.size, 1);

      const r = await get(env.ingress.httpPort, 'app.test:8080', '/h?x=1', {
        headers: { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https', Connection: 'close, X-Secret', 'X-Secret': 'hop', 'Proxy-Connection': 'x', 'X-Kept': 'yes' },
      });
      const h = r.json().headers;
      assert.equal(h['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
      assert.equal(h['x-real-ip'], '127.0.0.1');
      assert.equal(h['x-forwarded-proto'], 'http', 'the proxy sets the scheme it was reached by');
      assert.equal(h['x-forwarded-host'], 'app.test:8080');
      assert.equal(h['x-forwarded-port'], String(env.ingress.httpPort));
      assert.equal(h.host, 'app.test:8080', 'Host goes through unchanged');
      assert.equal(h['x-kept'], 'yes');
      assert.equal(h['x-secret'], undefined, 'a header named by Connection is hop-by-hop');
      assert.equal(h['proxy-connection'], undefined);
      assert.equal(h.connection, 'keep-alive', 'the backend connection is kept alive whatever the client asked');
      assert.equal(r.headers['x-backend'], 'app');
      assert.equal(r.headers['keep-alive'], undefined, "the backend's Keep-Alive header is not passed on");

      const big = 'x'.repeat(200_000);
      const post = await get(env.ingress.httpPort, 'app.test', '/upload', { method: 'POST', body: big, headers: { 'Content-Type': 'text/plain' } });
      assert.equal(post.status, 200);
      assert.equal(post.json().body.length, big.length);

      // A client keep-alive connection carries several requests too.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < 3; i++) assert.equal((await get(env.ingress.httpPort, 'app.test', '/ka', { agent })).status, 200);
      } finally {
        agent.destroy();
      }
    } finally {
      await env.close();
    }
  });

  test('a WebSocket through the ingress echoes', async () => {
    const env = await setup();
    try {
      const [chat] = await backendsOn(env, ['chat']);
      const wss = new WebSocketServer({ server: chat!.server });
      wss.on('connection', (ws, req) => {
        ws.send(`hello ${req.headers['x-forwarded-for']}`);
        ws.on('message', (m) => ws.send(`echo ${m.toString()}`));
      });
      await env.service('chat', [chat!]);
      await env.ingressObject(site('chat'));
      await env.routed('app.test', '/', 'chat');

      const ws = new WebSocket(`ws://127.0.0.1:${env.ingress.httpPort}/socket`, { headers: { Host: 'app.test' } });
      const got: string[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.on('error', reject);
        ws.on('message', (m) => {
          got.push(m.toString());
          if (got.length === 1) ws.send('ping');
          if (got.length === 2) resolve();
        });
      });
      assert.deepEqual(got, ['hello 127.0.0.1', 'echo ping']);
      ws.close();
      wss.close();
    } finally {
      await env.close();
    }
  });

  test('a backend that does not answer in time gives 504; the pool keeps serving', async () => {
    const env = await setup({ readMs: 300 });
    try {
      const [app] = await backendsOn(env, ['app']);
      app!.onRequest = (req) => req.url === '/hang';
      await env.service('app', [app!]);
      await env.ingressObject(site('app'));
      await env.routed('app.test', '/', 'app');
      assert.equal((await get(env.ingress.httpPort, 'app.test', '/hang')).status, 504);
      assert.equal((await get(env.ingress.httpPort, 'app.test', '/after')).json().url, '/after');
    } finally {
      await env.close();
    }
  });
});
