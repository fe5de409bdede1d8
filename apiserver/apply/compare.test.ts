import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from '../../api/schema/apps.ts';
import { compare } from './compare.ts';
import { pathString } from './path-element.ts';
import { modelRef } from './schema-type.ts';

const diff = (a: unknown, b: unknown) => {
  const c = compare(a, b, modelRef(Deployment));
  return { added: c.added.paths().map(pathString), removed: c.removed.paths().map(pathString), modified: c.modified.paths().map(pathString) };
};

describe('compare', () => {
  it('reports modified leaves and added or removed subtrees, maps and items included', () => {
    const before = { metadata: { labels: { a: '1' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'x', image: 'i' }] } } } };
    const after = { metadata: { labels: { a: '2' }, annotations: { n: 'v' } }, spec: { template: { spec: { containers: [{ name: 'y', image: 'i' }] } } } };
    assert.deepEqual(diff(before, after), {
      added: [
        '.metadata.annotations',
        '.metadata.annotations.n',
        '.spec.template.spec.containers[name="y"]',
        '.spec.template.spec.containers[name="y"].image',
        '.spec.template.spec.containers[name="y"].name',
      ],
      removed: [
        '.spec.replicas',
        '.spec.template.spec.containers[name="x"]',
        '.spec.template.spec.containers[name="x"].image',
        '.spec.template.spec.containers[name="x"].name',
      ],
      modified: ['.metadata.labels.a'],
    });
  });

  it('compares atomic values whole and treats empty maps as leaves', () => {
    assert.deepEqual(diff({ spec: { selector: { matchLabels: { a: '1' } } } }, { spec: { selector: { matchLabels: { a: '2' } } } }).modified, ['.spec.selector']);
    assert.deepEqual(diff({ spec: {} }, { spec: { strategy: {} } }).added, ['.spec.strategy']);
    assert.deepEqual(diff({ spec: { strategy: {} } }, { spec: { strategy: {} } }), { added: [], removed: [], modified: [] });
  });
});
