import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES } from '../kinds.ts';
import { applyDefaults } from './index.ts';

test('every served kind can be defaulted, and defaulting twice changes nothing', () => {
  for (const r of RESOURCES) {
    const obj = { metadata: { name: 'x', namespace: 'default', uid: 'u' } };
    applyDefaults(r.group, r.kind, obj);
    const again = structuredClone(obj);
    applyDefaults(r.group, r.kind, again);
    assert.deepEqual(again, obj, `${r.group}/${r.kind}`);
  }
});

test('dispatches on group and kind', () => {
  const pod: any = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  applyDefaults('', 'Pod', pod);
  assert.equal(pod.spec.restartPolicy, 'Always');
  assert.equal(pod.spec.enableServiceLinks, true);
  const ic: any = { metadata: { name: 'skiff' }, spec: { controller: 'skiff.dev/ingress', parameters: { kind: 'Config', name: 'c' } } };
  applyDefaults('networking.k8s.io', 'IngressClass', ic);
  assert.equal(ic.spec.parameters.scope, 'Cluster');
  const slice: any = { metadata: { name: 's' }, addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] };
  applyDefaults('discovery.k8s.io', 'EndpointSlice', slice);
  assert.deepEqual(slice.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  const ing: any = { metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: {} }] } }] } };
  applyDefaults('networking.k8s.io', 'Ingress', ing);
  assert.equal(ing.spec.rules[0].http.paths[0].pathType, undefined, 'pathType has no default');
  const cm: any = { metadata: { name: 'c' } };
  applyDefaults('', 'ConfigMap', cm);
  assert.deepEqual(cm, { metadata: { name: 'c' } });
});
