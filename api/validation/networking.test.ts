import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import { errorString } from '../field-error.ts';
import { validateIngress, validateIngressClass } from './networking.ts';

function ingress(mutate: (i: Ingress) => void = () => {}): Ingress {
  const i: Ingress = {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      ingressClassName: 'skiff',
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
        },
      ],
    },
  };
  mutate(i);
  return i;
}

const messages = (i: Ingress) => validateIngress(i).map(errorString);

test('a realistic ingress is valid, wildcard hosts too', () => {
  assert.deepEqual(messages(ingress()), []);
  assert.deepEqual(
    messages(
      ingress((i) => {
        i.spec!.rules![0].host = '*.example.com';
      }),
    ),
    [],
  );
});

test('hosts are DNS subdomains (optionally "*."), not IPs', () => {
  assert.deepEqual(
    messages(
      ingress((i) => {
        i.spec!.rules![0].host = '10.0.0.1';
      }),
    ),
    ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
  );
  assert.match(
    messages(
      ingress((i) => {
        i.spec!.rules![0].host = 'foo.*.com';
      }),
    )[0],
    /^spec\.rules\[0\]\.host: Invalid value: "foo\.\*\.com": a wildcard DNS-1123 subdomain must start with '\*\.'/,
  );
  assert.match(
    messages(
      ingress((i) => {
        i.spec!.rules![0].host = 'Shop.Example.com';
      }),
    )[0],
    /^spec\.rules\[0\]\.host: Invalid value: "Shop\.Example\.com": a lowercase RFC 1123 subdomain/,
  );
});

test('pathType is required and paths are absolute for Prefix and Exact', () => {
  assert.deepEqual(
    messages(
      ingress((i) => {
        delete (i.spec!.rules![0].http!.paths[0] as { pathType?: string }).pathType;
      }),
    ),
    ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
  );
  assert.deepEqual(
    messages(
      ingress((i) => {
        i.spec!.rules![0].http!.paths[0].path = 'api';
      }),
    ),
    ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
  );
  assert.deepEqual(
    messages(
      ingress((i) => {
        i.spec!.rules![0].http!.paths[0].path = '/a//b';
        i.spec!.rules![0].http!.paths[0].pathType = 'Exact';
      }),
    ),
    ["spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"],
  );
  assert.deepEqual(
    messages(
      ingress((i) => {
        i.spec!.rules![0].http!.paths[0].pathType = 'Regex';
      }),
    ),
    ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"'],
  );
});

test('backends: exactly one of service and resource; port name or number', () => {
  const backend = (b: object) =>
    messages(
      ingress((i) => {
        i.spec!.rules![0].http!.paths[0].backend = b;
      }),
    );
  assert.deepEqual(backend({}), ['spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required']);
  assert.deepEqual(backend({ service: { name: 'web', port: { number: 80 } }, resource: { kind: 'Bucket', name: 'b' } }), [
    'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both resource and service backends',
  ]);
  assert.deepEqual(backend({ service: { name: 'web', port: {} } }), ['spec.rules[0].http.paths[0].backend: Required value: port name or number is required']);
  assert.deepEqual(backend({ service: { name: 'web', port: { name: 'http', number: 80 } } }), [
    'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
  ]);
  assert.deepEqual(backend({ service: { name: 'web', port: { number: 70000 } } }), [
    'spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  assert.match(backend({ service: { name: '1web', port: { number: 80 } } })[0], /backend\.service\.name: Invalid value: "1web": a DNS-1035 label/);
});

test('rules or a default backend must be given', () => {
  assert.deepEqual(
    messages(
      ingress((i) => {
        i.spec = {};
      }),
    ),
    ['spec: Invalid value: []: either `defaultBackend` or `rules` must be specified'],
  );
});

test('ingress classes name a domain-prefixed controller', () => {
  assert.deepEqual(validateIngressClass({ metadata: { name: 'skiff' }, spec: { controller: 'skiff.dev/ingress' } }), []);
  assert.deepEqual(validateIngressClass({ metadata: { name: 'skiff' }, spec: {} }).map(errorString), ['spec.controller: Required value']);
  assert.deepEqual(validateIngressClass({ metadata: { name: 'skiff' }, spec: { controller: 'nginx' } }).map(errorString), [
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
  ]);
  const old = { metadata: { name: 'skiff' }, spec: { controller: 'skiff.dev/ingress' } };
  assert.deepEqual(validateIngressClass({ metadata: { name: 'skiff' }, spec: { controller: 'other.dev/x' } }, old).map(errorString), [
    'spec.controller: Invalid value: "other.dev/x": field is immutable',
  ]);
});
