// Fixture generator (not part of the product): runs the real kubectl 1.32 and
// 1.33 `create`-style commands, which send protobuf request bodies, against a
// throwaway https server, and records every POST body in kubectl-bodies.json.
//
// The server answers /version, aggregated discovery for the kinds involved,
// and Skiff's own OpenAPI v3 documents (so kubectl's field-validation check
// runs against them: the recorded POSTs must carry fieldValidation=Strict).
// It also runs `kubectl explain` on those documents and prints the output.
//
//   node --import tsx apiserver/protobuf/testdata/capture.ts

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findByKind } from '../../../api/kinds.ts';
import { openapiV3Document, openapiV3Root } from '../../../api/openapi/index.ts';
import { decodeProtobufObject } from '../index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const bin = dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim()));
// 1.31 sends JSON: its bodies are the oracle the decoded protobuf bodies are compared with.
const VERSIONS = ['1.31', '1.32', '1.33'];

const COMMANDS: string[][] = [
  ['create', 'configmap', 'c', '--from-literal=a=b'],
  ['create', 'configmap', 'c2', '--from-literal=a=b', '--from-literal=empty='],
  ['create', 'secret', 'generic', 's', '--from-literal=x=y'],
  ['create', 'namespace', 'n'],
  ['create', 'deployment', 'd', '--image=nginx:1.25', '--replicas=2', '--port=80'],
  ['create', 'deployment', 'zero', '--image=busybox', '--replicas=0', '--', 'sleep', '3600'],
  ['create', 'service', 'clusterip', 's', '--tcp=80:8080'],
  ['create', 'service', 'nodeport', 'np', '--tcp=80:http', '--node-port=30080'],
  ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'],
  ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'],
  ['create', 'job', 'manual-1', '--from=cronjob/cj'],
  ['autoscale', 'deployment', 'd', '--min=1', '--max=3', '--cpu-percent=50'],
  ['create', 'ingress', 'ing', '--class=nginx', '--rule=foo.com/bar=svc1:8080'],
  ['create', 'serviceaccount', 'sa'],
  ['create', 'configmap', 'bin', '--from-file=bin.dat', '--from-file=text.txt'],
  ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
  ['create', 'service', 'externalname', 'ext', '--external-name=db.example.com'],
  ['create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443'],
  ['create', 'deployment', 'multi', '--image=nginx', '--image=redis:7'],
];

const EXPLAINS: string[][] = [
  ['explain', 'deployment.spec.template.spec.containers'],
  ['explain', 'cronjob.spec.jobTemplate.spec.template.spec.volumes.configMap'],
  ['explain', 'service.spec.ports.targetPort'],
];

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const res = (resource: string, group: string, version: string, kind: string, scope = 'Namespaced') => ({
  resource,
  responseKind: { group, version, kind },
  scope,
  singularResource: kind.toLowerCase(),
  verbs: VERBS,
});
const DISCOVERY_GROUPS = [
  {
    name: 'apps',
    versions: [
      {
        version: 'v1',
        resources: [
          {
            ...res('deployments', 'apps', 'v1', 'Deployment'),
            subresources: [{ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] }],
          },
        ],
      },
    ],
  },
  {
    name: 'batch',
    versions: [{ version: 'v1', resources: [res('jobs', 'batch', 'v1', 'Job'), res('cronjobs', 'batch', 'v1', 'CronJob')] }],
  },
  {
    name: 'autoscaling',
    versions: [
      { version: 'v2', resources: [res('horizontalpodautoscalers', 'autoscaling', 'v2', 'HorizontalPodAutoscaler')] },
      { version: 'v1', resources: [res('horizontalpodautoscalers', 'autoscaling', 'v1', 'HorizontalPodAutoscaler')] },
    ],
  },
  {
    name: 'networking.k8s.io',
    versions: [{ version: 'v1', resources: [res('ingresses', 'networking.k8s.io', 'v1', 'Ingress')] }],
  },
];
const CORE = [
  res('configmaps', '', 'v1', 'ConfigMap'),
  res('secrets', '', 'v1', 'Secret'),
  res('namespaces', '', 'v1', 'Namespace', 'Cluster'),
  res('services', '', 'v1', 'Service'),
  res('serviceaccounts', '', 'v1', 'ServiceAccount'),
];

