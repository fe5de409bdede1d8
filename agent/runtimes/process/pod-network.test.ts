// The process runtime with a pod network: the conformance suite again, plus
// what the pod network adds (an IP per pod on the bridge, the same port in
// every pod, /etc/hosts and /etc/resolv.conf, exec in the pod's namespace,
// the same IP and namespace after a restart). The bridge and routes must not
// go into the machine's own namespace, so this file re-runs itself inside a
// network namespace it creates (nsenter --net: only the network namespace
// changes, so the pods' /run/netns files stay visible to everyone), and the
// outer run deletes that namespace and any pod namespace a crash left.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runRuntimeConformance } from '../conformance.ts';
import type { ContainerConfig, RuntimeEvents } from '../types.ts';
import { podNetworkSupport, recordedNetns } from '../../../network/pod/pod-network.ts';
import { processFixture } from './test-fixture.ts';

const inside = process.env.SKIFF_TEST_NETNS;
const support = podNetworkSupport();
const network = { podCidr: '10.42.0.0/24', serviceCidr: '10.96.0.0/16' };

if (!inside) {
  it('runs the pod network tests inside a network namespace of their own', { skip: support.ok ? false : support.reason }, async () => {
    const netns = `skt-${Math.random().toString(36).slice(2, 10)}`;
    const tmp = mkdtempSync(join(tmpdir(), 'skiff-podnet-rt-'));
    execFileSync('ip', ['netns', 'add', netns]);
    try {
      execFileSync('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
      // Not NODE_TEST_CONTEXT: with it, a nested `node --test` runs nothing.
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const child = spawn('nsenter', [`--net=/run/netns/${netns}`, '--', process.execPath, '--import', 'tsx', '--test', '--test-reporter=spec', fileURLToPath(import.meta.url)], {
        env: { ...env, SKIFF_TEST_NETNS: netns, TMPDIR: tmp },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((r) => child.once('close', r));
      assert.equal(code, 0, out);
      assert.match(out, /ℹ pass [1-9]/, out);
    } finally {
      // Whatever a crashed run left: pod namespaces recorded under the temp dir, then the test's own namespace.
      for (const d of readdirSync(tmp)) {
        for (const ns of recordedNetns(join(tmp, d, 'network'))) spawnSync('ip', ['netns', 'del', ns]);
      }
      spawnSync('ip', ['netns', 'del', netns]);
      rmSync(tmp, { recursive: true, force: true });
    }
  });
} else {
  runRuntimeConformance('process with a pod network', () => processFixture({ network }));

  const noEvents: RuntimeEvents = { changed() {} };
  const base = (sandboxId: string, podUid: string, name: string, dir: string, command: string[]): ContainerConfig => ({
    sandboxId, podUid, namespace: 'default', podName: name, name: 'c', attempt: 0, image: 'process', command, args: [], env: [], mounts: [], limits: {},
    logPath: join(dir, `${name}.log`),
  });
  const waitFor = async (what: string, check: () => boolean) => {
    for (let i = 0; !check(); i++) {
      if (i > 400) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const collect = (s: NodeJS.ReadableStream) => new Promise<string>((r) => { let t = ''; s.on('data', (d) => (t += d)); s.on('end', () => r(t)); });

  describe('process runtime with a pod network', () => {
    it('each pod has its own IP and namespace; two pods listen on one port; files, exec and restart', async () => {
      const f = await processFixture({ network });
      let rt = f.runtime;
      try {
        await rt.start(noEvents);
        const dns = { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] };
        const a = await rt.runPodSandbox({ podUid: 'pod-a', namespace: 'default', name: 'a', dns });
        const b = await rt.runPodSandbox({ podUid: 'pod-b', namespace: 'default', name: 'b', hostname: 'bee', hostDomain: 'sub.default.svc.cluster.local', dns });
        const h = await rt.runPodSandbox({ podUid: 'pod-h', namespace: 'default', name: 'h', hostNetwork: true });
        assert.match(a.ip, /^10\.42\.0\.\d+$/);
        assert.match(b.ip, /^10\.42\.0\.\d+$/);
        assert.notEqual(a.ip, b.ip);
        assert.equal(h.ip, '127.0.0.1');

        const server = (who: string) => [process.execPath, '-e', `require('net').createServer((s) => s.end('${who}')).listen(8080, '0.0.0.0', () => console.log('up'))`];
        const ca = await rt.startContainer(base(a.id, 'pod-a', 'a', f.dir, server('from-a')));
        const cbs = await rt.startContainer(base(b.id, 'pod-b', 'b', f.dir, server('from-b')));
        await waitFor('both servers', () => ['a', 'b'].every((n) => existsSync(join(f.dir, `${n}.log`)) && readFileSync(join(f.dir, `${n}.log`), 'utf8').includes('up')));

        // b reaches a by IP; port-forward dials each pod.
        const cb = await rt.startContainer({ ...base(b.id, 'pod-b', 'b', f.dir, [process.execPath, '-e', `require('net').connect(8080, '${a.ip}').on('data', (d) => console.log('got ' + d))`]), name: 'client', logPath: join(f.dir, 'client.log') });
        await waitFor('the client', () => existsSync(cb.logPath) && readFileSync(cb.logPath, 'utf8').includes('got from-a'));
        for (const [sb, who] of [[a, 'from-a'], [b, 'from-b']] as const) {
          const sock = await rt.portForward(sb.id, 8080);
          assert.equal(await collect(sock), who);
        }

        // The container sees its pod's hosts, resolv.conf, host name and namespace, and so does exec.
        const ex = await rt.exec(ca.id, { command: ['sh', '-c', 'cat /etc/hosts /etc/resolv.conf; hostname; readlink /proc/self/ns/net'] });
        const text = await collect(ex.stdout);
        assert.match(text, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
        assert.ok(text.includes(`${a.ip}\ta\n`), text);
        assert.ok(text.includes('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n'), text);
        const lines = text.trim().split('\n');
        assert.equal(lines.at(-2), 'a');
        assert.equal(lines.at(-1), readlinkSync(`/proc/${ca.pid}/ns/net`), 'exec runs in the pod namespace');
        assert.notEqual(lines.at(-1), readlinkSync('/proc/self/ns/net'));
        const exb = await rt.exec(cbs.id, { command: ['cat', '/etc/hosts'] });
        assert.ok((await collect(exb.stdout)).includes(`${b.ip}\tbee.sub.default.svc.cluster.local\tbee\n`));

        // A new runtime instance keeps the IPs, namespaces and processes.
        await rt.close();
        rt = f.make();
        await rt.start(noEvents);
        const after = await rt.listPodSandboxes();
        assert.equal(after.find((s) => s.id === a.id)?.ip, a.ip);
        assert.equal((await rt.containerStatus(ca.id))?.pid, ca.pid);

        // Removing a sandbox deletes its namespace and frees its address.
        const netnsOfA = f.network!.attachments().find((x) => x.podUid === 'pod-a')!.netnsPath;
        await rt.removePodSandbox(a.id);
        assert.ok(!existsSync(netnsOfA));
        assert.ok(!f.network!.attachments().some((x) => x.podUid === 'pod-a'));
      } finally {
        await rt.close();
        await f.cleanup();
      }
    });
  });
}
