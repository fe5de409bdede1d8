import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from '../../api/schema/apps.ts';
import { Service } from '../../api/schema/core/index.ts';
import { pathString } from './path-element.ts';
import { DEDUCED, modelRef, TypedValueError } from './schema-type.ts';
import { toFieldSet } from './to-field-set.ts';

const paths = (v: unknown, ref = modelRef(Deployment)) => toFieldSet(v, ref).paths().map(pathString);

describe('toFieldSet', () => {
  it('owns leaves, list items and map entries, not the structs on the way', () => {
    const d = {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'c', image: 'i', args: ['a', 'b'], ports: [{ containerPort: 80 }] }] } },
      },
    };
    assert.deepEqual(paths(d), [
      '.metadata.name',
      '.metadata.labels.app',
      '.spec.replicas',
      // LabelSelector is an atomic struct
      '.spec.selector',
      '.spec.template.spec.containers[name="c"]',
      // args is an atomic list; the port key takes protocol's default
      '.spec.template.spec.containers[name="c"].args',
      '.spec.template.spec.containers[name="c"].image',
      '.spec.template.spec.containers[name="c"].name',
      '.spec.template.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"]',
      '.spec.template.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
  });

  it('owns set items by value and atomic maps whole', () => {
    assert.deepEqual(paths({ metadata: { finalizers: ['a', 'b'] } }), ['.metadata.finalizers[="a"]', '.metadata.finalizers[="b"]']);
    assert.deepEqual(paths({ spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } }, modelRef(Service)), [
      '.spec.selector',
      '.spec.ports[port=80,protocol="TCP"]',
      '.spec.ports[port=80,protocol="TCP"].port',
    ]);
  });

  it('deduces maps as granular and lists as atomic without a schema', () => {
    assert.deepEqual(paths({ a: { b: 1, c: [1] } }, DEDUCED), ['.a', '.a.b', '.a.c']);
  });

  it('rejects a keyed list item without its key', () => {
    assert.throws(() => paths({ spec: { template: { spec: { containers: [{ image: 'i' }] } } } }), (e: unknown) => {
      assert.ok(e instanceof TypedValueError);
      assert.match(e.message, /^\.spec\.template\.spec\.containers: element 0: associative list with keys has an element that omits key field "name"/);
      return true;
    });
  });
});