const discovery = (items: unknown[]) => ({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items });
const group = (name: string | undefined, versions: { version: string; resources: unknown[] }[]) => ({
  metadata: name ? { name, creationTimestamp: null } : { creationTimestamp: null },
  versions: versions.map((v) => ({ ...v, freshness: 'Current' })),
});

const LIVE: Record<string, unknown> = {
  '/apis/apps/v1/namespaces/default/deployments/d': {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default', uid: '11111111-2222-3333-4444-555555555555', resourceVersion: '7' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    },
  },
  '/apis/batch/v1/namespaces/default/cronjobs/cj': {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cj', namespace: 'default', uid: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', resourceVersion: '9' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        metadata: { labels: { team: 'x' } },
        spec: {
          backoffLimit: 2,
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'cj', image: 'busybox', command: ['date'] }] } },
        },
      },
    },
  },
};

interface Capture {
  kubectl: string;
  command: string;
  path: string;
  query: string;
  contentType: string;
  body: string;
}

const captures: Capture[] = [];
let current = { kubectl: '', command: '' };

function send(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  res.writeHead(code, { 'Content-Type': type });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const path = url.pathname;
  if (path === '/version') {
    return send(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: 'x', gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64' });
  }
  if (path === '/api' || path === '/apis') {
    const list = path === '/api' ? discovery([group(undefined, [{ version: 'v1', resources: CORE }])]) : discovery(DISCOVERY_GROUPS.map((g) => group(g.name, g.versions)));
    return send(res, 200, list, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  }
  if (path === '/openapi/v3') return send(res, 200, openapiV3Root());
  if (path.startsWith('/openapi/v3/')) {
    const doc = openapiV3Document(path.slice('/openapi/v3/'.length));
    return doc ? send(res, 200, doc) : send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' });
  }
  if (req.method === 'GET' && LIVE[path]) return send(res, 200, LIVE[path]);
  if (req.method === 'POST') {
    const contentType = req.headers['content-type'] ?? '';
    captures.push({ ...current, path, query: url.search, contentType, body: body.toString('base64') });
    let obj: Record<string, unknown> = {};
    try {
      obj = contentType.includes('protobuf')
        ? decodeProtobufObject(body, (v, k) => findByKind(v, k)?.model)
        : (JSON.parse(body.toString()) as Record<string, unknown>);
    } catch (e) {
      console.error(`  (could not decode: ${(e as Error).message})`);
    }
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    return send(res, 201, { ...obj, metadata: { ...meta, namespace: meta.namespace ?? 'default', uid: 'u-1', resourceVersion: '1' } });
  }
  send(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${path} not found`, reason: 'NotFound', code: 404 });
}

const dir = mkdtempSync(join(tmpdir(), 'skiff-capture-'));
try {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  // Files the commands read (kubectl runs in `dir`): bytes that are not UTF-8 go to binaryData.
  writeFileSync(join(dir, 'bin.dat'), Buffer.from([0xff, 0x00, 0x01, 0xfe]));
  writeFileSync(join(dir, 'text.txt'), 'hello\n');
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: capture-token}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
current-context: x
`,
  );
  const kubectl = (version: string, args: string[]) =>
    new Promise<string>((resolve) => {
      current = { kubectl: version, command: args.join(' ') };
      const argv = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, `cache-${version}`), ...args];
      execFile(join(bin, `kubectl.${version}`), argv, { cwd: dir }, (_e, out, err) => resolve(`${out}${err}`.trim()));
    });
  for (const version of VERSIONS) {
    for (const args of COMMANDS) console.log(`kubectl.${version} ${args.join(' ')}: ${await kubectl(version, args)}`);
    for (const args of EXPLAINS) console.log(`kubectl.${version} ${args.join(' ')}:\n${await kubectl(version, args)}\n`);
  }
  server.close();
  writeFileSync(join(here, 'kubectl-bodies.json'), `${JSON.stringify(captures, null, 2)}\n`);
  console.log(`recorded ${captures.length} POST bodies`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
