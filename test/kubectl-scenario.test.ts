// The control-plane scenario of issue 2, driven by the real kubectl against
// the real `bin/skiff server`: apply, re-apply with pruning, kustomize, get in
// every output, watch, describe, explain, scale, set image, label, annotate,
// patch, edit, replace conflicts, create from literals and files, delete in
// every form, wait, api-resources, version, cluster-info.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, startServer, type TestServer } from './harness.ts';

const FIXTURES = join(REPO, 'test', 'fixtures');

describe('kubectl scenario', { timeout: 300_000 }, () => {
  let s: TestServer;
  let work: string;

  before(async () => {
    s = await startServer();
    work = mkdtempSync(join(tmpdir(), 'skiff-scenario-'));
  });
  after(async () => {
    await s?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const json = async (args: string[]) => JSON.parse(await s.k([...args, '-o', 'json']));

  it('applies a multi-document directory', async () => {
    const out = await s.k(['apply', '-f', join(FIXTURES, 'my-app')]);
    for (const line of [
      'deployment.apps/api created',
      'service/api created',
      'job.batch/migrate created',
      'cronjob.batch/report created',
      'configmap/api-config created',
      'secret/api-secret created',
      'deployment.apps/web created',
      'service/web created',
      'ingress.networking.k8s.io/main created',
    ]) {
      assert.ok(out.includes(line), `missing "${line}" in:\n${out}`);
    }
    const d = await json(['get', 'deploy', 'api']);
    assert.equal(d.spec.revisionHistoryLimit, 3);
    assert.equal(d.spec.strategy.type, 'RollingUpdate');
    assert.equal(d.spec.strategy.rollingUpdate.maxSurge, '25%');
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
    assert.equal(d.metadata.generation, 1);
    const svc = await json(['get', 'svc', 'api']);
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.equal(svc.spec.ports[0].protocol, 'TCP');
    const again = await s.k(['apply', '-f', join(FIXTURES, 'my-app')]);
    assert.match(again, /deployment\.apps\/api unchanged/);
  });

  it('re-applies with a changed image and a removed field: the field is pruned and its default returns', async () => {
    const docs = parseAllDocuments(readFileSync(join(FIXTURES, 'my-app', 'api.yaml'), 'utf8')).map((d) => d.toJS());
    const deploy = docs.find((d: any) => d.kind === 'Deployment');
    delete deploy.spec.revisionHistoryLimit;
    deploy.spec.template.spec.containers[0].image = 'example.com/api:1.1';
    const file = join(work, 'api-v2.json');
    writeFileSync(file, JSON.stringify(deploy));
    const out = await s.k(['apply', '-f', file]);
    assert.match(out, /deployment\.apps\/api configured/);
    const d = await json(['get', 'deploy', 'api']);
    assert.equal(d.spec.template.spec.containers[0].image, 'example.com/api:1.1');
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.metadata.generation, 2);
    // The env and probe of the container survived the strategic merge.
    assert.equal(d.spec.template.spec.containers[0].env[0].name, 'LOG_LEVEL');
    assert.equal(d.spec.template.spec.containers[0].readinessProbe.httpGet.path, '/healthz');
  });

  it('applies a kustomize overlay', async () => {
    const out = await s.k(['apply', '-k', join(FIXTURES, 'kustomize', 'overlays', 'staging')]);
    assert.match(out, /namespace\/staging created/);
    assert.match(out, /deployment\.apps\/staging-worker created/);
    const d = await json(['-n', 'staging', 'get', 'deploy', 'staging-worker']);
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.template.spec.containers[0].image, 'example.com/worker:1.1');
    assert.equal(d.metadata.labels.env, 'staging');
    const cms = await json(['-n', 'staging', 'get', 'cm', '-l', 'env=staging']);
    assert.equal(cms.items.length, 1);
    assert.match(cms.items[0].metadata.name, /^staging-worker-config-/);
    assert.equal(cms.items[0].data.QUEUE, 'staging');
  });

  it('gets in every output format, with label and field selectors', async () => {
    const table = await s.k(['get', 'deploy']);
    assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/m);
    // The images of this fixture have no command: the process runtime cannot run them, so nothing becomes available.
    assert.match(table, /^api\s+0\/2\s+\d+\s+0\s+\d+s/m);
    const wide = await s.k(['get', 'deploy', '-o', 'wide']);
    assert.match(wide, /CONTAINERS\s+IMAGES\s+SELECTOR/);
    assert.match(wide, /example\.com\/api:1\.1\s+app=api/);
    const multi = await s.k(['get', 'deploy,svc,cm', '-o', 'wide']);
    assert.match(multi, /service\/api\s+ClusterIP/);
    assert.match(multi, /configmap\/api-config\s+2/);
    const yaml = await s.k(['get', 'cm', 'api-config', '-o', 'yaml']);
    assert.match(yaml, /LOG_LEVEL: info/);
    const jp = await s.k(['get', 'deploy', 'api', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    assert.equal(jp, 'example.com/api:1.1');
    const byLabel = await s.k(['get', 'deploy', '-l', 'tier=frontend', '-o', 'name']);
    assert.equal(byLabel.trim(), 'deployment.apps/web');
    const byField = await s.k(['get', 'deploy', '--field-selector', 'metadata.name=api', '-o', 'name']);
    assert.equal(byField.trim(), 'deployment.apps/api');
    const all = await s.k(['get', 'all']);
    assert.match(all, /deployment\.apps\/web/);
    assert.match(all, /cronjob\.batch\/report\s+\*\/15 \* \* \* \*\s+Europe\/Berlin\s+False/);
    const svc = await s.k(['get', 'svc', 'web']);
    assert.match(svc, /web\s+NodePort\s+\S+\s+<none>\s+80:\d+\/TCP/);
    const ns = await s.k(['get', 'ns']);
    assert.match(ns, /kube-system\s+Active/);
  });

  it('watches and sees ADDED, MODIFIED and DELETED', async () => {
    const child = spawn('kubectl', ['get', 'cm', '-w', '--output-watch-events'], {
      env: { ...process.env, HOME: s.home, KUBECONFIG: s.kubeconfig },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const until = async (re: RegExp) => {
      for (let i = 0; i < 200 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, re);
    };
    try {
      await until(/ADDED\s+api-config/);
      await s.k(['create', 'configmap', 'watched', '--from-literal=v=1']);
      await until(/ADDED\s+watched\s+1\s/);
      await s.k(['patch', 'cm', 'watched', '--type=merge', '-p', '{"data":{"w":"2"}}']);
      await until(/MODIFIED\s+watched\s+2\s/);
      await s.k(['delete', 'cm', 'watched']);
      await until(/DELETED\s+watched/);
    } finally {
      child.kill();
    }
  });

  it('describes and explains', async () => {
    const d = await s.k(['describe', 'deploy', 'api']);
    assert.match(d, /StrategyType:\s+RollingUpdate/);
    assert.match(d, /RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
    assert.match(d, /Image:\s+example\.com\/api:1\.1/);
    assert.match(d, /Port:\s+8080\/TCP/);
    const e = await s.k(['explain', 'deployment.spec.strategy']);
    assert.match(e, /KIND:\s+Deployment/);
    assert.match(e, /rollingUpdate/);
    const e2 = await s.k(['explain', 'pods.spec.containers.ports']);
    assert.match(e2, /containerPort/);
  });

  it('scales, sets images, labels, annotates and patches', async () => {
    assert.match(await s.k(['scale', 'deploy', 'web', '--replicas=3']), /deployment\.apps\/web scaled/);
    assert.equal((await json(['get', 'deploy', 'web'])).spec.replicas, 3);
    assert.match(await s.k(['set', 'image', 'deploy/web', 'web=example.com/web:2.2']), /image updated/);
    assert.equal((await json(['get', 'deploy', 'web'])).spec.template.spec.containers[0].image, 'example.com/web:2.2');
    await s.k(['label', 'deploy', 'web', 'team=blue']);
    await s.k(['annotate', 'deploy', 'web', 'owner=ops']);
    let d = await json(['get', 'deploy', 'web']);
    assert.equal(d.metadata.labels.team, 'blue');
    assert.equal(d.metadata.annotations.owner, 'ops');
    await s.k(['label', 'deploy', 'web', 'team-']);
    assert.equal((await json(['get', 'deploy', 'web'])).metadata.labels.team, undefined);
    await s.k(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]']);
    await s.k(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"minReadySeconds":5}}']);
    await s.k(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"example.com/sidecar:1"}]}}}}']);
    d = await json(['get', 'deploy', 'web']);
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.minReadySeconds, 5);
    assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name).sort(), ['sidecar', 'web']);
    const bad = await s.kubectl(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":7}]']);
    assert.notEqual(bad.code, 0);
    const invalid = await s.kubectl(['scale', 'deploy', 'web', '--replicas=-1']);
    assert.notEqual(invalid.code, 0);
  });

  it('edits with a scripted editor', async () => {
    const editor = join(work, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i 's/minReadySeconds: 5/minReadySeconds: 9/' "$1"\n`);
    chmodSync(editor, 0o755);
    const out = await s.k(['edit', 'deploy', 'web'], { env: { KUBE_EDITOR: editor } });
    assert.match(out, /deployment\.apps\/web edited/);
    assert.equal((await json(['get', 'deploy', 'web'])).spec.minReadySeconds, 9);
  });

  it('refuses a replace with a stale resourceVersion (409)', async () => {
    const d = await json(['get', 'deploy', 'web']);
    await s.k(['annotate', 'deploy', 'web', 'bump=1']);
    d.spec.replicas = 4;
    const file = join(work, 'stale.json');
    writeFileSync(file, JSON.stringify(d));
    const r = await s.kubectl(['replace', '-f', file]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Operation cannot be fulfilled on deployments\.apps "web": the object has been modified/);
  });

  it('creates configmaps and secrets from literals and files', async () => {
    const file = join(work, 'app.properties');
    writeFileSync(file, 'a=1\nb=2\n');
    await s.k(['create', 'configmap', 'lit', '--from-literal=k1=v1', '--from-literal=k2=v2']);
    await s.k(['create', 'configmap', 'fromfile', `--from-file=${file}`]);
    await s.k(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t', `--from-file=${file}`]);
    assert.deepEqual((await json(['get', 'cm', 'lit'])).data, { k1: 'v1', k2: 'v2' });
    assert.equal((await json(['get', 'cm', 'fromfile'])).data['app.properties'], 'a=1\nb=2\n');
    const sec = await json(['get', 'secret', 'creds']);
    assert.equal(Buffer.from(sec.data.password, 'base64').toString(), 's3cr3t');
    assert.equal(sec.type, 'Opaque');
    const exists = await s.kubectl(['create', 'configmap', 'lit', '--from-literal=x=y']);
    assert.match(exists.stderr, /configmaps "lit" already exists/);
  });

  it('deletes by file, name, label, --all and a namespace with content', async () => {
    assert.match(await s.k(['delete', '-f', join(FIXTURES, 'my-app', 'batch.yaml')]), /job\.batch "migrate" deleted/);
    await s.k(['delete', 'cm', 'lit']);
    await s.k(['delete', 'deploy', '-l', 'tier=frontend']);
    assert.equal((await s.kubectl(['get', 'deploy', 'web'])).code, 1);
    await s.k(['delete', 'cm', '--all']);
    assert.equal((await json(['get', 'cm'])).items.length, 0);
    const missing = await s.kubectl(['delete', 'cm', 'nope']);
    assert.match(missing.stderr, /NotFound.*configmaps "nope" not found/);
    const out = await s.k(['delete', 'ns', 'staging'], { timeoutMs: 60_000 });
    assert.match(out, /namespace "staging" deleted/);
    assert.equal((await s.kubectl(['get', 'ns', 'staging'])).code, 1);
    const refused = await s.kubectl(['-n', 'staging', 'create', 'configmap', 'x', '--from-literal=a=b']);
    assert.notEqual(refused.code, 0);
  });

  it('waits for a deletion', async () => {
    await s.k(['create', 'namespace', 'temp']);
    await s.k(['-n', 'temp', 'create', 'configmap', 'c', '--from-literal=a=b']);
    const waiter = s.kubectl(['wait', '--for=delete', 'namespace/temp', '--timeout=60s'], { timeoutMs: 90_000 });
    await new Promise((r) => setTimeout(r, 500));
    await s.k(['delete', 'namespace', 'temp', '--wait=false']);
    const r = await waiter;
    assert.equal(r.code, 0, r.stderr);
  });

  it('lists api-resources and prints version and cluster-info', async () => {
    const res = await s.k(['api-resources']);
    for (const re of [/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/m, /^pods\s+po\s+v1\s+true\s+Pod/m, /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2/m, /^leases\s+coordination\.k8s\.io\/v1/m]) {
      assert.match(res, re);
    }
    const v = await s.k(['version', '-o', 'json']);
    assert.equal(JSON.parse(v).serverVersion.gitVersion, 'v1.33.0');
    assert.match(await s.k(['cluster-info']), /control plane is running at https:\/\/127\.0\.0\.1:\d+/);
  });
});
