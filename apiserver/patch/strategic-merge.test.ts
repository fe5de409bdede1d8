import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Model } from '../../api/schema/dsl.ts';
import { PatchError } from './patch-error.ts';
import { strategicMergePatch } from './strategic-merge.ts';
import { Deployment, PodSpec, deepFreeze } from './test-models.ts';

/** Applies with frozen inputs, so any write to them throws. */
function smp(original: object, patch: unknown, model: Model | undefined = Deployment): unknown {
  return strategicMergePatch(deepFreeze(original), deepFreeze(patch), model);
}

function throwsPatchError(fn: () => unknown, code: number, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PatchError, `expected a PatchError, got ${String(e)}`);
    assert.equal(e.code, code);
    const text = [e.message, ...(e.details?.causes ?? []).map((c) => c.message ?? '')].join('\n');
    assert.match(text, message);
    return true;
  });
}

const spec = (podSpec: object) => ({ spec: { template: { spec: podSpec } } });
const containersOf = (out: unknown) => (out as { spec: { template: { spec: { containers: { name: string }[] } } } }).spec.template.spec.containers;
const names = (out: unknown) => containersOf(out).map((c) => c.name);

describe('strategic merge patch: maps', () => {
  it('merges maps recursively; null deletes a key; a null for an absent key adds nothing', () => {
    const out = smp(
      { metadata: { name: 'web', labels: { app: 'web', tier: 'front' } }, spec: { replicas: 2 } },
      { metadata: { labels: { tier: null, team: 'a' }, annotations: null }, spec: { replicas: null } },
    );
    assert.deepEqual(out, { metadata: { name: 'web', labels: { app: 'web', team: 'a' } }, spec: {} });
  });

  it('replaces a map whole with $patch: replace', () => {
    const out = smp(spec({ nodeSelector: { disk: 'ssd', zone: 'a' } }), spec({ nodeSelector: { $patch: 'replace', zone: 'b' } }));
    assert.deepEqual(out, spec({ nodeSelector: { zone: 'b' } }));
  });

  it('empties a map with $patch: delete, as upstream does, and adds nothing when the map is absent', () => {
    assert.deepEqual(smp(spec({ nodeSelector: { disk: 'ssd' } }), spec({ nodeSelector: { $patch: 'delete' } })), spec({ nodeSelector: {} }));
    assert.deepEqual(smp(spec({}), spec({ nodeSelector: { $patch: 'delete' } })), spec({}));
  });

  it('rejects an unknown $patch value on a map', () => {
    throwsPatchError(() => smp(spec({}), spec({ nodeSelector: { $patch: 'frobnicate' } })), 400, /unknown patch type: frobnicate/);
  });

  it('replaces a field whose patchStrategy is replace instead of merging it', () => {
    const out = smp(spec({ dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a'] } }), spec({ dnsConfig: { searches: ['b'] } }));
    assert.deepEqual(out, spec({ dnsConfig: { searches: ['b'] } }));
  });

  it('takes a patch value of another type whole, without its directives or nulls', () => {
    const out = smp(
      { metadata: { labels: 'oops' } },
      { metadata: { labels: { $retainKeys: ['a'], a: '1', b: null } } },
    );
    assert.deepEqual(out, { metadata: { labels: { a: '1' } } });
  });

  it('returns a copy that shares nothing with its inputs', () => {
    const original = { metadata: { labels: { a: '1' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    const patch = { metadata: { annotations: { b: '2' } } };
    const out = strategicMergePatch(original, patch, Deployment) as typeof original & typeof patch;
    out.metadata.labels.a = 'changed';
    out.spec.template.spec.containers[0]!.image = 'changed';
    out.metadata.annotations.b = 'changed';
    assert.equal(original.metadata.labels.a, '1');
    assert.equal(original.spec.template.spec.containers[0]!.image, 'x');
    assert.equal(patch.metadata.annotations.b, '2');
  });

  it('treats a null patch as empty, like upstream, and rejects a patch that is not an object', () => {
    assert.deepEqual(smp({ spec: { replicas: 1 } }, null), { spec: { replicas: 1 } });
    throwsPatchError(() => smp({}, [{ op: 'add' }]), 400, /cannot unmarshal array into Go value of type map/);
    throwsPatchError(() => smp({}, 'x'), 400, /cannot unmarshal string/);
    assert.throws(() => strategicMergePatch([], {}, Deployment), TypeError);
  });
});

describe('strategic merge patch: merge lists of objects', () => {
  const live = spec({
    containers: [
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, name: 'http' }] },
      { name: 'sidecar', image: 'proxy:1' },
    ],
  });

  it('merges elements by merge key, recursively (env by name, ports by containerPort)', () => {
    const out = smp(live, spec({ containers: [{ name: 'app', env: [{ name: 'B', value: 'two' }], ports: [{ containerPort: 80, protocol: 'TCP' }] }] }));
    assert.deepEqual(
      out,
      spec({
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }], ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      }),
    );
  });

  it('adds a new element ahead of the server-only ones when there is no $setElementOrder (upstream order)', () => {
    const out = smp(live, spec({ containers: [{ name: 'debug', image: 'busybox' }] }));
    assert.deepEqual(names(out), ['debug', 'app', 'sidecar']);
  });

  it('keeps the patch order for patched elements and the live position of the others', () => {
    // Upstream test "preserve the order from the patch in a merging list 2".
    const out = smp(
      spec({ containers: [{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }] }),
      spec({ containers: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }] }),
    );
    assert.deepEqual(out, spec({ containers: [{ name: '2', image: 'b' }, { name: '3', image: 'c' }, { name: '1', image: 'a' }] }));
  });

  it('removes every element with the key of a {$patch: delete} element', () => {
    const out = smp(
      spec({ containers: [{ name: '1' }, { name: '1' }, { name: '2', image: 'a' }, { name: '3' }, { name: '3' }] }),
      spec({ containers: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }, { name: 'missing', $patch: 'delete' }] }),
    );
    assert.deepEqual(out, spec({ containers: [{ name: '2', image: 'a' }] }));
  });

  it('replaces the whole list when an element is {$patch: replace}', () => {
    const out = smp(live, spec({ containers: [{ $patch: 'replace' }, { name: 'only', image: 'x', env: [{ name: 'Z', value: null }] }] }));
    assert.deepEqual(out, spec({ containers: [{ name: 'only', image: 'x', env: [{ name: 'Z' }] }] }));
    assert.deepEqual(smp(live, spec({ containers: [{ $patch: 'replace' }] })), spec({ containers: [] }));
  });

  it('applies directives to a list the object does not have yet (upstream "nested patch merge with empty list")', () => {
    const out = smp(spec({}), spec({ containers: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }] }));
    assert.deepEqual(out, spec({ containers: [{ name: 'hello' }] }));
  });

  it('strips directives and nulls from a new element', () => {
    const out = smp(live, spec({ containers: [{ name: 'new', image: null, env: [{ name: 'X', value: 'x' }, { name: 'Y', $patch: 'delete' }], resources: { $patch: 'delete' } }] }));
    assert.deepEqual(containersOf(out)[0], { name: 'new', env: [{ name: 'X', value: 'x' }] });
  });

  it('rejects elements without the merge key, bad $patch values, non-objects and lists of lists', () => {
    throwsPatchError(() => smp(live, spec({ containers: [{ image: 'x' }] })), 400, /does not contain declared merge key: name/);
    throwsPatchError(() => smp(live, spec({ containers: [{ $patch: 'delete', image: 'x' }] })), 400, /does not contain declared merge key: name/);
    throwsPatchError(() => smp(live, spec({ containers: [{ $patch: 'merge' }] })), 400, /merging lists cannot yet be specified in the patch/);
    throwsPatchError(() => smp(live, spec({ containers: [{ $patch: 'sideways', name: 'app' }] })), 400, /unknown patch type: sideways/);
    throwsPatchError(() => smp(live, spec({ containers: ['app'] })), 400, /expected a map, but received a string/);
    throwsPatchError(() => smp(live, spec({ containers: [['app']] })), 422, /lists of lists are not supported/);
  });
});

