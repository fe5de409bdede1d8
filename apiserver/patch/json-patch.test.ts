import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';
import { GENERIC_INVALID, PatchError } from './patch-error.ts';
import { deepFreeze } from './test-models.ts';

const doc = () =>
  deepFreeze({
    metadata: { name: 'web', annotations: { 'a/b': '1' } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } } },
  });

function rejects(ops: unknown, code: number, detail: RegExp): void {
  assert.throws(
    () => applyJsonPatch(doc(), deepFreeze(ops)),
    (e: unknown) => {
      assert.ok(e instanceof PatchError, String(e));
      assert.equal(e.code, code);
      if (code === 422) {
        assert.equal(e.reason, 'Invalid');
        assert.equal(e.message, GENERIC_INVALID);
      }
      assert.match([e.message, ...(e.details?.causes ?? []).map((c) => c.message)].join('\n'), detail);
      return true;
    },
  );
}

describe('applyJsonPatch', () => {
  it('applies add, remove, replace, move, copy and test in sequence', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels', value: { app: 'web' } },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'log', image: 'busybox' } },
      { op: 'copy', from: '/metadata/labels', path: '/spec/template/metadata' },
      { op: 'move', from: '/metadata/annotations/a~1b', path: '/metadata/annotations/c' },
      { op: 'remove', path: '/spec/template/spec/containers/0' },
    ]);
    assert.deepEqual(out, {
      metadata: { name: 'web', annotations: { c: '1' }, labels: { app: 'web' } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'log', image: 'busybox' }] }, metadata: { app: 'web' } } },
    });
  });

  it('is what kubectl rollout undo sends', () => {
    const template = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:0' }] } };
    const out = applyJsonPatch(doc(), [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '2' } },
    ]) as { spec: { template: unknown }; metadata: { annotations: unknown } };
    assert.deepEqual(out.spec.template, template);
    assert.deepEqual(out.metadata.annotations, { 'deployment.kubernetes.io/revision': '2' });
  });

  it('replaces a member an object lacks by adding it, as Kubernetes (evanphx/json-patch v4) does', () => {
    const out = applyJsonPatch(doc(), [{ op: 'replace', path: '/metadata/labels', value: { app: 'web' } }]) as { metadata: unknown };
    assert.deepEqual(out.metadata, { name: 'web', annotations: { 'a/b': '1' }, labels: { app: 'web' } });
    rejects([{ op: 'replace', path: '/spec/template/spec/containers/5', value: {} }], 422, /missing path/);
    rejects([{ op: 'replace', path: '/nope/labels', value: {} }], 422, /replace operation does not apply: doc is missing path: \/nope\/labels/);
  });

  it('is atomic: a failing operation leaves nothing applied, and the input is never touched', () => {
    const input = { spec: { replicas: 1 } };
    assert.throws(() =>
      applyJsonPatch(input, [
        { op: 'replace', path: '/spec/replicas', value: 5 },
        { op: 'test', path: '/spec/replicas', value: 1 },
      ]),
    );
    assert.deepEqual(input, { spec: { replicas: 1 } });
    const value = { app: 'web' };
    const out = applyJsonPatch(input, [{ op: 'add', path: '/labels', value }]) as { labels: Record<string, string> };
    out.labels.app = 'changed';
    assert.equal(value.app, 'web');
  });

  it('answers 422 Invalid with the generic message when an operation cannot be applied', () => {
    rejects([{ op: 'test', path: '/spec/replicas', value: 3 }], 422, /testing value \/spec\/replicas failed/);
    rejects([{ op: 'remove', path: '/spec/paused' }], 422, /remove operation does not apply: doc is missing path: \/spec\/paused/);
    rejects([{ op: 'add', path: '/spec/missing/x', value: 1 }], 422, /add operation does not apply/);
    rejects([{ op: 'add', path: '/spec/template/spec/containers/7', value: {} }], 422, /invalid index/);
    rejects([{ op: 'move', from: '/nope', path: '/x' }], 422, /missing from path: \/nope/);
    rejects([{ op: 'add', path: '/__proto__/x', value: 1 }], 422, /__proto__/);
  });

  it('checks every operation before applying any', () => {
    rejects([{ op: 'replace', path: '/spec/replicas', value: 1 }, { op: 'frob', path: '/x' }], 422, /Unexpected kind: frob/);
    rejects([{ path: '/x', value: 1 }], 422, /Unexpected kind: unknown/);
    rejects([{ op: 'constructor', path: '/x' }], 422, /Unexpected kind: constructor/);
    rejects([{ op: 'add', value: 1 }], 422, /add operation failed to decode path/);
    rejects([{ op: 'add', path: 'spec', value: 1 }], 422, /failed to decode path/);
    rejects([{ op: 'copy', path: '/x' }], 422, /failed to decode from/);
    rejects([{ op: 'replace', path: '/spec/replicas' }], 422, /missing its value/);
  });

  it('answers 400 BadRequest for a body that is not a list of operations', () => {
    rejects({ op: 'add' }, 400, /json: cannot unmarshal object into Go value of type jsonpatch.Patch/);
    rejects([1], 400, /cannot unmarshal number into Go value of type jsonpatch.Operation/);
  });

  it('answers 413 above 10000 operations, and treats null as an empty patch', () => {
    const many = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/spec/replicas', value: 2 }));
    rejects(many, 413, /The allowed maximum operations in a JSON patch is 10000, got 10001/);
    assert.deepEqual(applyJsonPatch(doc(), null), doc());
  });
});
