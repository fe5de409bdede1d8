import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { model, p, t, typeMeta, type Model } from '../schema/dsl.ts';
import { RESOURCES } from '../kinds.ts';
import { groupVersionPaths, openapiV2, openapiV3Document, openapiV3Root } from './index.ts';
import { modelSchema, V2, V3, type Schema } from './schema.ts';
import { collect } from './collect.ts';
import { operationModels, resourcePaths } from './operations.ts';
import { gvPath, operationInfix, operationTag } from './names.ts';

type Doc = Record<string, any>;

const doc = (path: string): Doc => {
  const d = openapiV3Document(path);
  assert.ok(d, `no document for ${path}`);
  return d as Doc;
};

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

const Item: Model = model('io.example.v1.Item', 'An item.', {
  name: p(1, t.string(), 'The name.', { required: true }),
  port: p(2, t.intOrString(), 'A port.'),
});
const Widget: Model = model(
  'io.example.v1.Widget',
  'A widget.',
  {
    ...typeMeta(),
    items: p(1, t.array(t.ref(() => Item), { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }), 'Items.'),
    tags: p(2, t.array(t.string(), { listType: 'set' }), 'Tags.'),
    labels: p(3, t.map(t.string()), 'Labels.'),
    limits: p(4, t.map(t.quantity()), 'Limits.'),
    created: p(5, t.time(), 'When.'),
    data: p(6, t.bytes(), 'Data.'),
    raw: p(7, t.any(), 'Raw.'),
    mode: p(8, t.string({ enum: ['A', 'B'] }), 'Mode.'),
    count: p(9, t.int64(), 'Count.'),
    ratio: p(10, t.double(), 'Ratio.'),
    strategy: p(11, t.ref(() => Item), 'Strategy.', { patchStrategy: 'retainKeys' }),
  },
  { gvk: [{ group: 'example.io', version: 'v1', kind: 'Widget' }] },
);