describe('strategic merge patch: merge lists of primitives', () => {
  const meta = (finalizers: unknown) => ({ metadata: { finalizers } });

  it('merges as an ordered set', () => {
    assert.deepEqual(smp(meta(['a', 'b']), meta(['b', 'c'])), meta(['a', 'b', 'c']));
    assert.deepEqual(smp(meta(['a', 'b', 'c']), meta(['c', 'a'])), meta(['b', 'c', 'a']));
    assert.deepEqual(smp(meta(['a', 'b']), meta(['n'])), meta(['n', 'a', 'b']));
    assert.deepEqual(smp({ metadata: {} }, meta(['a', 'a'])), meta(['a']));
  });

  it('removes values listed in $deleteFromPrimitiveList, every copy of them', () => {
    const out = smp(meta(['a', 'b', 'b', 'c']), { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'x'] } });
    assert.deepEqual(out, meta(['a', 'c']));
  });

  it('does not create a list from a deletion list alone', () => {
    assert.deepEqual(smp({ metadata: { name: 'x' } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }), { metadata: { name: 'x' } });
  });

  it('adds, deletes and orders in one patch (upstream "add and delete items in lists of scalars")', () => {
    const out = smp(meta(['1', '2', '3', '4']), {
      metadata: { '$setElementOrder/finalizers': ['1', '2', '4'], '$deleteFromPrimitiveList/finalizers': ['3'], finalizers: ['4'] },
    });
    assert.deepEqual(out, meta(['1', '2', '4']));
  });

  it('rejects mixed element types and a malformed directive key', () => {
    throwsPatchError(() => smp(meta(['a']), meta([1])), 400, /list element types are not identical/);
    throwsPatchError(() => smp(meta(['a']), { metadata: { $deleteFromPrimitiveList: ['a'] } }), 400, /invalid patch format of primitive list/);
  });
});

