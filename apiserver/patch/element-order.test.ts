import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeElementOrder, partitionByPresence } from './element-order.ts';

const same = (item: unknown) => item;
const byName = (item: unknown) => (item as { name: string }).name;

describe('normalizeElementOrder', () => {
  it('puts a server-only item first only when it came before the patch item in the live list', () => {
    // live [a b c], patch [c a]: b (live 1) beats c (live 2), then the patch run follows.
    assert.deepEqual(normalizeElementOrder(['a', 'c'], ['b'], ['c', 'a'], ['a', 'b', 'c'], same), ['b', 'c', 'a']);
    // live [a b c], patch [b]: a (live 0) beats b (live 1), c (live 2) loses to b.
    assert.deepEqual(normalizeElementOrder(['b'], ['a', 'c'], ['b'], ['a', 'b', 'c'], same), ['a', 'b', 'c']);
  });

  it('puts items new to the list ahead of the server-only items', () => {
    assert.deepEqual(normalizeElementOrder(['n'], ['a', 'b'], ['n'], ['a', 'b'], same), ['n', 'a', 'b']);
  });

  it('sorts patch items by the patch order and compares objects by their key', () => {
    const [x, y, z] = [{ name: 'x' }, { name: 'y', v: 1 }, { name: 'z' }];
    assert.deepEqual(normalizeElementOrder([x, y], [z], [{ name: 'y' }, { name: 'x' }], [x, y, z], byName), [y, x, z]);
  });
});

describe('partitionByPresence', () => {
  it('splits by key, keeping the list order in both parts', () => {
    assert.deepEqual(partitionByPresence(['a', 'b', 'c', 'd'], ['d', 'b'], same), [
      ['b', 'd'],
      ['a', 'c'],
    ]);
  });
});