test('a small model renders with the Kubernetes extensions (v3)', () => {
  const s = modelSchema(V3, Widget) as Doc;
  assert.equal(s.type, 'object');
  assert.equal(s.description, 'A widget.');
  assert.deepEqual(s['x-kubernetes-group-version-kind'], [{ group: 'example.io', kind: 'Widget', version: 'v1' }]);
  assert.deepEqual(s.properties.items, {
    type: 'array',
    items: { allOf: [{ $ref: '#/components/schemas/io.example.v1.Item' }], default: {} },
    'x-kubernetes-list-map-keys': ['name'],
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
    description: 'Items.',
  });
  assert.deepEqual(s.properties.tags, { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set', description: 'Tags.' });
  assert.deepEqual(s.properties.labels, { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels.' });
  assert.deepEqual(s.properties.limits.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
  assert.deepEqual(s.properties.created, { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }], description: 'When.' });
  assert.deepEqual(s.properties.data, { type: 'string', format: 'byte', description: 'Data.' });
  assert.equal(s.properties.raw['x-kubernetes-preserve-unknown-fields'], true);
  assert.deepEqual(s.properties.mode.enum, ['A', 'B']);
  assert.deepEqual(s.properties.count, { type: 'integer', format: 'int64', description: 'Count.' });
  assert.deepEqual(s.properties.ratio, { type: 'number', format: 'double', description: 'Ratio.' });
  assert.equal(s.properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.deepEqual(s.properties.strategy.allOf, [{ $ref: '#/components/schemas/io.example.v1.Item' }]);
  assert.deepEqual(s.required, undefined);
  assert.deepEqual((modelSchema(V3, Item) as Doc).required, ['name']);
});

test('a small model renders with direct $refs in v2', () => {
  const s = modelSchema(V2, Widget) as Doc;
  assert.deepEqual(s.properties.items.items, { $ref: '#/definitions/io.example.v1.Item' });
  assert.deepEqual(s.properties.created, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time', description: 'When.' });
  assert.equal(s.properties.items['x-kubernetes-patch-merge-key'], 'name');
});

test('names of group-versions follow upstream', () => {
  assert.equal(gvPath({ group: '', version: 'v1' }), 'api/v1');
  assert.equal(gvPath({ group: 'apps', version: 'v1' }), 'apis/apps/v1');
  assert.equal(operationInfix({ group: '', version: 'v1' }), 'CoreV1');
  assert.equal(operationInfix({ group: 'networking.k8s.io', version: 'v1' }), 'NetworkingV1');
  assert.equal(operationInfix({ group: 'rbac.authorization.k8s.io', version: 'v1' }), 'RbacAuthorizationV1');
  assert.equal(operationTag({ group: 'rbac.authorization.k8s.io', version: 'v1' }), 'rbacAuthorization_v1');
  assert.equal(operationTag({ group: '', version: 'v1' }), 'core_v1');
});

test('the v3 root lists every group-version of RESOURCES with a stable content hash', () => {
  const root = openapiV3Root();
  const expected = [...new Set(RESOURCES.map((r) => gvPath(r)))];
  assert.deepEqual(Object.keys(root.paths), expected);
  assert.deepEqual(groupVersionPaths(), expected);
  for (const [path, { serverRelativeURL }] of Object.entries(root.paths)) {
    const hash = createHash('sha512').update(JSON.stringify(openapiV3Document(path))).digest('hex').toUpperCase();
    assert.equal(serverRelativeURL, `/openapi/v3/${path}?hash=${hash}`);
  }
  assert.deepEqual(openapiV3Root(), root);
  assert.match(openapiV3Root('/prefix').paths['api/v1']?.serverRelativeURL ?? '', /^\/prefix\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
});

test('documents are built once and unknown group-versions have none', () => {
  assert.equal(openapiV3Document('apis/apps/v1'), openapiV3Document('apis/apps/v1'));
  assert.equal(openapiV3Document('/apis/apps/v1'), openapiV3Document('apis/apps/v1'));
  assert.equal(openapiV2(), openapiV2());
  assert.equal(openapiV3Document('apis/nope/v1'), undefined);
});

test('every resource has list/create/deletecollection, read/replace/patch/delete, and subresource paths', () => {
  for (const r of RESOURCES) {
    const d = doc(gvPath(r));
    const base = `/${gvPath(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
    const collection = d.paths[base];
    const item = d.paths[`${base}/{name}`];
    assert.ok(collection && item, `${base} missing`);
    assert.deepEqual([collection.get['x-kubernetes-action'], collection.post['x-kubernetes-action'], collection.delete['x-kubernetes-action']], [
      'list',
      'post',
      'deletecollection',
    ]);
    assert.deepEqual(['get', 'put', 'patch', 'delete'].map((m) => item[m]['x-kubernetes-action']), ['get', 'put', 'patch', 'delete']);
    for (const path of [collection, item]) {
      for (const op of Object.values(path).filter((v: any) => v.operationId) as Doc[]) {
        assert.deepEqual(op['x-kubernetes-group-version-kind'], { group: r.group, kind: r.kind, version: r.version });
      }
    }
    const names = collection.get.parameters.map((x: Doc) => x.name);
    for (const q of ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'watch', 'allowWatchBookmarks', 'timeoutSeconds']) {
      assert.ok(names.includes(q), `${base} list lacks ${q}`);
    }
    assert.ok(collection.parameters.some((x: Doc) => x.name === 'pretty'));
    if (r.namespaced) {
      assert.ok(collection.parameters.some((x: Doc) => x.name === 'namespace' && x.in === 'path' && x.required));
      assert.equal(d.paths[`/${gvPath(r)}/${r.resource}`]?.get['x-kubernetes-action'], 'list');
    }
    if (r.subresources.includes('status')) assert.ok(d.paths[`${base}/{name}/status`]?.patch);
    if (r.subresources.includes('scale')) {
      assert.deepEqual(d.paths[`${base}/{name}/scale`]?.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
    }
    for (const m of ['post', 'put', 'patch']) {
      const op = m === 'post' ? collection.post : item[m];
      assert.deepEqual(
        op.parameters.map((x: Doc) => x.name).filter((n: string) => ['dryRun', 'fieldManager', 'fieldValidation'].includes(n)),
        ['dryRun', 'fieldManager', 'fieldValidation'],
      );
    }
    assert.ok(item.patch.parameters.some((x: Doc) => x.name === 'force'));
    assert.equal(item.patch.requestBody.content['application/strategic-merge-patch+json'].schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    assert.equal(collection.post.requestBody.content['*/*'].schema.$ref, `#/components/schemas/${r.model.name}`);
    assert.equal(collection.get.responses['200'].content['application/json'].schema.$ref, `#/components/schemas/${r.model.name}List`);
  }
});

test('kubectl field validation check: every PATCH op of a kind carries fieldValidation in the query', () => {
  // query_param_verifier_v3: the first path whose patch op has the GVK decides, so all of them must have it.
  for (const path of groupVersionPaths()) {
    const d = doc(path);
    let patches = 0;
    for (const item of Object.values(d.paths) as Doc[]) {
      if (!item.patch) continue;
      patches++;
      assert.ok(item.patch['x-kubernetes-group-version-kind']);
      assert.ok(
        item.patch.parameters.some((x: Doc) => x.name === 'fieldValidation' && x.in === 'query'),
        `${path}: ${item.patch.operationId} lacks fieldValidation`,
      );
    }
    assert.ok(patches > 0);
  }
});

test('every $ref resolves inside its own document, and every model name is used by one model only', () => {
  for (const path of groupVersionPaths()) {
    const d = doc(path);
    const schemas = d.components.schemas as Doc;
    for (const ref of new Set(refs(d))) {
      assert.ok(ref.startsWith('#/components/schemas/') && schemas[ref.slice('#/components/schemas/'.length)], `${path}: ${ref} does not resolve`);
    }
    const reach = collect(operationModels(RESOURCES.filter((r) => gvPath(r) === path).flatMap(resourcePaths)));
    assert.deepEqual(reach.conflicts, [], `${path}: conflicting model names`);
    for (const r of RESOURCES.filter((x) => gvPath(x) === path)) {
      const list = schemas[`${r.model.name}List`];
      assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: r.group, kind: r.listKind, version: r.version }]);
      assert.deepEqual(list.required, ['items']);
      assert.equal(list.properties.metadata.allOf[0].$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta');
    }
  }
  const v2 = openapiV2() as Doc;
  for (const ref of new Set(refs(v2))) {
    assert.ok(ref.startsWith('#/definitions/') && v2.definitions[ref.slice('#/definitions/'.length)], `v2: ${ref} does not resolve`);
  }
});

/** What kubectl explain does: GVK from the collection path's operations, schema by GVK, then properties/allOf/$ref/items. */
function explain(d: Doc, group: string, version: string, resource: string, fieldPath: string[]): Doc | undefined {
  const prefix = group ? `/apis/${group}` : '/api';
  const paths = [`${prefix}/${version}/${resource}`, `${prefix}/${version}/namespaces/{namespace}/${resource}`];
  const gvk = paths.flatMap((p) => ['get', 'post', 'put', 'patch', 'delete'].map((m) => d.paths[p]?.[m]?.['x-kubernetes-group-version-kind'])).find(Boolean);
  const schemas = d.components.schemas as Record<string, Doc>;
  let schema: Doc | undefined = Object.values(schemas).find((s) =>
    (s['x-kubernetes-group-version-kind'] ?? []).some((g: Doc) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind),
  );
  const resolve = (s: Doc): Doc => {
    if (s.$ref) return resolve(schemas[s.$ref.slice('#/components/schemas/'.length)] as Doc);
    if (s.allOf && !s.properties) return resolve(s.allOf[0]);
    if (s.items) return resolve(s.items);
    return s;
  };
  for (const field of fieldPath) {
    if (!schema) return undefined;
    schema = resolve(schema).properties?.[field];
  }
  return schema && resolve(schema);
}

test('kubectl explain deployment.spec.template.spec.containers finds the Container schema', () => {
  const d = doc('apis/apps/v1');
  const containers = explain(d, 'apps', 'v1', 'deployments', ['spec', 'template', 'spec', 'containers']);
  assert.ok(containers?.properties?.image, 'Container.image not found');
  assert.ok(containers?.properties?.name);
  const raw = d.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(raw['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(raw['x-kubernetes-patch-strategy'], 'merge');
  assert.ok(explain(doc('api/v1'), '', 'v1', 'pods', ['spec', 'containers', 'resources', 'limits']));
  assert.ok(explain(doc('apis/batch/v1'), 'batch', 'v1', 'cronjobs', ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'volumes']));
});

test('v2 has the same operations, with body parameters and fieldValidation', () => {
  const v2 = openapiV2() as Doc;
  assert.equal(v2.swagger, '2.0');
  const patch = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.ok(patch.parameters.some((x: Doc) => x.name === 'fieldValidation' && x.in === 'query' && x.type === 'string'));
  assert.deepEqual(patch.parameters.find((x: Doc) => x.in === 'body').schema, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' });
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  const create = v2.paths['/api/v1/namespaces/{namespace}/configmaps'].post;
  assert.equal(create.responses['201'].schema.$ref, '#/definitions/io.k8s.api.core.v1.ConfigMap');
  assert.deepEqual(v2.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string');
  for (const r of RESOURCES) {
    const base = `/${gvPath(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
    assert.ok(v2.paths[`${base}/{name}`]?.patch, `v2 lacks ${base}`);
  }
});

test('named scalars are published as upstream does in v3', () => {
  const s = doc('apis/apps/v1').components.schemas as Doc;
  assert.deepEqual(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.equal(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
  assert.deepEqual(s['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf, [{ type: 'string' }, { type: 'number' }]);
  assert.deepEqual(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
  const e = s['io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent'];
  assert.ok(e['x-kubernetes-group-version-kind'].some((g: Doc) => g.group === 'apps' && g.version === 'v1'));
});
