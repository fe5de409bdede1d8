import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldSet } from './field-set.ts';
import { fieldElement as f, keyElement, pathString } from './path-element.ts';
import type { Path } from './path-element.ts';

const k = (name: string) => keyElement([{ name: 'name', value: name }]);
const set = (...paths: Path[]) => FieldSet.of(...paths);
const strings = (s: FieldSet) => s.paths().map(pathString);

describe('FieldSet', () => {
  it('tracks members, not their parents, and never the empty path', () => {
    const s = set([f('spec'), f('replicas')], []);
    assert.ok(s.has([f('spec'), f('replicas')]));
    assert.ok(!s.has([f('spec')]));
    assert.ok(!s.has([]));
    assert.deepEqual(strings(s), ['.spec.replicas']);
    assert.ok(new FieldSet().isEmpty());
  });

  it('union, intersection and difference work level by level', () => {
    const a = set([f('a'), f('x')], [f('a'), f('y')], [f('b')]);
    const b = set([f('a'), f('y')], [f('a')], [f('c')]);
    assert.deepEqual(strings(a.union(b)), ['.a', '.b', '.c', '.a.x', '.a.y']);
    assert.deepEqual(strings(a.intersection(b)), ['.a.y']);
    // removing a parent member does not remove its children
    assert.deepEqual(strings(a.difference(b)), ['.b', '.a.x']);
  });

  it('recursiveDifference removes a member with everything below it', () => {
    const a = set([f('spec'), f('replicas')], [f('status'), f('replicas')], [f('status'), f('conditions')]);
    assert.deepEqual(strings(a.recursiveDifference(set([f('status')]))), ['.spec.replicas']);
  });

  it('onlyUnder keeps one subtree', () => {
    const a = set([f('spec'), f('replicas')], [f('spec'), f('paused')], [f('status'), f('replicas')]);
    assert.deepEqual(strings(a.onlyUnder([f('spec'), f('replicas')])), ['.spec.replicas']);
    assert.deepEqual(strings(a.onlyUnder([f('status')])), ['.status.replicas']);
  });

  it('serializes to FieldsV1 with "." for a member that has children, in element order', () => {
    const s = set(
      [f('spec'), f('replicas')],
      [f('metadata'), f('labels'), f('app')],
      [f('spec'), f('containers'), k('b')],
      [f('spec'), f('containers'), k('b'), f('image')],
      [f('spec'), f('containers'), k('a'), f('image')],
    );
    const v1 = s.toFieldsV1();
    assert.equal(
      JSON.stringify(v1),
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"a\\"}":{"f:image":{}},"k:{\\"name\\":\\"b\\"}":{".":{},"f:image":{}}},"f:replicas":{}}}',
    );
    assert.deepEqual(FieldSet.fromFieldsV1(v1).toFieldsV1(), v1);
    assert.deepEqual(strings(FieldSet.fromFieldsV1(v1)), strings(s));
  });

  it('parses FieldsV1 as upstream: an empty node is a member, unknown element kinds are dropped', () => {
    const s = FieldSet.fromFieldsV1({ 'f:a': {}, 'f:b': { 'f:c': {} }, 'f:d': { '.': {}, 'f:e': {} }, 'x:future': {} });
    assert.deepEqual(strings(s), ['.a', '.d', '.b.c', '.d.e']);
    assert.ok(FieldSet.fromFieldsV1({}).isEmpty());
    assert.throws(() => FieldSet.fromFieldsV1([]));
    assert.throws(() => FieldSet.fromFieldsV1({ 'f:a': 1 }));
  });

  it('hands out operands and memoized FieldsV1 only where the result is the same value', () => {
    const a = set([f('spec'), f('replicas')], [f('spec'), f('template'), f('x')]);
    const other = set([f('status'), f('phase')]);
    assert.equal(a.difference(other), a);
    assert.equal(a.difference(new FieldSet()), a);
    assert.deepEqual(strings(a.difference(set([f('spec'), f('replicas')]))), ['.spec.template.x']);
    assert.equal(a.union(new FieldSet()), a);
    assert.deepEqual(strings(a.union(other)), ['.spec.replicas', '.spec.template.x', '.status.phase']);
    const v1 = a.toFieldsV1();
    assert.equal(a.toFieldsV1(), v1);
    assert.ok(Object.isFrozen(v1));
    const text = JSON.stringify(v1);
    assert.equal(FieldSet.fromFieldsV1(JSON.parse(text)), FieldSet.fromFieldsV1(JSON.parse(text)));
    assert.deepEqual(strings(FieldSet.fromFieldsV1(JSON.parse(text))), strings(a));
  });
});
