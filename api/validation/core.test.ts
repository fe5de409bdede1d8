import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../field-error.ts';
import { validateEndpoints, validateNamespace, validateNode, validateServiceAccount } from './core.ts';

test('namespaces: DNS-1123 label names, no namespace, valid finalizers', () => {
  assert.deepEqual(validateNamespace({ metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] } }), []);
  assert.deepEqual(validateNamespace({ metadata: { name: 'team.a' } }).map(errorString), ['metadata.name: Invalid value: "team.a": must not contain dots']);
  assert.deepEqual(validateNamespace({ metadata: { name: 'a', namespace: 'b' } }).map(errorString), ['metadata.namespace: Forbidden: not allowed on this type']);
  assert.deepEqual(validateNamespace({ metadata: { name: 'a' }, spec: { finalizers: ['custom'] } }).map(errorString), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});

test('service accounts', () => {
  assert.deepEqual(validateServiceAccount({ metadata: { name: 'builder', namespace: 'ci' } }), []);
  assert.equal(validateServiceAccount({ metadata: { name: 'Builder', namespace: 'ci' } })[0].field, 'metadata.name');
});

test('nodes: taints, quantities, pod CIDRs', () => {
  const errs = validateNode({
    metadata: { name: 'node-1' },
    spec: {
      podCIDRs: ['10.244.0.0/24', 'nope'],
      taints: [
        { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
        { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
        { key: 'x', effect: 'Never' as 'NoSchedule' },
      ],
    },
    status: { capacity: { cpu: '-1', pods: '110' } },
  }).map(errorString);
  assert.deepEqual(errs, [
    'metadata.taints[1]: Duplicate value: {"key":"dedicated","value":"web","effect":"NoSchedule"}',
    'metadata.taints[2].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
    'spec.podCIDRs[1]: Invalid value: "nope": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  ]);
  const old = { metadata: { name: 'node-1' }, spec: { podCIDRs: ['10.244.0.0/24'] } };
  assert.deepEqual(validateNode({ metadata: { name: 'node-1' }, spec: { podCIDRs: ['10.244.1.0/24'] } }, old).map(errorString), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
  ]);
});

test('endpoints: addresses, ports', () => {
  assert.deepEqual(
    validateEndpoints({
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    }),
    [],
  );
  const errs = validateEndpoints({
    metadata: { name: 'web', namespace: 'default' },
    subsets: [
      { ports: [{ port: 80, protocol: 'TCP' }] },
      {
        addresses: [{ ip: '127.0.0.1' }, { ip: 'x' }],
        ports: [
          { port: 80, protocol: 'TCP' },
          { name: 'b', port: 0, protocol: 'TCP' },
        ],
      },
    ],
  }).map(errorString);
  assert.deepEqual(errs, [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
    'subsets[1].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'subsets[1].addresses[1].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[1].addresses[1].ip: Invalid value: "x": must be a valid IP address',
    'subsets[1].ports[0].name: Required value',
    'subsets[1].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
});
