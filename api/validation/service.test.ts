import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import { errorString } from '../field-error.ts';
import { defaultService } from '../defaults/service.ts';
import { validateService } from './service.ts';

function service(mutate: (s: Service) => void = () => {}): Service {
  const s: Service = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };
  mutate(s);
  defaultService(s);
  return s;
}

const messages = (s: Service, old?: Service) => validateService(s, old).map(errorString);

test('a defaulted service is valid, also allocated', () => {
  assert.deepEqual(messages(service()), []);
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.clusterIP = '10.96.0.10';
      }),
    ),
    [],
  );
});

test('service names are DNS-1035 labels', () => {
  assert.deepEqual(
    messages(
      service((s) => {
        s.metadata!.name = '1web';
      }),
    ),
    [
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
  );
});

test('ports are required unless headless or ExternalName', () => {
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.ports = [];
      }),
    ),
    ['spec.ports: Required value'],
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.ports = [];
        s.spec!.clusterIP = 'None';
      }),
    ),
    [],
  );
});

test('port numbers, protocols, names and duplicates', () => {
  const errs = messages(
    service((s) => {
      s.spec!.ports = [
        { name: 'http', port: 0 },
        { port: 81, protocol: 'ICMP' },
        { name: 'http', port: 82, targetPort: 'Web_Port' },
        { name: 'dup', port: 83 },
        { name: 'dup2', port: 83 },
      ];
    }),
  );
  assert.deepEqual(errs, [
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    // The target port defaults to the port, so it is wrong too (as upstream reports).
    'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[1].name: Required value',
    'spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'spec.ports[2].name: Duplicate value: "http"',
    'spec.ports[2].targetPort: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.ports[4]: Duplicate value: {"protocol":"TCP","port":83}',
  ]);
});

test('type, clusterIP and node ports', () => {
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.type = 'Magic';
      }),
    ),
    ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.clusterIP = '10.96.0.300';
      }),
    ),
    ['spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.ports![0].nodePort = 30080;
      }),
    ),
    ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.type = 'NodePort';
        s.spec!.ports![0].nodePort = 80;
      }),
    ),
    ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.type = 'NodePort';
        s.spec!.clusterIP = 'None';
      }),
    ),
    ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
  );
});

test('ExternalName needs a DNS name and no cluster IP', () => {
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec = { type: 'ExternalName', externalName: 'db.example.com.' };
      }),
    ),
    [],
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec = { type: 'ExternalName' };
      }),
    ),
    ['spec.externalName: Required value'],
  );
  assert.equal(
    messages(
      service((s) => {
        s.spec = { type: 'ExternalName', externalName: 'Not A Host' };
      }),
    )[0].startsWith('spec.externalName: Invalid value: "Not A Host": a lowercase RFC 1123 subdomain'),
    true,
  );
});

test('selector labels and session affinity', () => {
  assert.equal(
    validateService(
      service((s) => {
        s.spec!.selector = { app: 'bad value!' };
      }),
    )[0].field,
    'spec.selector',
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.sessionAffinity = 'Sticky';
      }),
    ),
    ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.sessionAffinity = 'ClientIP';
        s.spec!.sessionAffinityConfig = { clientIP: { timeoutSeconds: 100000 } };
      }),
    ),
    ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400'],
  );
});

test('external traffic policy only for externally reachable services', () => {
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.externalTrafficPolicy = 'Local';
      }),
    ),
    ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
  );
  assert.deepEqual(
    messages(
      service((s) => {
        s.spec!.type = 'LoadBalancer';
        s.spec!.externalTrafficPolicy = 'Local';
      }),
    ),
    [],
  );
});

test('allocated cluster IPs cannot change', () => {
  const old = service((s) => {
    s.spec!.clusterIP = '10.96.0.10';
  });
  const moved = service((s) => {
    s.spec!.clusterIP = '10.96.0.11';
  });
  assert.deepEqual(messages(moved, old), ['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set']);
  assert.deepEqual(messages(service(), old), []);
});
