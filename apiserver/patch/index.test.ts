import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatch, isApplyPatch, patchMediaType, PatchError, SUPPORTED_PATCH_TYPES } from './index.ts';
import { Deployment, deepFreeze } from './test-models.ts';

const live = () =>
  deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } },
  });

function rejects(fn: () => unknown, code: number, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PatchError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

describe('applyPatch', () => {
  it('chooses the format by Content-Type, ignoring parameters and case', () => {
    const body = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } });
    const strategic = applyPatch('application/strategic-merge-patch+json; charset=utf-8', live(), body, Deployment);
    assert.deepEqual((strategic as ReturnType<typeof live>).spec.template.spec.containers, [
      { name: 'a', image: 'a:1' },
      { name: 'b', image: 'b:2' },
    ]);
    const merge = applyPatch('Application/Merge-Patch+JSON', live(), Buffer.from(body), Deployment);
    assert.deepEqual((merge as ReturnType<typeof live>).spec.template.spec.containers, [{ name: 'b', image: 'b:2' }]);
    const json = applyPatch('application/json-patch+json', live(), '[{"op":"replace","path":"/spec/replicas","value":4}]');
    assert.equal((json as ReturnType<typeof live>).spec.replicas, 4);
  });

  it('answers 415 for another type, listing the accepted ones as Kubernetes does', () => {
    rejects(
      () => applyPatch('application/json', live(), '{}'),
      415,
      /^the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/strategic-merge-patch\+json, application\/apply-patch\+yaml$/,
    );
    assert.equal(new PatchError(415, 'UnsupportedMediaType', 'x').toStatus().reason, 'UnsupportedMediaType');
  });

  it('leaves server-side apply to the caller', () => {
    assert.equal(isApplyPatch('application/apply-patch+yaml; charset=utf-8'), true);
    assert.equal(isApplyPatch('application/merge-patch+json'), false);
    assert.ok(SUPPORTED_PATCH_TYPES.includes('application/apply-patch+yaml'));
    assert.throws(() => applyPatch('application/apply-patch+yaml', live(), '{}'), /handled by the caller/);
  });

  it('answers 400 for a body that is not JSON', () => {
    for (const type of ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']) {
      rejects(() => applyPatch(type, live(), '{"spec":'), 400, /^error decoding patch: /);
      rejects(() => applyPatch(type, live(), ''), 400, /^error decoding patch: /);
    }
  });

  it('answers 400 for a merge patch that is not an object', () => {
    rejects(() => applyPatch('application/merge-patch+json', live(), '[1]'), 400, /cannot unmarshal array into Go value of type map/);
    rejects(() => applyPatch('application/merge-patch+json', live(), 'null'), 400, /^Invalid JSON Patch$/);
  });

  it('answers 422 when a JSON patch leaves something other than an object', () => {
    rejects(() => applyPatch('application/json-patch+json', live(), '[{"op":"replace","path":"","value":[1]}]'), 422, /rejected our request/);
  });

  it('normalizes a Content-Type to its media type', () => {
    assert.equal(patchMediaType(' Application/JSON-Patch+JSON ; charset=UTF-8'), 'application/json-patch+json');
  });
});
