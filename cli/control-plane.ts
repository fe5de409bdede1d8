// `skiff server`'s control plane, assembled in start order: the store, the
// PKI and admin credential, the API server, the built-in namespaces, then
// the controllers and scheduler (controllers/manager.ts), then the local node
// agent (node-agent.ts). Each step waits for what it needs; stop runs in reverse.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findResource } from '../api/kinds.ts';
import { ApiError } from '../apiserver/errors.ts';
import { startApiServer, type ApiServer } from '../apiserver/server.ts';
import { ServiceAllocator } from '../apiserver/registry/service-allocator.ts';
import { loadOrCreatePki } from '../apiserver/tls/pki.ts';
import { startControllers } from '../controllers/manager.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig.ts';
import { defaultNodeName, startNodeAgent, type NodeAgent } from './node-agent.ts';
import { rfc3339 } from '../api/time.ts';

export interface ControlPlaneOptions {
  dataDir: string;
  apiPort: number;
  host?: string;
  /** Run a node agent on this machine (default true). */
  agent?: boolean;
  /** The agent's node name (default: the host name). */
  nodeName?: string;
  log?: (msg: string, err?: unknown) => void;
}

export interface ControlPlane {
  port: number;
  kubeconfigPath: string;
  store: Store;
  api: ApiServer;
  stop(): Promise<void>;
}

export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function loadOrCreateToken(dataDir: string): string {
  const path = join(dataDir, 'admin.token');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = opts.log ?? ((msg: string, err?: unknown) => console.error(`${rfc3339(new Date(), 3)} ${msg}`, err ?? ''));
  const store = await openStore(dataDir);
  const pki = loadOrCreatePki(join(dataDir, 'pki'));
  const token = loadOrCreateToken(dataDir);
  // What the API server presents to node agents' streaming servers (logs, exec, port-forward).
  const nodeToken = randomBytes(32).toString('base64url');
  // Before anything can create a Service: free addresses a crash left allocated to no Service.
  await new ServiceAllocator(store).repair();
  const api = await startApiServer({
    store,
    host: opts.host ?? '127.0.0.1',
    port: opts.apiPort,
    tls: { cert: pki.serverCert, key: pki.serverKey },
    tokens: new Map([[token, 'admin']]),
    nodeProxy: { token: nodeToken, ca: pki.caCert },
    log,
  });
  const namespaces = findResource('', 'v1', 'namespaces')!;
  for (const name of BUILTIN_NAMESPACES) {
    try {
      await api.registry.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
    }
  }
  const controllers = await startControllers(api.registry, { log });
  let agent: NodeAgent | undefined;
  if (opts.agent !== false) {
    agent = await startNodeAgent({
      registry: api.registry,
      dataDir,
      nodeName: opts.nodeName ?? defaultNodeName(),
      tls: { cert: pki.serverCert, key: pki.serverKey },
      token: nodeToken,
      log,
    });
  }
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, kubeconfigYaml({ server: `https://${host}:${api.port}`, caCert: pki.caCert, token }));
  api.setReady(true);
  return {
    port: api.port,
    kubeconfigPath,
    store,
    api,
    stop: async () => {
      await agent?.stop();
      controllers.stop();
      await api.close();
      await store.close();
    },
  };
}
