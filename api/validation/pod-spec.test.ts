import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { errorString } from '../field-error.ts';
import type { FieldError } from '../field-error.ts';
import { defaultPod } from '../defaults/pod-spec.ts';
import { validatePodCreate, validatePodUpdate } from './pod-spec.ts';

function pod(spec: Partial<PodSpec> = {}, container: Partial<Container> = {}): Pod {
  const p: Pod = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25', ...container }], ...spec },
  };
  defaultPod(p);
  return p;
}

const at = (errs: FieldError[], field: string) => errs.filter((e) => e.field === field).map(errorString);

test('a defaulted pod is valid', () => {
  assert.deepEqual(validatePodCreate(pod()), []);
});

test('containers: required, DNS-label names unique across init and regular, image required', () => {
  assert.deepEqual(validatePodCreate(pod({ containers: [] })), [{ type: 'FieldValueRequired', field: 'spec.containers', detail: '' }]);
  const p = pod({
    containers: [
      { name: 'app', image: 'a' },
      { name: 'app', image: 'b' },
      { name: 'Bad_Name', image: '' },
    ],
    initContainers: [{ name: 'app', image: 'c' }],
  });
  const errs = validatePodCreate(p);
  assert.deepEqual(at(errs, 'spec.containers[1].name'), ['spec.containers[1].name: Duplicate value: "app"']);
  assert.match(at(errs, 'spec.containers[2].name')[0], /^spec\.containers\[2\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/);
  assert.deepEqual(at(errs, 'spec.containers[2].image'), ['spec.containers[2].image: Required value']);
  assert.deepEqual(at(errs, 'spec.initContainers[0].name'), ['spec.initContainers[0].name: Duplicate value: "app"']);
});

test('container ports: range, protocol, IANA names', () => {
  const errs = validatePodCreate(
    pod({}, { ports: [{ containerPort: 70000 }, { containerPort: 80, protocol: 'HTTP' }, { containerPort: 81, name: 'web_port' }, { containerPort: 0 }] }),
  );
  assert.deepEqual(at(errs, 'spec.containers[0].ports[0].containerPort'), [
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].ports[1].protocol'), [
    'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].ports[2].name'), [
    'spec.containers[0].ports[2].name: Invalid value: "web_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].ports[3].containerPort'), ['spec.containers[0].ports[3].containerPort: Required value']);
});

test('env names and valueFrom sources', () => {
  const errs = validatePodCreate(
    pod({}, {
      env: [
        { name: '1BAD', value: 'x' },
        { name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'B', valueFrom: { fieldRef: { fieldPath: 'spec.nope' } } },
        { name: 'C', valueFrom: {} },
        { name: 'D', valueFrom: { secretKeyRef: { name: 'creds', key: 'pass word' } } },
      ],
    }),
  );
  assert.match(at(errs, 'spec.containers[0].env[0].name')[0], /Invalid value: "1BAD": a valid environment variable name must consist of/);
  assert.deepEqual(at(errs, 'spec.containers[0].env[1].valueFrom'), [
    'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath'), [
    'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nope": error converting fieldPath: field label not supported: spec.nope',
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].env[3].valueFrom'), [
    'spec.containers[0].env[3].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
  ]);
  assert.match(at(errs, 'spec.containers[0].env[4].valueFrom.secretKeyRef.key')[0], /a valid config key must consist of/);
  const status = validatePodCreate(pod({}, { env: [{ name: 'S', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }] }));
  assert.equal(status[0].type, 'FieldValueNotSupported');
  assert.equal(status[0].field, 'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath');
});

test('volumes: unique DNS-label names, exactly one source, mounts must name a volume', () => {
  const errs = validatePodCreate(
    pod(
      {
        volumes: [
          { name: 'data', emptyDir: {} },
          { name: 'data', emptyDir: {} },
          { name: 'two', emptyDir: {}, configMap: { name: 'c' } },
          { name: 'cfg', secret: {} },
          { name: 'Bad.Name', emptyDir: {} },
        ],
      },
      {
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'missing', mountPath: '/data' },
        ],
      },
    ),
  );
  assert.deepEqual(at(errs, 'spec.volumes[1].name'), ['spec.volumes[1].name: Duplicate value: "data"']);
  assert.deepEqual(at(errs, 'spec.volumes[2].configMap'), ['spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type']);
  assert.deepEqual(at(errs, 'spec.volumes[3].secret.secretName'), ['spec.volumes[3].secret.secretName: Required value']);
  assert.equal(at(errs, 'spec.volumes[4].name').length, 1);
  assert.deepEqual(at(errs, 'spec.containers[0].volumeMounts[1].name'), ['spec.containers[0].volumeMounts[1].name: Invalid value: "missing": not found']);
  assert.deepEqual(at(errs, 'spec.containers[0].volumeMounts[1].mountPath'), [
    'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
  ]);
  const none = validatePodCreate({ metadata: { name: 'p', namespace: 'd' }, spec: { ...pod().spec!, volumes: [{ name: 'v' }] } });
  assert.deepEqual(at(none, 'spec.volumes[0]'), ['spec.volumes[0]: Required value: must specify a volume type']);
  const mode = validatePodCreate(pod({ volumes: [{ name: 'c', configMap: { name: 'c', defaultMode: 0o1000 } }] }));
  assert.deepEqual(at(mode, 'spec.volumes[0].configMap.defaultMode'), [
    'spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
  ]);
});

