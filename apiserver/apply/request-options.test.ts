import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../errors.ts';
import { managerFromUserAgent, managerOptions } from './request-options.ts';

const q = (s: string) => new URLSearchParams(s);
const UA = 'kubectl/v1.33.0 (linux/amd64) kubernetes/abc';

function invalid(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 422);
    assert.equal(e.message, message);
    return true;
  });
}

describe('write options', () => {
  it('default the manager to the User-Agent product', () => {
    assert.equal(managerFromUserAgent(UA), 'kubectl');
    assert.equal(managerFromUserAgent('node-fetch'), 'node-fetch');
    assert.equal(managerFromUserAgent(undefined), '');
    assert.equal(managerFromUserAgent('a\u0007b/1'), 'ab');
    assert.equal(managerFromUserAgent('x'.repeat(200)).length, 128);
    assert.deepEqual(managerOptions(q(''), UA, 'CreateOptions'), { manager: 'kubectl', force: false });
    assert.deepEqual(managerOptions(q('fieldManager=kubectl-edit'), UA, 'PatchOptions'), { manager: 'kubectl-edit', force: false });
  });

  it('require a fieldManager for apply and read force', () => {
    invalid(() => managerOptions(q('force=false'), UA, 'PatchOptions', true), 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    assert.deepEqual(managerOptions(q('fieldManager=kubectl&force=true'), UA, 'PatchOptions', true), { manager: 'kubectl', force: true });
    assert.throws(() => managerOptions(q('fieldManager=k&force=yes'), UA, 'PatchOptions', true), (e: unknown) => e instanceof ApiError && e.code === 400);
  });

  it('refuse force on other patches and unprintable or long managers', () => {
    invalid(() => managerOptions(q('force=true'), UA, 'PatchOptions'), 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    invalid(() => managerOptions(q('fieldManager=a%07b'), UA, 'UpdateOptions'), 'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\u0007b": invalid character U+0007 (at position 1)');
    assert.throws(() => managerOptions(q(`fieldManager=${'m'.repeat(129)}`), UA, 'CreateOptions'), /CreateOptions\.meta\.k8s\.io "" is invalid: fieldManager: Too long/);
  });
});
