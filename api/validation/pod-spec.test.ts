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

test('restartPolicy and dnsPolicy values', () => {
  const errs = validatePodCreate(pod({ restartPolicy: 'Sometimes', dnsPolicy: 'Google' }));
  assert.deepEqual(errs.map(errorString), [
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
  ]);
});

test('pod-level fields: node selector labels, activeDeadlineSeconds, names of referenced objects', () => {
  const errs = validatePodCreate(pod({ nodeSelector: { 'bad key': 'x' }, activeDeadlineSeconds: 0, serviceAccountName: 'Builder', hostname: 'a.b' }));
  assert.equal(at(errs, 'spec.nodeSelector').length, 1);
  assert.deepEqual(at(errs, 'spec.activeDeadlineSeconds'), ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']);
  assert.match(at(errs, 'spec.serviceAccountName')[0], /Invalid value: "Builder": a lowercase RFC 1123 subdomain/);
  assert.deepEqual(at(errs, 'spec.hostname'), ['spec.hostname: Invalid value: "a.b": must not contain dots']);
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
