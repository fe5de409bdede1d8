// Pod networking end to end (issue 4, "Pod networking"): the real `bin/skiff
// server` in a network namespace the test creates (harness `netns: true`)
// and the real kubectl. Two replicas both listen on 0.0.0.0:8080, each with
// its own 10.42.0.x address; one reaches the other by IP; the pod's
// resolv.conf names the cluster DNS; a hostNetwork pod has the host's IP;
// deleting pods deletes their namespaces; after the server stops and
// `skiff killall` runs, no namespace, bridge or route of it is left.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { podNetworkSupport, recordedNetns } from '../network/pod/pod-network.ts';
import { SKIFF, startServer, type TestServer } from './harness.ts';

const support = podNetworkSupport();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NODE = process.execPath;

const web = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'app',
            image: 'node:20',
            command: [NODE, '-e', "require('http').createServer((q, r) => r.end(require('os').hostname())).listen(8080, '0.0.0.0')"],
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          },
        ],
      },
    },
  },
});

const hostPod = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'on-host' },
  spec: { hostNetwork: true, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox:1', command: ['sleep', '3600'] }] },
});

interface PodView {
  metadata: { name: string; uid: string };
  status: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    containerStatuses?: { restartCount: number; state: { running?: { startedAt: string } } }[];
  };
}

describe('pod network (e2e)', { skip: support.ok ? false : support.reason }, () => {
  let s: TestServer;
  let first: TestServer | undefined;
  before(async () => {
    first = s = await startServer({ netns: true });
  });
  after(async () => {
    // The restarted server's cleanup, then the first's (which owns the namespace).
    await s?.cleanup();
    if (first && first !== s) await first.cleanup();
  });

  async function pods(selector: string): Promise<PodView[]> {
    return (JSON.parse(await s.k(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: PodView[] }).items;
  }

  it('replicas get their own IPs on one port, reach each other, and see the cluster DNS; a hostNetwork pod has the host IP', async () => {
    await s.k(['apply', '-f', '-'], { input: web });
    await s.k(['rollout', 'status', 'deploy/web', '--timeout=90s'], { timeoutMs: 100_000 });
    const [a, b] = await pods('app=web');
    assert.ok(a && b);
    for (const p of [a, b]) {
      assert.match(p.status.podIP ?? '', /^10\.42\.0\.\d+$/);
      assert.deepEqual(p.status.podIPs, [{ ip: p.status.podIP }]);
    }
    assert.notEqual(a.status.podIP, b.status.podIP);

    // a reaches b by IP (exec runs in a's network namespace); b answers with its host name, the pod's name.
    const got = await s.k(['exec', a.metadata.name, '--', NODE, '-e', `require('http').get('http://${b.status.podIP}:8080', (r) => r.pipe(process.stdout))`]);
    assert.equal(got, b.metadata.name);

    const resolv = await s.k(['exec', a.metadata.name, '--', 'cat', '/etc/resolv.conf']);
    assert.match(resolv, /^nameserver 10\.96\.0\.10$/m);
    assert.match(resolv, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\b/m);
    assert.match(resolv, /^options ndots:5$/m);
    const hosts = await s.k(['exec', a.metadata.name, '--', 'cat', '/etc/hosts']);
    assert.ok(hosts.includes(`${a.status.podIP}\t${a.metadata.name}\n`), hosts);

    const node = JSON.parse(await s.k(['get', 'nodes', '-o', 'json'])).items[0];
    assert.equal(node.spec.podCIDR, '10.42.0.0/24');

    await s.k(['apply', '-f', '-'], { input: hostPod });
    await s.k(['wait', '--for=condition=Ready', 'pod/on-host', '--timeout=60s'], { timeoutMs: 70_000 });
    const h = JSON.parse(await s.k(['get', 'pod', 'on-host', '-o', 'json'])) as PodView;
    assert.ok(h.status.hostIP);
    assert.equal(h.status.podIP, h.status.hostIP);
  });

  it('a server restart keeps every pod\'s IP, namespace and process', async () => {
    const before = await pods('app=web');
    const netns = recordedNetns(join(s.dataDir, 'agent', 'network')).sort();
    await s.stop();
    s = await startServer({ dataDir: s.dataDir, home: s.home, netns: s.netns });
    await s.k(['rollout', 'status', 'deploy/web', '--timeout=60s'], { timeoutMs: 70_000 });
    const now = await pods('app=web');
    assert.deepEqual(
      // Same pods, same IPs, same processes (started when they were, never restarted).
      now.map((p) => [p.metadata.uid, p.status.podIP, p.status.containerStatuses?.[0]?.state.running?.startedAt, p.status.containerStatuses?.[0]?.restartCount]).sort(),
      before.map((p) => [p.metadata.uid, p.status.podIP, p.status.containerStatuses?.[0]?.state.running?.startedAt, 0]).sort(),
    );
    assert.deepEqual(recordedNetns(join(s.dataDir, 'agent', 'network')).sort(), netns);
    const got = await s.k(['exec', now[0]!.metadata.name, '--', NODE, '-e', `require('http').get('http://${now[1]!.status.podIP}:8080', (r) => r.pipe(process.stdout))`]);
    assert.equal(got, now[1]!.metadata.name);
  });

  it('deleting the pods deletes their namespaces; after stop and killall nothing of the network is left', async () => {
    const networkDir = join(s.dataDir, 'agent', 'network');
    const before = recordedNetns(networkDir);
    assert.equal(before.length, 2, 'one namespace per pod not on the host network');
    await s.k(['delete', 'deploy/web', '--wait=true']);
    for (let i = 0; before.some((n) => existsSync(`/run/netns/${n}`)); i++) {
      assert.ok(i < 300, `namespaces still there: ${before.filter((n) => existsSync(`/run/netns/${n}`)).join(' ')}`);
      await sleep(100);
    }

    // A new pod, left running when the server stops: killall removes it with the bridge and route.
    await s.k(['apply', '-f', '-'], { input: web.replace('"replicas":2', '"replicas":1') });
    await s.k(['rollout', 'status', 'deploy/web', '--timeout=90s'], { timeoutMs: 100_000 });
    const left = recordedNetns(networkDir);
    assert.equal(left.length, 1);
    await s.stop();
    const r = await s.run(SKIFF, ['killall', '--data-dir', s.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(`/run/netns/${left[0]}`));
    assert.deepEqual(recordedNetns(networkDir), []);
    const links = await s.run('ip', ['-o', 'link', 'show']);
    assert.doesNotMatch(links.stdout, /skiff0|vsk/);
    const routes = await s.run('ip', ['route', 'show', 'table', 'local']);
    assert.doesNotMatch(routes.stdout, /10\.96\.0\.0\/16/);
  });
});
