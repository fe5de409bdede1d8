import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import { defaultService } from './service.ts';

function defaulted(spec: Service['spec']): NonNullable<Service['spec']> {
  const s: Service = { metadata: { name: 'web' }, spec };
  defaultService(s);
  return s.spec!;
}

test('ClusterIP defaults', () => {
  const spec = defaulted({ selector: { app: 'web' }, ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] });
  assert.equal(spec.type, 'ClusterIP');
  assert.equal(spec.sessionAffinity, 'None');
  assert.deepEqual(spec.ports, [
    { port: 80, protocol: 'TCP', targetPort: 80 },
    { port: 53, protocol: 'UDP', targetPort: 'dns' },
  ]);
  assert.equal(spec.internalTrafficPolicy, 'Cluster');
  assert.equal(spec.ipFamilyPolicy, 'SingleStack');
  assert.deepEqual(spec.ipFamilies, ['IPv4']);
  assert.equal(spec.externalTrafficPolicy, undefined);
  assert.equal(spec.allocateLoadBalancerNodePorts, undefined);
});

test('NodePort and LoadBalancer also get externalTrafficPolicy; LoadBalancer allocates node ports', () => {
  const np = defaulted({ type: 'NodePort', ports: [{ port: 80 }] });
  assert.equal(np.externalTrafficPolicy, 'Cluster');
  assert.equal(np.allocateLoadBalancerNodePorts, undefined);
  const lb = defaulted({ type: 'LoadBalancer', ports: [{ port: 80 }] });
  assert.equal(lb.externalTrafficPolicy, 'Cluster');
  assert.equal(lb.allocateLoadBalancerNodePorts, true);
  assert.equal(lb.internalTrafficPolicy, 'Cluster');
});

test('ClientIP affinity gets a three-hour timeout; None drops the config', () => {
  assert.deepEqual(defaulted({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }).sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  assert.equal(defaulted({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } }, ports: [{ port: 80 }] }).sessionAffinityConfig, undefined);
});

test('cluster IP mirrors into clusterIPs; headless services', () => {
  const allocated = defaulted({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
  assert.deepEqual(allocated.clusterIPs, ['10.96.0.10']);
  const headless = defaulted({ clusterIP: 'None', selector: { app: 'db' } });
  assert.deepEqual(headless.clusterIPs, ['None']);
  assert.equal(headless.ipFamilyPolicy, 'SingleStack');
  assert.deepEqual(headless.ipFamilies, ['IPv4']);
  const bare = defaulted({ clusterIP: 'None' });
  assert.equal(bare.ipFamilyPolicy, 'RequireDualStack');
});

test('ExternalName services get no IP fields or traffic policies', () => {
  const spec = defaulted({ type: 'ExternalName', externalName: 'db.example.com' });
  assert.equal(spec.ipFamilyPolicy, undefined);
  assert.equal(spec.ipFamilies, undefined);
  assert.equal(spec.clusterIPs, undefined);
  assert.equal(spec.internalTrafficPolicy, undefined);
  assert.equal(spec.sessionAffinity, 'None');
});
