// Volume preparation against a real registry: configMap and secret payloads
// with modes, items and optional; downwardAPI and projected; hostPath type
// checks; emptyDir; the kubelet's FailedMount messages.

import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import type { ObjectSource } from '../env/resolve.ts';
import { cleanupVolumes, containerMounts, prepareVolumes } from './volumes.ts';

const reg = useTempRegistry('volumes');
const info = { podIPs: ['127.0.0.1'], hostIPs: ['127.0.0.1'], allocatable: { cpu: '2', memory: '4Gi' } };

function sourceOf(client: Client): ObjectSource {
  const get = async (r: typeof R.configmaps, ns: string, name: string) => client.get(r, ns, name).catch((e) => (e.code === 404 ? undefined : Promise.reject(e)));
  return { configMap: (ns, n) => get(R.configmaps, ns, n), secret: (ns, n) => get(R.secrets, ns, n) };
}

function pod(volumes: unknown[]): KObject {
  return { metadata: { name: 'p', namespace: 'default', uid: 'uid-1', labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', resources: { limits: { memory: '32Mi' } } }], volumes } };
}

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('prepareVolumes', () => {
  it('configMap, secret, downwardAPI and projected volumes: files, modes and items', async () => {
    const client = new LocalClient(reg.registry, 'test');
    await client.create(R.configmaps, 'default', { metadata: { name: 'cfg' }, data: { a: 'A', b: 'B' } });
    await client.create(R.secrets, 'default', { metadata: { name: 'sec' }, data: { pw: Buffer.from('s3cret').toString('base64') } });
    const data = join(reg.dir, 'data');
    const p = pod([
      { name: 'cm', configMap: { name: 'cfg' } },
      { name: 'cm-items', configMap: { name: 'cfg', items: [{ key: 'b', path: 'dir/b.txt', mode: 0o600 }] } },
      { name: 'sec', secret: { secretName: 'sec', defaultMode: 0o400 } },
      { name: 'opt', secret: { secretName: 'missing', optional: true } },
      { name: 'down', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } },
      { name: 'proj', projected: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } }, { secret: { name: 'sec' } }, { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } }] } },
      { name: 'scratch', emptyDir: {} },
    ]);
    const prepared = await prepareVolumes(p, data, info, sourceOf(client), new Date());
    const dir = (n: string) => prepared.paths.get(n)!;
    assert.equal(await readFile(join(dir('cm'), 'a'), 'utf8'), 'A');
    assert.equal(await mode(join(dir('cm'), 'a')), 0o644);
    assert.deepEqual((await readdir(dir('cm-items'))).filter((n) => !n.startsWith('..')), ['dir']);
    assert.equal(await mode(join(dir('cm-items'), 'dir/b.txt')), 0o600);
    assert.equal(await readFile(join(dir('sec'), 'pw'), 'utf8'), 's3cret');
    assert.equal(await mode(join(dir('sec'), 'pw')), 0o400);
    assert.deepEqual((await readdir(dir('opt'))).filter((n) => !n.startsWith('..')), []);
    assert.equal(await readFile(join(dir('down'), 'labels'), 'utf8'), 'app="web"');
    assert.equal(await readFile(join(dir('down'), 'mem'), 'utf8'), '32');
    assert.deepEqual((await readdir(dir('proj'))).filter((n) => !n.startsWith('..')).sort(), ['a', 'name', 'pw']);
    assert.ok((await lstat(dir('scratch'))).isDirectory());
    assert.equal(dir('cm'), join(data, 'agent', 'pods', 'uid-1', 'volumes', 'cm'));

    const mounts = containerMounts({ name: 'c', volumeMounts: [{ name: 'cm', mountPath: '/etc/cm' }, { name: 'scratch', mountPath: '/tmp/s', subPathExpr: '$(SUB)' }] }, prepared, p.spec as never, [{ name: 'SUB', value: 'x' }]);
    assert.deepEqual(mounts, [
      { hostPath: dir('cm'), containerPath: '/etc/cm', readOnly: true },
      { hostPath: dir('scratch'), containerPath: '/tmp/s', readOnly: false, subPath: 'x' },
    ]);
    await cleanupVolumes(data, 'uid-1');
    await assert.rejects(stat(join(data, 'agent', 'pods', 'uid-1')));
  });

  it('missing sources and hostPath type mismatches fail with the kubelet messages', async () => {
    const client = new LocalClient(reg.registry, 'test');
    await client.create(R.configmaps, 'default', { metadata: { name: 'cfg' }, data: { a: 'A' } });
    const data = join(reg.dir, 'data');
    const src = sourceOf(client);
    const run = (v: unknown) => prepareVolumes(pod([v]), data, info, src, new Date());
    await assert.rejects(run({ name: 'v', configMap: { name: 'nope' } }), { message: 'MountVolume.SetUp failed for volume "v" : configmap "nope" not found' });
    await assert.rejects(run({ name: 'v', secret: { secretName: 'nope' } }), { message: 'MountVolume.SetUp failed for volume "v" : secret "nope" not found' });
    await assert.rejects(run({ name: 'v', configMap: { name: 'cfg', items: [{ key: 'zz', path: 'zz' }] } }), { message: 'MountVolume.SetUp failed for volume "v" : configmap references non-existent config key: zz' });
    const file = join(reg.dir, 'afile');
    await writeFile(file, 'x');
    await assert.rejects(run({ name: 'v', hostPath: { path: file, type: 'Directory' } }), { message: `MountVolume.SetUp failed for volume "v" : hostPath type check failed: ${file} is not a directory` });
    const created = join(reg.dir, 'made', 'here');
    const ok = await run({ name: 'v', hostPath: { path: created, type: 'DirectoryOrCreate' } });
    assert.equal(ok.paths.get('v'), created);
    assert.ok((await stat(created)).isDirectory());
    await mkdir(join(reg.dir, 'd'));
    await assert.rejects(run({ name: 'v', hostPath: { path: join(reg.dir, 'd'), type: 'File' } }), /is not a file/);
  });

  it('emptyDir with medium Memory is a tmpfs when the agent may mount, a directory otherwise; cleanup unmounts it', async () => {
    const client = new LocalClient(reg.registry, 'test');
    const data = join(reg.dir, 'data');
    const prepared = await prepareVolumes(pod([{ name: 'mem', emptyDir: { medium: 'Memory' } }]), data, info, sourceOf(client), new Date());
    const dir = prepared.paths.get('mem')!;
    const mounted = async () => (await readFile('/proc/mounts', 'utf8')).split('\n').some((l) => l.split(' ')[1] === dir && l.startsWith('tmpfs '));
    const privileged = process.getuid?.() === 0 && (await mounted());
    if (process.getuid?.() !== 0) assert.equal(await mounted(), false);
    assert.ok((await stat(dir)).isDirectory());
    await cleanupVolumes(data, 'uid-1');
    if (privileged) assert.equal(await mounted(), false);
    await assert.rejects(stat(dir));
  });
});