describe('strategic merge patch: lists without merge strategy', () => {
  it('replaces atomic lists (tolerations, args) whole', () => {
    const out = smp(
      spec({ tolerations: [{ key: 'a', operator: 'Exists' }], containers: [{ name: 'c', args: ['--a', '--b'] }] }),
      spec({ tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'c', args: ['--c'] }] }),
    );
    assert.deepEqual(out, spec({ tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'c', args: ['--c'] }] }));
  });

  it('drops directive elements and nulls from a replaced list', () => {
    const out = smp(spec({ tolerations: [{ key: 'a' }] }), spec({ tolerations: [{ key: 'b', effect: null }, { $patch: 'delete', key: 'a' }] }));
    assert.deepEqual(out, spec({ tolerations: [{ key: 'b' }] }));
  });

  it('removes values with $deleteFromPrimitiveList even without merge strategy, as upstream', () => {
    const out = smp(spec({ containers: [{ name: 'c', args: ['1', '2', '3'] }] }), spec({ containers: [{ name: 'c', '$deleteFromPrimitiveList/args': ['2'] }] }));
    assert.deepEqual(out, spec({ containers: [{ name: 'c', args: ['1', '3'] }] }));
  });
});

describe('strategic merge patch: $setElementOrder', () => {
  it('orders the merged list; server-only elements keep their live position (upstream "merge lists of maps")', () => {
    const out = smp(spec({ containers: [{ name: '1', image: 'a' }, { name: '2', image: '2', args: ['b'] }] }), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
            containers: [{ name: '4', image: '4' }, { name: '3', image: '3' }],
          },
        },
      },
    });
    assert.deepEqual(
      out,
      spec({ containers: [{ name: '4', image: '4' }, { name: '1', image: 'a' }, { name: '2', image: '2', args: ['b'] }, { name: '3', image: '3' }] }),
    );
  });

  it('interleaves elements the order does not mention by their live position', () => {
    const out = smp(spec({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }), {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }] } } },
    });
    assert.deepEqual(names(out), ['b', 'c', 'a']);
  });

  it('ignores order entries that are in neither list (upstream "$setElementOrder contains item that is not present")', () => {
    const out = smp(spec({ containers: [{ name: '1' }, { name: '3' }] }), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }],
            containers: [{ name: '3', image: '3' }, { name: '1', image: '1' }],
          },
        },
      },
    });
    assert.deepEqual(out, spec({ containers: [{ name: '3', image: '3' }, { name: '1', image: '1' }] }));
    const ints = smp({ metadata: { finalizers: ['1', '3'] } }, { metadata: { '$setElementOrder/finalizers': ['3', '2', '1'] } });
    assert.deepEqual(ints, { metadata: { finalizers: ['3', '1'] } });
  });

  it('creates the list when only the patch has it', () => {
    const out = smp(spec({}), {
      spec: {
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'x' }, { name: 'a' }], containers: [{ name: 'b' }, { name: 'a', image: null }] },
        },
      },
    });
    assert.deepEqual(out, spec({ containers: [{ name: 'b' }, { name: 'a' }] }));
  });

  it('rejects an order that contradicts the patch list, entries without the merge key and a non-list', () => {
    const live = spec({ containers: [{ name: '1' }, { name: '2' }, { name: '3' }] });
    const order = (setOrder: unknown, containers: unknown[]) => ({ spec: { template: { spec: { '$setElementOrder/containers': setOrder, containers } } } });
    throwsPatchError(() => smp(live, order([{ name: '1' }, { name: '2' }, { name: '3' }], [{ name: '3' }, { name: '1' }])), 400, /doesn't match \$setElementOrder list/);
    throwsPatchError(() => smp(live, order([{ image: 'x' }], [])), 400, /does not contain declared merge key: name/);
    throwsPatchError(() => smp(live, order('x', [])), 400, /invalid patch format of setElementOrder list/);
    throwsPatchError(() => smp(live, { spec: { template: { spec: { $setElementOrder: [] } } } }), 400, /invalid patch format of setElementOrder list/);
  });

  it('drops the directive on a list without merge strategy, which the patch then replaces', () => {
    const out = smp(spec({ tolerations: [{ key: 'a' }, { key: 'b' }] }), {
      spec: { template: { spec: { '$setElementOrder/tolerations': [{ key: 'b' }], tolerations: [{ key: 'c' }] } } },
    });
    assert.deepEqual(out, spec({ tolerations: [{ key: 'c' }] }));
  });
});

