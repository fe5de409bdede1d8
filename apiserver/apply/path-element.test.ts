import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareElements, elementString, fieldElement, keyElement, parseElement, pathString, serializeElement } from './path-element.ts';
import type { PathElement } from './path-element.ts';

describe('path elements', () => {
  it('serialize to the FieldsV1 forms, keys sorted by name', () => {
    assert.equal(serializeElement(fieldElement('spec')), 'f:spec');
    assert.equal(
      serializeElement(keyElement([{ name: 'protocol', value: 'TCP' }, { name: 'containerPort', value: 80 }])),
      'k:{"containerPort":80,"protocol":"TCP"}',
    );
    assert.equal(serializeElement({ value: 'foregroundDeletion' }), 'v:"foregroundDeletion"');
    assert.equal(serializeElement({ index: 3 }), 'i:3');
  });

  it('parse back what they serialize; unknown kinds are skipped, malformed ones throw', () => {
    for (const pe of [fieldElement('a.b/c'), keyElement([{ name: 'name', value: 'x' }]), { value: 5 }, { index: 0 }] as PathElement[]) {
      assert.deepEqual(parseElement(serializeElement(pe)), pe);
    }
    assert.equal(parseElement('z:whatever'), undefined);
    assert.throws(() => parseElement('k:[1]'));
    assert.throws(() => parseElement('v:{'));
    assert.throws(() => parseElement('i:-1'));
  });

  it('print as upstream prints paths in conflicts', () => {
    assert.equal(
      pathString([fieldElement('spec'), fieldElement('containers'), keyElement([{ name: 'name', value: 'nginx' }]), fieldElement('image')]),
      '.spec.containers[name="nginx"].image',
    );
    assert.equal(elementString(keyElement([{ name: 'port', value: 80 }, { name: 'protocol', value: 'TCP' }])), '[port=80,protocol="TCP"]');
    assert.equal(elementString({ value: 'x' }), '[="x"]');
    assert.equal(elementString({ index: 2 }), '[2]');
  });

  it('order fields, then keys, then values, then indices; numbers before strings', () => {
    const pes: PathElement[] = [{ index: 1 }, { value: 'a' }, { value: 2 }, keyElement([{ name: 'name', value: 'b' }]), fieldElement('z'), fieldElement('a')];
    assert.deepEqual(pes.sort(compareElements).map(serializeElement), ['f:a', 'f:z', 'k:{"name":"b"}', 'v:2', 'v:"a"', 'i:1']);
    assert.ok(compareElements(keyElement([{ name: 'a', value: 1 }]), keyElement([{ name: 'a', value: 1 }, { name: 'b', value: 1 }])) < 0);
  });
});
