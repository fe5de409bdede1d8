import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorAsMatcher, validateLabelSelector } from './labels.ts';

test('selector requirements: operators and their values', () => {
  assert.deepEqual(
    validateLabelSelector(
      {
        matchExpressions: [
          { key: 'tier', operator: 'In', values: [] },
          { key: 'tier', operator: 'Exists', values: ['x'] },
          { key: 'tier', operator: 'Near' },
          { key: 'tier', operator: 'NotIn', values: ['-bad'] },
        ],
      },
      'spec.selector',
    ).map((e) => [e.type, e.field, e.detail.split(' (e.g.')[0]]),
    [
      ['FieldValueRequired', 'spec.selector.matchExpressions[0].values', "must be specified when `operator` is 'In' or 'NotIn'"],
      ['FieldValueForbidden', 'spec.selector.matchExpressions[1].values', "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
      ['FieldValueInvalid', 'spec.selector.matchExpressions[2].operator', 'not a valid selector operator'],
      [
        'FieldValueInvalid',
        'spec.selector.matchExpressions[3].values[0]',
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      ],
    ],
  );
  assert.equal(validateLabelSelector({ matchLabels: { 'a b': 'x' } }, 's')[0].field, 's.matchLabels');
});

test('matching follows label selector semantics', () => {
  const m = labelSelectorAsMatcher({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['front', 'back'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
    ],
  })!;
  assert.equal(m.matches({ app: 'web', tier: 'front' }), true);
  assert.equal(m.matches({ app: 'web', tier: 'front', env: 'dev' }), false);
  assert.equal(m.matches({ app: 'web', tier: 'front', canary: '' }), false);
  assert.equal(m.matches({ app: 'api', tier: 'front' }), false);
  assert.equal(labelSelectorAsMatcher({})!.empty, true);
  assert.equal(labelSelectorAsMatcher(undefined)!.matches({}), false);
  assert.equal(labelSelectorAsMatcher({ matchExpressions: [{ key: 'a', operator: 'In' }] }), undefined);
});
