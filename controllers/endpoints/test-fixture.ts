// Shared by the Endpoints and EndpointSlice controller tests: pods as the
// scheduler and the kubelet leave them (bound to a node, an IP, a Ready
// condition), written through the real registry of the ReplicaSet tests' Env.

import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import type { Env } from '../replicaset/test-fixture.ts';

export interface PodOpts {
  ip?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  ports?: { name: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
  phase?: string;
}

/** Creates a pod bound to node-1, then sets its IP and readiness as the kubelet would. */
export async function runPod(env: Env, name: string, o: PodOpts = {}): Promise<KObject> {
  const created = await env.client.create(R.pods, 'default', {
    metadata: { name, labels: o.labels ?? { app: 'web' } },
    spec: {
      nodeName: 'node-1',
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      containers: [{ name: 'web', image: 'nginx:1.25', ...(o.ports ? { ports: o.ports } : {}) }],
    },
  });
  return setPodStatus(env, created, o);
}

export async function setPodStatus(env: Env, pod: KObject, o: PodOpts): Promise<KObject> {
  const cur = await env.client.get(R.pods, 'default', pod.metadata.name!);
  const ts = env.clock().toISOString().replace(/\.\d+Z$/, 'Z');
  const ip = o.ip ?? (cur.status as { podIP?: string } | undefined)?.podIP;
  const status = {
    ...(cur.status as object),
    phase: o.phase ?? 'Running',
    ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: ts }],
  };
  return env.client.updateStatus(R.pods, { ...cur, status });
}

export const webService = (extra: Record<string, unknown> = {}, name = 'web'): KObject => ({
  metadata: { name, labels: { tier: 'front' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'raw', port: 81, targetPort: 9000 }], ...extra },
});
