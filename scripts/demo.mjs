// `npm run demo`: starts a single-node cluster on the embedded defaults
// (bin/skiff server, foreground) and deploys the demo in examples/ with the
// real kubectl, then says how to look at it. Ctrl-C stops the server; the
// data dir (./data unless SKIFF_DATA_DIR) keeps everything for next time.

import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(process.env.SKIFF_DATA_DIR ?? join(repo, 'data'));
const port = process.env.SKIFF_API_PORT ?? '6443';
const kubeconfig = join(dataDir, 'kubeconfig');

const server = spawn(join(repo, 'bin', 'skiff'), ['server', '--data-dir', dataDir, '--api-port', port], { stdio: ['ignore', 'inherit', 'pipe'] });
let ready = false;
server.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  if (!ready && String(chunk).includes('API server listening')) {
    ready = true;
    deploy();
  }
});
server.on('exit', (code) => process.exit(code ?? 1));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));

function kubectl(args) {
  return spawnSync('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: 'utf8' });
}

function deploy() {
  const res = kubectl(['apply', '-f', join(repo, 'examples')]);
  process.stdout.write(res.stdout);
  if (res.status !== 0) {
    process.stderr.write(res.stderr);
    console.error('demo: kubectl apply failed (is kubectl on PATH?); the server keeps running');
    return;
  }
  console.log(`
The demo is deploying. In another terminal:

  export KUBECONFIG=${kubeconfig}
  kubectl get pods -w                              # Pending -> ContainerCreating -> Running
  kubectl port-forward deploy/web 8080:8080 &      # then: curl http://127.0.0.1:8080/
  kubectl logs -f deploy/worker
  kubectl rollout restart deploy/web && kubectl rollout status deploy/web
  kubectl create job --from=cronjob/report manual-1 && kubectl logs -f job/manual-1

Ctrl-C here stops the server. As with a kubelet restart, the pods' processes keep
running and the next start adopts them; \`kubectl delete -f examples/\` removes the demo.
`);
}
