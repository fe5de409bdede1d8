import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/resources.ts';
import { backendsOn, get, inNetns, until, useIngressEnv } from './test-fixture.ts';

inNetns(import.meta.url, () => {
  const setup = useIngressEnv('ingress-routing');

  const path = (p: string, service: string, pathType = 'Prefix') => ({ path: p, pathType, backend: { service: { name: service, port: { number: 80 } } } });

  test('host and path precedence across merged Ingresses, the default backend, and other classes ignored', async () => {
    const env = await setup();
    try {
      const names = ['root', 'api', 'exact', 'exact2', 'v2', 'wild', 'other', 'static', 'def'];
      const bs = await backendsOn(env, names);
      for (const b of bs) await env.service(b.name, [b]);
      // Same creationTimestamp (fixed clock): the name decides which Ingress is older.
      await env.ingressObject({
        metadata: { name: 'a-main' },
        spec: {
          rules: [
            {
              host: 'foo.com',
              http: { paths: [path('/', 'root'), path('/api', 'api'), path('/api/exact', 'exact', 'Exact'), path('/api/v2/', 'v2')] },
            },
          ],
        },
      });
      await env.ingressObject({
        metadata: { name: 'b-more' },
        spec: {
          rules: [
            { host: '*.foo.com', http: { paths: [path('/', 'wild', 'ImplementationSpecific')] } },
            { host: 'foo.com', http: { paths: [path('/api', 'other'), path('/api', 'exact2', 'Exact')] } },
          ],
        },
      });
      await env.ingressObject({
        metadata: { name: 'c-catchall' },
        spec: { defaultBackend: { service: { name: 'def', port: { name: 'http' } } }, rules: [{ http: { paths: [path('/static', 'static')] } }] },
      });
      await env.ingressObject({
        metadata: { name: '0-nginx' },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'foo.com', http: { paths: [path('/api/exact', 'other', 'Exact')] } }] },
      });
      await env.ingressObject({
        metadata: { name: '0-legacy', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
        spec: { rules: [{ host: 'foo.com', http: { paths: [path('/', 'other')] } }] },
      });
      await env.ingressObject({
      metadata: { name: 'd-legacy-skiff', annotations: { 'kubernetes.io/ingress.class': 'skiff' } },
      spec: { rules: [{ host: 'legacy.com', http: { paths: [path('/', 'other')] } }] },
    });
    await env.routed('other.com', '/nope', 'def');
    await env.routed('legacy.com', '/', 'other');

      const table: [string, string, string][] = [
        ['foo.com', '/', 'root'],
        ['foo.com', '/api', 'exact2'], // Exact beats Prefix at equal length
        ['foo.com', '/api/', 'api'], // the older Ingress's Prefix /api beats b-more's
        ['foo.com', '/apix', 'root'], // element-wise: /api does not match /apix
        ['foo.com', '/api/exact', 'exact'], // longest wins
        ['foo.com', '/api/exact/more', 'api'], // Exact matches only itself
        ['foo.com', '/api/v2', 'v2'], // Prefix /api/v2/ matches /api/v2
        ['foo.com', '/api/v2/x?q=1', 'v2'],
        ['FOO.com:8080', '/api/x', 'api'], // host case and port do not matter
        ['bar.foo.com', '/anything', 'wild'],
        ['a.bar.foo.com', '/static/x', 'static'], // a wildcard covers one label only
        ['foo.com.', '/api/exact', 'exact'],
        ['other.com', '/static', 'static'],
        ['other.com', '/nope', 'def'],
        ['', '/x', 'def'],
      ];
      for (const [host, p, want] of table) {
        const r = await get(env.ingress.httpPort, host, p);
        assert.equal(r.status, 200, `${host}${p}: ${r.status} ${r.body}`);
        assert.equal(r.json().name, want, `${host}${p}`);
        assert.equal(r.json().url, p, 'the path goes to the backend unchanged');
      }

      const cls = await env.client.get(R.ingressclasses, undefined, 'skiff');
      assert.equal((cls as any).spec.controller, 'skiff.dev/ingress');
      assert.equal(cls.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'], 'true');
      await until(async () => ((await env.client.get(R.ingresses, 'default', 'a-main')) as any).status?.loadBalancer?.ingress?.[0]?.ip === '127.0.0.1', 'status');
      const other = (await env.client.get(R.ingresses, 'default', '0-nginx')) as any;
      assert.deepEqual(other.status?.loadBalancer?.ingress ?? [], [], 'an Ingress of another class gets no status from skiff');
    } finally {
      await env.close();
    }
});

test('404 without a matching rule or default backend, 503 for a Service without ready endpoints', async () => {
  const env = await setup();
  try {
    const [web, down] = await backendsOn(env, ['web', 'down'], 30);
    await env.service('web', [web!]);
    await env.service('down', [down!], { ready: false });
    await env.ingressObject({
      metadata: { name: 'site' },
      spec: { ingressClassName: 'skiff', rules: [{ host: 'site.test', http: { paths: [path('/', 'web'), path('/down', 'down'), path('/gone', 'missing')] } }] },
    });
    await env.routed('site.test', '/', 'web');
    const nf = await get(env.ingress.httpPort, 'elsewhere.test', '/');
    assert.equal(nf.status, 404);
    assert.equal((await get(env.ingress.httpPort, 'site.test', '/down')).status, 503);
    assert.equal((await get(env.ingress.httpPort, 'site.test', '/gone')).status, 503, 'a Service that does not exist');
    assert.equal(down!.hits, 0, 'a not-ready endpoint gets nothing');

    await env.setEndpoints('down', [down!], true);
    await env.routed('site.test', '/down', 'down');
  } finally {
    await env.close();
  }
});
});
