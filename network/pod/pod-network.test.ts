// PodNetwork against the real kernel, inside a network namespace the test
// creates to play the host (hostNetns): never a bridge or route in the
// machine's own namespace. Skipped without the privilege.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ipam } from './ipam.ts';
import { nodePodCidr, parseSubnet } from './cidr.ts';
import { NETNS_DIR, PodNetwork, podNetworkSupport } from './pod-network.ts';

const support = podNetworkSupport();
const skip = support.ok ? false : support.reason;

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

/** Runs node code inside a pod's namespace (only the network namespace changes). */
function inNetns(netns: string, code: string): ReturnType<typeof spawn> {
  return spawn('nsenter', [`--net=${join(NETNS_DIR, netns)}`, '--', process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function output(p: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    p.stdout!.on('data', (d) => (out += d));
    p.once('close', () => resolve(out));
  });
}

describe('cidr and ipam', () => {
  it('the node gets the first /24 of the pod CIDR', () => {
    assert.equal(nodePodCidr('10.42.0.0/16'), '10.42.0.0/24');
    assert.equal(nodePodCidr('10.42.7.9/16'), '10.42.0.0/24');
    assert.throws(() => nodePodCidr('10.42.0.0/25'));
  });

  it('allocates after the last address given out, wraps, and reports exhaustion', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-ipam-'));
    try {
      const ipam = new Ipam(dir, parseSubnet('10.9.0.0/29')); // hosts .2 to .6
      const owner = (n: number) => ({ podUid: `p${n}`, netns: `n${n}`, hostVeth: `v${n}` });
      const ips = [1, 2, 3, 4, 5].map((n) => ipam.allocate(owner(n))!.ip);
      assert.deepEqual(ips, ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
      assert.equal(ipam.allocate(owner(6)), undefined);
      ipam.release('10.9.0.3');
      assert.equal(ipam.allocate(owner(7))!.ip, '10.9.0.3');
      const again = new Ipam(dir, parseSubnet('10.9.0.0/29'));
      assert.equal(again.byPod('p7')?.ip, '10.9.0.3');
      assert.equal(again.list().length, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PodNetwork', { skip }, () => {
  const host = `skt-${Math.random().toString(36).slice(2, 10)}`;
  const dir = mkdtempSync(join(tmpdir(), 'skiff-podnet-'));
  const opts = { stateDir: dir, podCidr: '10.42.0.0/24', serviceCidr: '10.96.0.0/16', hostNetns: host };
  const made = new Set<string>();

  before(() => {
    ip(['netns', 'add', host]);
    ip(['-n', host, 'link', 'set', 'lo', 'up']);
  });
  after(() => {
    for (const ns of made) spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', host]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets up the bridge and the Service route idempotently, in the namespace playing the host', async () => {
    const net = new PodNetwork(opts);
    await net.setup();
    await net.setup();
    assert.match(ip(['-n', host, '-4', 'addr', 'show', 'dev', 'skiff0']), /inet 10\.42\.0\.1\/24/);
    assert.match(ip(['-n', host, 'route', 'show', 'table', 'local']), /^local 10\.96\.0\.0\/16 dev lo/m);
  });

  it('gives each pod its own namespace and address; pods reach each other on the same port; an agent restart finds them again', async () => {
    const net = new PodNetwork(opts);
    await net.setup();
    const a = await net.attach('aaaaaaaa-1111-4111-8111-111111111111');
    const b = await net.attach('bbbbbbbb-2222-4222-8222-222222222222');
    made.add(a.netns).add(b.netns);
    assert.notEqual(a.ip, b.ip);
    for (const x of [a, b]) {
      assert.match(x.ip, /^10\.42\.0\.\d+$/);
      assert.ok(existsSync(x.netnsPath));
      assert.match(ip(['-n', x.netns, '-4', 'addr', 'show', 'dev', 'eth0']), new RegExp(`inet ${x.ip.replace(/\./g, '\\.')}/24`));
      assert.match(ip(['-n', x.netns, 'route', 'show', 'default']), /default via 10\.42\.0\.1 dev eth0/);
      assert.match(ip(['-n', host, 'link', 'show', 'dev', x.hostVeth]), /master skiff0/);
    }

    // Both listen on 0.0.0.0:8080; b connects to a by its address.
    const server = inNetns(a.netns, "require('net').createServer((s) => s.end('from-a')).listen(8080, '0.0.0.0', () => console.log('up'))");
    const serverB = inNetns(b.netns, "require('net').createServer((s) => s.end('from-b')).listen(8080, '0.0.0.0', () => console.log('up'))");
    try {
      for (const s of [server, serverB]) await new Promise((r) => s.stdout!.once('data', r));
      const client = inNetns(b.netns, `require('net').connect(8080, '${a.ip}').on('data', (d) => process.stdout.write(d))`);
      assert.equal(await output(client), 'from-a');
    } finally {
      server.kill('SIGKILL');
      serverB.kill('SIGKILL');
    }

    const again = new PodNetwork(opts);
    assert.deepEqual(await again.attach(a.podUid), a);
    assert.deepEqual(again.attachments().map((x) => x.ip).sort(), [a.ip, b.ip].sort());

    await again.detach(a.podUid);
    await again.detach(a.podUid);
    assert.ok(!existsSync(a.netnsPath));
    for (let i = 0; ip(['-n', host, 'link', 'show']).includes(a.hostVeth); i++) {
      assert.ok(i < 200, 'the veth goes with the namespace');
      await new Promise((r) => setTimeout(r, 25));
    }
    const c = await again.attach('cccccccc-3333-4333-8333-333333333333');
    made.add(c.netns);
    assert.notEqual(c.ip, a.ip, 'a released address is not reused at once');
  });

  it('re-creates a pod namespace that vanished (a reboot) with the same address', async () => {
    const net = new PodNetwork(opts);
    const d = await net.attach('dddddddd-4444-4444-8444-444444444444');
    made.add(d.netns);
    ip(['netns', 'del', d.netns]);
    const back = await new PodNetwork(opts).attach(d.podUid);
    assert.equal(back.ip, d.ip);
    assert.ok(existsSync(back.netnsPath));
  });

  it('teardown leaves no namespace, veth, bridge or route', async () => {
    const net = new PodNetwork(opts);
    const names = net.attachments().map((x) => x.netns);
    assert.ok(names.length > 0);
    await net.teardown();
    for (const n of names) assert.ok(!existsSync(join(NETNS_DIR, n)), n);
    assert.doesNotMatch(ip(['-n', host, 'link', 'show']), /skiff0|vsk/);
    assert.doesNotMatch(ip(['-n', host, 'route', 'show', 'table', 'local']), /10\.96\.0\.0/);
    assert.deepEqual(readdirSync(join(dir, 'ips')).filter((f) => f !== 'last'), []);
    await net.teardown();
  });
});