describe('strategic merge patch: $retainKeys', () => {
  it('switches a volume source: keys not retained are cleared (volumes are merge,retainKeys)', () => {
    const out = smp(spec({ volumes: [{ name: 'data', emptyDir: {} }, { name: 'other', emptyDir: { medium: 'Memory' } }] }), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }, { name: 'other' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'settings' }, emptyDir: null }],
          },
        },
      },
    });
    assert.deepEqual(out, spec({ volumes: [{ name: 'data', configMap: { name: 'settings' } }, { name: 'other', emptyDir: { medium: 'Memory' } }] }));
  });

  it('switches a Deployment strategy from RollingUpdate to Recreate', () => {
    const out = smp(
      { spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } },
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    );
    assert.deepEqual(out, { spec: { replicas: 1, strategy: { type: 'Recreate' } } });
  });

  it('rejects a patch that sets a key its $retainKeys does not list, and a $retainKeys that is not a list', () => {
    throwsPatchError(() => smp({ spec: { strategy: {} } }, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }), 400, /invalid patch format of retainKeys/);
    throwsPatchError(() => smp({ spec: { strategy: {} } }, { spec: { strategy: { $retainKeys: 'type' } } }), 400, /invalid patch format of retainKeys/);
  });
});

describe('strategic merge patch: parts without a model', () => {
  it('merges maps and replaces lists in a field typed any', () => {
    const out = smp(
      { status: { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] } },
      { status: { conditions: [{ type: 'Progressing', status: 'True' }], observedGeneration: 2 } },
    );
    assert.deepEqual(out, { status: { replicas: 1, conditions: [{ type: 'Progressing', status: 'True' }], observedGeneration: 2 } });
  });

  it('treats fields the model does not know like a merge patch, directives included', () => {
    const out = smp({ spec: { extra: { a: 1, list: [1, 2] } } }, { spec: { extra: { a: null, b: 2, list: [3], nested: { $patch: 'replace', x: 1 } } } });
    assert.deepEqual(out, { spec: { extra: { b: 2, list: [3], nested: { x: 1 } } } });
  });

  it('works without any model, containers being replaced then', () => {
    const out = strategicMergePatch(spec({ containers: [{ name: 'a' }, { name: 'b' }] }), spec({ containers: [{ name: 'b', image: 'x' }] }), undefined);
    assert.deepEqual(out, spec({ containers: [{ name: 'b', image: 'x' }] }));
  });

  it('patches a value of a sub-model directly', () => {
    const out = smp({ containers: [{ name: 'a', image: '1' }] }, { containers: [{ name: 'a', image: '2' }] }, PodSpec);
    assert.deepEqual(out, { containers: [{ name: 'a', image: '2' }] });
  });
});
