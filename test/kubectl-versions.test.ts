// Every real kubectl from 1.27 to 1.33 passes a smoke scenario against one
// server: apply, get (table and json), the protobuf-posting generators of
// 1.32+, scale, set image, patch, run, exec (SPDY up to 1.29, WebSocket from
// 1.30) with stdin and exit codes, logs, delete.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './harness.ts';

const VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];

const manifest = (ns: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example.com/web:1
          ports: [{containerPort: 80}]
`;

describe('kubectl 1.27 to 1.33 smoke', { timeout: 600_000 }, () => {
  let s: TestServer;
  let work: string;
  before(async () => {
    s = await startServer();
    work = mkdtempSync(join(tmpdir(), 'skiff-versions-'));
  });
  after(async () => {
    await s?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const version of VERSIONS) {
    it(`kubectl ${version}`, async () => {
      const ns = `v${version.replace('.', '-')}`;
      const k = (args: string[]) => s.k(args, { version, env: { KUBECACHEDIR: join(work, version) } });
      const v = JSON.parse(await k(['version', '-o', 'json']));
      assert.equal(v.clientVersion.minor.replace(/\D.*$/, ''), version.split('.')[1]);
      assert.match(await k(['create', 'namespace', ns]), /created/);
      const file = join(work, `${ns}.yaml`);
      writeFileSync(file, manifest(ns));
      assert.match(await k(['apply', '-f', file]), /deployment\.apps\/web created/);
      assert.match(await k(['-n', ns, 'get', 'deploy']), /^web\s+0\/1\s+\d+\s+0\s+/m);
      assert.match(await k(['-n', ns, 'create', 'configmap', 'c', '--from-literal=a=b']), /configmap\/c created/);
      assert.match(await k(['-n', ns, 'create', 'secret', 'generic', 's', '--from-literal=x=y']), /secret\/s created/);
      assert.match(await k(['-n', ns, 'create', 'deployment', 'gen', '--image=example.com/gen:1', '--replicas=2', '--port=8080']), /deployment\.apps\/gen created/);
      assert.match(await k(['-n', ns, 'create', 'service', 'clusterip', 'gen', '--tcp=80:8080']), /service\/gen created/);
      const gen = JSON.parse(await k(['-n', ns, 'get', 'deploy', 'gen', '-o', 'json']));
      assert.equal(gen.spec.replicas, 2);
      assert.equal(gen.spec.template.spec.containers[0].ports[0].containerPort, 8080);
      assert.match(await k(['-n', ns, 'scale', 'deploy', 'web', '--replicas=3']), /scaled/);
      assert.match(await k(['-n', ns, 'set', 'image', 'deploy/web', 'web=example.com/web:2']), /image updated/);
      assert.match(await k(['-n', ns, 'patch', 'deploy', 'web', '-p', '{"metadata":{"labels":{"x":"y"}}}']), /patched/);
      const web = JSON.parse(await k(['-n', ns, 'get', 'deploy', 'web', '-o', 'json']));
      assert.equal(web.spec.replicas, 3);
      assert.equal(web.spec.template.spec.containers[0].image, 'example.com/web:2');
      assert.equal(web.metadata.labels.x, 'y');
      assert.match(await k(['-n', ns, 'get', 'cm', 'c', '-o', 'jsonpath={.data.a}']), /^b$/);
      // A pod that runs (the local agent, process runtime), then exec and logs through the API server.
      assert.match(await k(['-n', ns, 'run', 'sh', '--image=busybox', '--command', '--', 'sh', '-c', 'echo started; exec sleep 3600']), /pod\/sh created/);
      assert.match(await k(['-n', ns, 'wait', '--for=condition=Ready', 'pod/sh', '--timeout=60s']), /condition met/);
      assert.equal(await k(['-n', ns, 'exec', 'sh', '--', 'echo', 'hi']), 'hi\n');
      const piped = await s.kubectl(['-n', ns, 'exec', '-i', 'sh', '--', 'cat'], { version, input: 'through stdin\n', env: { KUBECACHEDIR: join(work, version) } });
      assert.equal(piped.stdout, 'through stdin\n', piped.stderr);
      const failed = await s.kubectl(['-n', ns, 'exec', 'sh', '--', 'sh', '-c', 'exit 3'], { version, env: { KUBECACHEDIR: join(work, version) } });
      assert.equal(failed.code, 3, failed.stderr);
      assert.equal(await k(['-n', ns, 'logs', 'sh']), 'started\n');
      assert.match(await k(['delete', 'namespace', ns]), /deleted/);
    });
  }
});
