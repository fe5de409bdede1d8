import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { errorString } from '../field-error.ts';
import { validateEndpointSlice } from './discovery.ts';

const slice = (s: Partial<EndpointSlice>): EndpointSlice => ({
  metadata: { name: 'web-abc', namespace: 'default' },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  ...s,
});

test('a realistic slice is valid', () => {
  assert.deepEqual(validateEndpointSlice(slice({})), []);
  assert.deepEqual(validateEndpointSlice(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['db.example.com'] }] })), []);
});

test('address type and addresses', () => {
  assert.deepEqual(validateEndpointSlice(slice({ addressType: 'IP' })).map(errorString), [
    'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
  ]);
  assert.deepEqual(validateEndpointSlice(slice({ endpoints: [{ addresses: [] }, { addresses: ['fe80::1'] }] })).map(errorString), [
    'endpoints[0].addresses: Required value: must contain at least 1 address',
    'endpoints[1].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address',
  ]);
  const old = slice({});
  assert.deepEqual(validateEndpointSlice(slice({ addressType: 'IPv6', endpoints: [] }), old).map(errorString), [
    'addressType: Invalid value: "IPv6": field is immutable',
  ]);
});

test('ports: names unique, protocol required', () => {
  assert.deepEqual(
    validateEndpointSlice(
      slice({
        ports: [
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'http', port: 81, protocol: 'TCP' },
          { name: 'x', port: 82 },
        ],
      }),
    ).map(errorString),
    ['ports[1].name: Duplicate value: "http"', 'ports[2].protocol: Required value'],
  );
});
