import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMergePatch } from './merge-patch.ts';
import { deepFreeze } from './test-models.ts';

const merge = (target: unknown, patch: unknown) => applyMergePatch(deepFreeze(target), deepFreeze(patch));

describe('applyMergePatch (RFC 7386)', () => {
  it('passes the examples of RFC 7386 appendix A', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, result] of cases) assert.deepEqual(merge(target, patch), result, JSON.stringify({ target, patch }));
  });

  it('is what kubectl scale and kubectl label rely on', () => {
    const live = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, template: {} } };
    assert.deepEqual(merge(live, { spec: { replicas: 3 } }), { ...live, spec: { replicas: 3, template: {} } });
    assert.deepEqual(merge(live, { metadata: { labels: { app: null, env: 'prod' } } }), { ...live, metadata: { name: 'web', labels: { env: 'prod' } } });
  });

  it('returns a value that shares nothing with its inputs', () => {
    const target = { a: { b: [1] }, keep: { x: 1 } };
    const patch = { c: { d: [2] } };
    const out = applyMergePatch(target, patch) as { a: { b: number[] }; keep: { x: number }; c: { d: number[] } };
    out.a.b.push(9);
    out.keep.x = 9;
    out.c.d.push(9);
    assert.deepEqual(target, { a: { b: [1] }, keep: { x: 1 } });
    assert.deepEqual(patch, { c: { d: [2] } });
  });

  it('sets a "__proto__" member as data, never as the prototype', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
