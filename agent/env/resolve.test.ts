// Env resolution: ordering, expansion, ConfigMap/Secret references with the
// kubelet's error messages, downward API values, envFrom prefixes and
// invalid keys.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../client/types.ts';
import type { Container } from '../pod-types.ts';
import { expandCommand, resolveEnv, type ObjectSource } from './resolve.ts';

const objects = new Map<string, KObject>([
  ['cm/ns/cfg', { metadata: { name: 'cfg' }, data: { color: 'blue', 'bad key': 'x', size: '3' } }],
  ['secret/ns/creds', { metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } }],
]);
const source: ObjectSource = {
  configMap: async (ns, name) => objects.get(`cm/${ns}/${name}`),
  secret: async (ns, name) => objects.get(`secret/${ns}/${name}`),
};
const info = { podIPs: ['127.0.0.1'], hostIPs: ['127.0.0.1'], allocatable: { cpu: '2', memory: '4Gi' } };

function pod(container: Container): KObject {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u-1', labels: { app: 'web' }, annotations: { note: 'hi' } },
    spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [container] },
  };
}

async function envOf(c: Container): Promise<Record<string, string>> {
  const { env } = await resolveEnv(pod(c), c, info, source);
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}

describe('resolveEnv', () => {
  it('expands values against earlier variables and keeps undefined references literal', async () => {
    const env = await envOf({ name: 'c', env: [{ name: 'A', value: 'a' }, { name: 'B', value: '$(A)-$(C)-$$(A)' }, { name: 'C', value: 'c' }] });
    assert.deepEqual(env, { A: 'a', B: 'a-$(C)-$(A)', C: 'c' });
  });

  it('reads ConfigMap and Secret keys, honours optional, and fails as the kubelet does', async () => {
    const env = await envOf({
      name: 'c',
      env: [
        { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
        { name: 'OPTKEY', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } },
      ],
    });
    assert.deepEqual(env, { COLOR: 'blue', PW: 's3cret' });
    await assert.rejects(envOf({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'x', key: 'k' } } }] }), { message: 'configmap "x" not found' });
    await assert.rejects(envOf({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }), { message: "couldn't find key k in ConfigMap ns/cfg" });
    await assert.rejects(envOf({ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }] }), { message: "couldn't find key k in Secret ns/creds" });
    await assert.rejects(envOf({ name: 'c', envFrom: [{ secretRef: { name: 'gone' } }] }), { message: 'secret "gone" not found' });
  });

  it('envFrom adds prefixed keys, skips invalid names with a warning, and env overrides it', async () => {
    const c: Container = { name: 'c', envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { configMapRef: { name: 'cfg' } }], env: [{ name: 'size', value: '$(CFG_size)0' }] };
    const { env, warnings } = await resolveEnv(pod(c), c, info, source);
    assert.deepEqual(Object.fromEntries(env.map((e) => [e.name, e.value])), { CFG_color: 'blue', CFG_size: '3', color: 'blue', size: '30' });
    assert.deepEqual(warnings.map((w) => w.message), [
      'Keys [CFG_bad key] from the EnvFrom configMap ns/cfg were skipped since they are considered invalid environment variable names.',
      'Keys [bad key] from the EnvFrom configMap ns/cfg were skipped since they are considered invalid environment variable names.',
    ]);
  });

  it('downward API: fieldRef and resourceFieldRef with divisors and the node allocatable as the default limit', async () => {
    const env = await envOf({
      name: 'c',
      resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } },
      env: [
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'NOTE', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
        { name: 'CPU_LIM', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ],
    });
    assert.deepEqual(env, {
      NAME: 'web', NS: 'ns', UID: 'u-1', APP: 'web', NOTE: 'hi', NODE: 'node-1', SA: 'default', IP: '127.0.0.1', IPS: '127.0.0.1', HOST: '127.0.0.1',
      MEM: '64', CPU_REQ_M: '250', CPU_REQ: '1', CPU_LIM: '2',
    });
  });

  it('command and args expand against the environment', () => {
    const out = expandCommand({ name: 'c', command: ['sh', '-c', 'echo $(A) $$(A) $(B)'], args: ['$(A)'] }, [{ name: 'A', value: '1' }]);
    assert.deepEqual(out, { command: ['sh', '-c', 'echo 1 $(A) $(B)'], args: ['1'] });
  });
});
