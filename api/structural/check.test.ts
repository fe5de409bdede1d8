import { test } from 'node:test';
import assert from 'node:assert/strict';
import { model, p, t, typeMeta, type Model } from '../schema/dsl.ts';
import { checkStructure } from './check.ts';
import { pruneUnknown } from './prune.ts';
import { duplicateFields } from './duplicates.ts';
import { rfc3339Error } from './go-time.ts';
import { base64ErrorOffset } from './go-base64.ts';
import { quantityError } from './quantity.ts';

const Port: Model = model('io.k8s.api.core.v1.ServicePort', '', {
  port: p(3, t.int32(), ''),
  targetPort: p(4, t.intOrString(), ''),
});
const Container: Model = model('io.k8s.api.core.v1.Container', '', {
  name: p(1, t.string(), ''),
  image: p(2, t.string(), ''),
  args: p(4, t.array(t.string()), ''),
  ports: p(6, t.array(t.ref(() => Port)), ''),
  limits: p(8, t.map(t.quantity()), ''),
});
const Meta: Model = model('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', '', {
  name: p(1, t.string(), ''),
  labels: p(11, t.map(t.string()), ''),
  creationTimestamp: p(8, t.time(), ''),
});
const Spec: Model = model('io.k8s.api.apps.v1.DeploymentSpec', '', {
  replicas: p(1, t.int32(), ''),
  paused: p(7, t.bool(), ''),
  ratio: p(9, t.double(), ''),
  containers: p(2, t.array(t.ref(() => Container)), ''),
  byName: p(3, t.map(t.ref(() => Container)), ''),
  data: p(4, t.map(t.bytes()), ''),
  raw: p(5, t.any(), ''),
  renewTime: p(6, t.microTime(), ''),
});
const Deployment: Model = model(
  'io.k8s.api.apps.v1.Deployment',
  '',
  { ...typeMeta(), metadata: p(1, t.ref(() => Meta), ''), spec: p(2, t.ref(() => Spec), '') },
  { gvk: [{ group: 'apps', version: 'v1', kind: 'Deployment' }] },
);

test('a well-formed object has no findings', () => {
  const r = checkStructure(Deployment, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, creationTimestamp: null },
    spec: {
      replicas: 2,
      paused: false,
      ratio: 0.5,
      containers: [{ name: 'c', image: 'nginx', args: ['a'], ports: [{ port: 80, targetPort: 'http' }, { targetPort: 8080 }], limits: { cpu: '100m', memory: 1 } }],
      byName: { c: { name: 'c' } },
      data: { k: 'eQ==' },
      raw: { anything: [1, { x: true }] },
      renewTime: '2026-01-02T03:04:05.123456Z',
    },
  });
  assert.deepEqual(r, { typeErrors: [], unknownFields: [] });
});

test('null is accepted anywhere, including list items', () => {
  const r = checkStructure(Deployment, { metadata: null, spec: { replicas: null, containers: [null, { name: null }], data: { k: null } } });
  assert.deepEqual(r, { typeErrors: [], unknownFields: [] });
});

test('unknown fields use the strict-decoding path format', () => {
  const r = checkStructure(Deployment, {
    spec: { containers: [{ name: 'a' }, { name: 'b', imagex: 'x', ports: [{ port: 1, extra: 1 }] }], byName: { c: { bogus: 1 } }, foo: 1 },
    Metadata: {},
  });
  assert.deepEqual(r.unknownFields, [
    'spec.containers[1].imagex',
    'spec.containers[1].ports[0].extra',
    'spec.byName.c.bogus',
    'spec.foo',
    'Metadata',
  ]);
  assert.deepEqual(r.typeErrors, []);
});

test('unknown fields are not looked into, and any-typed values are opaque', () => {
  const r = checkStructure(Deployment, { spec: { nope: { deeper: 1 }, raw: { whatever: { x: 1 } } } });
  assert.deepEqual(r.unknownFields, ['spec.nope']);
});

test('wrong JSON types give Go decoder messages', () => {
  const r = checkStructure(Deployment, { spec: { containers: [{ name: 5 }] } });
  assert.equal(r.typeErrors.length, 1);
  const e = r.typeErrors[0];
  assert.equal(e?.type, 'FieldValueTypeInvalid');
  assert.equal(e?.field, 'spec.containers[0].name');
  assert.equal(e?.value, 5);
  assert.equal(e?.detail, 'json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string');
});

