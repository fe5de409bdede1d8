import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from '../../api/schema/apps.ts';
import { FieldSet } from './field-set.ts';
import { ensureNamedFieldsAreMembers } from './named-fields.ts';
import { fieldElement as f, keyElement, pathString } from './path-element.ts';
import { removeItems } from './remove-items.ts';
import { modelRef } from './schema-type.ts';

const ref = modelRef(Deployment);
const c = (name: string) => keyElement([{ name: 'name', value: name }]);
const CONTAINERS = [f('spec'), f('template'), f('spec'), f('containers')];

describe('removeItems', () => {
  it('removes members with their subtrees and descends into children', () => {
    const obj = {
      metadata: { name: 'w', labels: { a: '1', b: '2' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'x', image: 'i', args: ['1'] }, { name: 'y' }] } } },
    };
    const out = removeItems(obj, FieldSet.of([f('metadata'), f('labels'), f('b')], [f('spec'), f('replicas')], [...CONTAINERS, c('x'), f('args')], [...CONTAINERS, c('y')]), ref);
    assert.deepEqual(out, { metadata: { name: 'w', labels: { a: '1' } }, spec: { template: { spec: { containers: [{ name: 'x', image: 'i' }] } } } });
    assert.deepEqual(obj.spec.replicas, 2, 'the input is not modified');
  });

  it('drops a map left empty, but keeps a struct whose fields became empty', () => {
    const out = removeItems({ metadata: { labels: { a: '1' } }, spec: { replicas: 1 } }, FieldSet.of([f('metadata'), f('labels'), f('a')], [f('spec'), f('replicas')]), ref);
    assert.deepEqual(out, { metadata: {} });
  });
});

describe('ensureNamedFieldsAreMembers', () => {
  it('adds the declared struct fields a set passes through, not map entries', () => {
    const s = FieldSet.of([f('metadata'), f('labels'), f('app')], [...CONTAINERS, c('x'), f('image')]);
    assert.deepEqual(ensureNamedFieldsAreMembers(s, ref).paths().map(pathString), [
      '.metadata',
      '.spec',
      '.metadata.labels',
      '.metadata.labels.app',
      '.spec.template',
      '.spec.template.spec',
      '.spec.template.spec.containers',
      '.spec.template.spec.containers[name="x"].image',
    ]);
  });
});