test('restartPolicy and dnsPolicy values', () => {
  const errs = validatePodCreate(pod({ restartPolicy: 'Sometimes', dnsPolicy: 'Google' }));
  assert.deepEqual(errs.map(errorString), [
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
  ]);
});

test('resources: names, quantities, requests not above limits', () => {
  const errs = validatePodCreate(
    pod({}, {
      resources: {
        requests: { cpu: '2', memory: '-1Gi', gpu: '1' },
        limits: { cpu: '500m', memory: 'lots' },
      },
    }),
  );
  assert.deepEqual(at(errs, 'spec.containers[0].resources.requests'), [
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m',
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].resources.requests[memory]'), [
    'spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].resources.limits[memory]'), [
    "spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].resources.requests[gpu]'), [
    'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
    'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
  ]);
  const extended = validatePodCreate(pod({}, { resources: { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } } }));
  assert.deepEqual(at(extended, 'spec.containers[0].resources.requests'), [
    'spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2',
  ]);
  const fraction = validatePodCreate(pod({}, { resources: { limits: { 'example.com/gpu': '500m' } } }));
  assert.deepEqual(at(fraction, 'spec.containers[0].resources.limits[example.com/gpu]'), [
    'spec.containers[0].resources.limits[example.com/gpu]: Invalid value: "500m": must be an integer',
  ]);
});

test('probes: one handler, non-negative values, liveness successThreshold 1', () => {
  const errs = validatePodCreate(
    pod({}, {
      livenessProbe: { httpGet: { port: 80 }, tcpSocket: { port: 80 }, successThreshold: 2, periodSeconds: -1 },
      readinessProbe: { initialDelaySeconds: 1 },
      startupProbe: { httpGet: { port: 'http', scheme: 'FTP' } },
    }),
  );
  assert.deepEqual(at(errs, 'spec.containers[0].livenessProbe.tcpSocket'), ['spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type']);
  assert.deepEqual(at(errs, 'spec.containers[0].livenessProbe.periodSeconds'), [
    'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(at(errs, 'spec.containers[0].livenessProbe.successThreshold'), ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']);
  assert.deepEqual(at(errs, 'spec.containers[0].readinessProbe'), ['spec.containers[0].readinessProbe: Required value: must specify a handler type']);
  assert.deepEqual(at(errs, 'spec.containers[0].startupProbe.httpGet.scheme'), [
    'spec.containers[0].startupProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
  ]);
});

test('init containers may not have probes unless they restart always', () => {
  const errs = validatePodCreate(pod({ initContainers: [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }] }));
  assert.deepEqual(at(errs, 'spec.initContainers[0].readinessProbe'), [
    'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
  ]);
});

test('scheduling fields: tolerations, node selector, activeDeadlineSeconds', () => {
  const errs = validatePodCreate(
    pod({
      tolerations: [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', value: 'v' }, { key: 'k', effect: 'Sometimes' }],
      nodeSelector: { 'bad key': 'x' },
      activeDeadlineSeconds: 0,
    }),
  );
  assert.deepEqual(at(errs, 'spec.tolerations[0].operator'), [
    'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
  ]);
  assert.deepEqual(at(errs, 'spec.tolerations[1].operator'), ["spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"]);
  assert.deepEqual(at(errs, 'spec.tolerations[2].effect'), [
    'spec.tolerations[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
  assert.equal(at(errs, 'spec.nodeSelector').length, 1);
  assert.deepEqual(at(errs, 'spec.activeDeadlineSeconds'), ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']);
});

test('host network ports must match on a pod', () => {
  const p = pod({ hostNetwork: true }, { ports: [{ containerPort: 8080 }] });
  assert.deepEqual(validatePodCreate(p), []);
  p.spec!.containers[0].ports![0].hostPort = 9090;
  assert.deepEqual(at(validatePodCreate(p), 'spec.containers[0].ports[0].hostPort'), [
    'spec.containers[0].ports[0].hostPort: Invalid value: 9090: must match `containerPort` when `hostNetwork` is true',
  ]);
});

test('pod updates may only change images, tolerations, deadlines and an unset nodeName', () => {
  const old = pod();
  old.metadata = { ...old.metadata, uid: 'u' };
  const images = structuredClone(old);
  images.spec!.containers[0].image = 'nginx:1.26';
  images.spec!.nodeName = 'node-1';
  assert.deepEqual(validatePodUpdate(images, old), []);
  const env = structuredClone(old);
  env.spec!.containers[0].env = [{ name: 'A', value: 'b' }];
  const errs = validatePodUpdate(env, old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0].type, 'FieldValueForbidden');
  assert.equal(errs[0].field, 'spec');
  assert.match(errs[0].detail, /^pod updates may not change fields other than `spec.containers\[\*\].image`,/);
  const bound = structuredClone(images);
  const moved = structuredClone(images);
  moved.spec!.nodeName = 'node-2';
  assert.equal(validatePodUpdate(moved, bound)[0].field, 'spec');
  const fewer = structuredClone(old);
  fewer.spec!.containers = [];
  assert.deepEqual(validatePodUpdate(fewer, old).map(errorString).slice(-1), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('ephemeral containers cannot be set on create', () => {
  const p = pod({ ephemeralContainers: [{ name: 'debug', image: 'busybox' }] });
  assert.deepEqual(at(validatePodCreate(p), 'spec.ephemeralContainers'), ['spec.ephemeralContainers: Forbidden: cannot be set on create']);
});