test('type mismatch wording for each kind of type', () => {
  const detail = (spec: unknown) => checkStructure(Deployment, { spec }).typeErrors.map((e) => e.detail);
  assert.deepEqual(detail({ replicas: 'two' }), ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32']);
  assert.deepEqual(detail({ replicas: 1.5 }), ['json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32']);
  assert.deepEqual(detail({ replicas: 3000000000 }), ['json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32']);
  assert.deepEqual(detail({ paused: 'yes' }), ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool']);
  assert.deepEqual(detail({ ratio: true }), ['json: cannot unmarshal bool into Go struct field DeploymentSpec.spec.ratio of type float64']);
  assert.deepEqual(detail({ containers: {} }), ['json: cannot unmarshal object into Go struct field DeploymentSpec.spec.containers of type []v1.Container']);
  assert.deepEqual(detail({ containers: ['x'] }), ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.containers of type v1.Container']);
  assert.deepEqual(detail({ byName: [] }), ['json: cannot unmarshal array into Go struct field DeploymentSpec.spec.byName of type map[string]v1.Container']);
  assert.deepEqual(detail({ containers: [{ args: [1] }] }), ['json: cannot unmarshal number into Go struct field Container.spec.containers.args of type string']);
  assert.deepEqual(detail({ data: { k: 1 } }), ['json: cannot unmarshal number into Go struct field DeploymentSpec.spec.data of type []uint8']);
  assert.deepEqual(checkStructure(Deployment, { spec: 'x' }).typeErrors.map((e) => e.detail), [
    'json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec',
  ]);
  assert.deepEqual(checkStructure(Deployment, [1]).typeErrors.map((e) => e.detail), ['json: cannot unmarshal array into Go value of type v1.Deployment']);
  assert.deepEqual(checkStructure(Deployment, { metadata: { labels: { a: 1 } } }).typeErrors.map((e) => [e.field, e.detail]), [
    ['metadata.labels[a]', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
  ]);
});

test('int-or-string accepts int32 numbers and strings only', () => {
  const errs = (targetPort: unknown) => checkStructure(Port, { targetPort }).typeErrors.map((e) => e.detail);
  assert.deepEqual(errs(80), []);
  assert.deepEqual(errs('http'), []);
  assert.deepEqual(errs(1.5), ['json: cannot unmarshal number 1.5 into Go struct field ServicePort.targetPort of type int32']);
  assert.deepEqual(errs(true), ['json: cannot unmarshal bool into Go struct field ServicePort.targetPort of type int32']);
});

test('quantities accept strings and numbers in Kubernetes syntax', () => {
  const errs = (cpu: unknown) => checkStructure(Container, { limits: { cpu } }).typeErrors.map((e) => e.detail);
  for (const ok of ['100m', '1', '1.5Gi', '2e3', '+1k', '.5', 0.25, 3]) assert.deepEqual(errs(ok), [], String(ok));
  assert.match(errs('lots')[0] ?? '', /^quantities must match the regular expression/);
  assert.deepEqual(errs('1K'), ["unable to parse quantity's suffix"]);
  assert.match(errs('1Kb')[0] ?? '', /^quantities must match/);
  assert.match(errs(true)[0] ?? '', /^quantities must match/);
  assert.equal(quantityError(''), quantityError('x'));
});

test('times are RFC 3339; micro times need six fractional digits', () => {
  assert.equal(rfc3339Error('2026-01-02T03:04:05Z'), undefined);
  assert.equal(rfc3339Error('2026-01-02T03:04:05.5+01:00'), undefined);
  assert.equal(rfc3339Error('2024-02-29T00:00:00Z'), undefined);
  assert.equal(rfc3339Error('2026-13-01T00:00:00Z'), 'parsing time "2026-13-01T00:00:00Z": month out of range');
  assert.equal(rfc3339Error('2023-02-29T00:00:00Z'), 'parsing time "2023-02-29T00:00:00Z": day out of range');
  assert.equal(rfc3339Error('yesterday'), 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"');
  assert.equal(rfc3339Error('2026-01-02 03:04:05Z'), 'parsing time "2026-01-02 03:04:05Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 03:04:05Z" as "T"');
  assert.equal(rfc3339Error('2026-01-02T03:04:05'), 'parsing time "2026-01-02T03:04:05" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"');
  assert.equal(rfc3339Error('2026-01-02T03:04:05Zjunk'), 'parsing time "2026-01-02T03:04:05Zjunk": extra text: "junk"');
  assert.equal(rfc3339Error('2026-01-02T03:04:05.123456Z', true), undefined);
  assert.equal(
    rfc3339Error('2026-01-02T03:04:05Z', true),
    'parsing time "2026-01-02T03:04:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
  );
  const r = checkStructure(Deployment, { metadata: { creationTimestamp: 5 }, spec: { renewTime: '2026-01-02T03:04:05Z' } });
  assert.deepEqual(
    r.typeErrors.map((e) => e.detail),
    [
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
      'parsing time "2026-01-02T03:04:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    ],
  );
});

test('the error Kubernetes reports comes first: unmarshaler errors before saved type errors', () => {
  const r = checkStructure(Deployment, { spec: { replicas: 'x', containers: [{ ports: [{ targetPort: false }] }] } });
  assert.deepEqual(
    r.typeErrors.map((e) => e.field),
    ['spec.containers[0].ports[0].targetPort', 'spec.replicas'],
  );
});

test('bytes must be base64 as Go decodes it', () => {
  assert.equal(base64ErrorOffset(''), undefined);
  assert.equal(base64ErrorOffset('eQ=='), undefined);
  assert.equal(base64ErrorOffset('aGVsbG8='), undefined);
  assert.equal(base64ErrorOffset('aGVs\nbG8='), undefined);
  assert.equal(base64ErrorOffset('abc'), 0);
  assert.equal(base64ErrorOffset('abcdab'), 4);
  assert.equal(base64ErrorOffset('ab!d'), 2);
  assert.equal(base64ErrorOffset('a==='), 1);
  assert.equal(base64ErrorOffset('ab='), 3);
  assert.equal(base64ErrorOffset('ab==cd'), 4);
  const r = checkStructure(Deployment, { spec: { data: { k: 'not base64' } } });
  assert.deepEqual(
    r.typeErrors.map((e) => [e.field, e.detail]),
    [['spec.data[k]', 'illegal base64 data at input byte 3']],
  );
});

test('pathPrefix roots the paths and the Go field context', () => {
  const r = checkStructure(Spec, { replicas: 'x', bogus: 1 }, { pathPrefix: 'spec' });
  assert.deepEqual(r.unknownFields, ['spec.bogus']);
  assert.equal(r.typeErrors[0]?.field, 'spec.replicas');
  assert.equal(r.typeErrors[0]?.detail, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
});

test('duplicate fields are found in the raw text, in structs and maps, not in unknown or raw fields', () => {
  const raw =
    '{"spec":{"replicas":1,"replicas":2,"containers":[{"name":"a"},{"name":"b","name":"c"}],' +
    '"raw":{"x":1,"x":2},"nope":{"y":1,"y":2}},"metadata":{"labels":{"a":"1","a":"2"}}}';
  assert.deepEqual(duplicateFields(Deployment, raw), ['spec.replicas', 'spec.containers[1].name', 'metadata.labels.a']);
  const r = checkStructure(Deployment, JSON.parse(raw), { rawJson: raw });
  assert.deepEqual(r.duplicateFields, ['spec.replicas', 'spec.containers[1].name', 'metadata.labels.a']);
  assert.deepEqual(duplicateFields(Deployment, '{"kind":"x\\"y","spec":{}}'), []);
});

test('pruneUnknown drops unknown fields at every depth and copies the rest', () => {
  const input = {
    kind: 'Deployment',
    extra: 1,
    spec: { replicas: 1, containers: [{ name: 'a', imagex: 'x' }, null], byName: { c: { name: 'c', bad: 1 } }, raw: { keep: { all: 1 } } },
  };
  const out = pruneUnknown(Deployment, input);
  assert.deepEqual(out, {
    kind: 'Deployment',
    spec: { replicas: 1, containers: [{ name: 'a' }, null], byName: { c: { name: 'c' } }, raw: { keep: { all: 1 } } },
  });
  assert.notEqual(out.spec.raw, input.spec.raw);
  assert.equal(input.extra, 1);
});

test('real models: a Deployment manifest, with the messages Kubernetes gives for the classic mistakes', async () => {
  const { Deployment: RealDeployment } = await import('../schema/apps.ts');
  const manifest = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80 }],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.25 } },
              livenessProbe: { httpGet: { path: '/', port: 'http' }, initialDelaySeconds: 3 },
            },
          ],
        },
      },
    },
  });
  assert.deepEqual(checkStructure(RealDeployment, manifest()), { typeErrors: [], unknownFields: [] });

  const bad = manifest() as any;
  bad.spec.replicas = '2';
  bad.spec.template.spec.containers[0].imagex = 'x';
  bad.spec.template.spec.containers[0].ports[0].containerPort = '80';
  const r = checkStructure(RealDeployment, bad);
  assert.deepEqual(r.unknownFields, ['spec.template.spec.containers[0].imagex']);
  assert.deepEqual(
    r.typeErrors.map((e) => e.detail),
    [
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    ],
  );
});
