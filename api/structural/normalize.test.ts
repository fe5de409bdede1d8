import { test } from 'node:test';
import assert from 'node:assert/strict';
import { model, p, t } from '../schema/dsl.ts';
import { normalize } from './normalize.ts';

const Item = model('test.Item', 'An item.', { name: p(1, t.string(), 'Name.'), n: p(2, t.int32(), 'A number.') });
const Thing = model('test.Thing', 'A thing.', {
  items: p(1, t.array(t.ref(() => Item)), 'Items.'),
  names: p(2, t.array(t.string()), 'Names.'),
  labels: p(3, t.map(t.string()), 'Labels.'),
  limits: p(4, t.map(t.quantity()), 'Limits.'),
  request: p(5, t.quantity(), 'A request.'),
  child: p(6, t.ref(() => Item), 'A child.'),
  raw: p(7, t.any(), 'Anything.'),
});

test('nulls read as Go reads them into structs', () => {
  assert.deepEqual(normalize(Thing, { items: [null, { name: 'a', n: null }], names: [null, 'x'], labels: { a: null }, child: null, raw: { keep: null } }), {
    items: [{}, { name: 'a' }],
    names: ['', 'x'],
    labels: { a: '' },
    raw: { keep: null },
  });
});

test('quantities take their canonical form; what does not parse is left for validation', () => {
  assert.deepEqual(normalize(Thing, { limits: { cpu: '0.5', memory: '1.5Gi', other: 'bogus' }, request: 1 }), {
    limits: { cpu: '500m', memory: '1536Mi', other: 'bogus' },
    request: '1',
  });
});
