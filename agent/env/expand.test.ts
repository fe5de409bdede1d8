// $(VAR) expansion against the cases of Kubernetes' expansion tests.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expand } from './expand.ts';

const vars: Record<string, string> = { VAR_A: 'A', VAR_B: 'B', VAR_C: 'C', VAR_REF: '$(VAR_A)', VAR_EMPTY: '' };
const lookup = (n: string): string | undefined => vars[n];

describe('expand', () => {
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['$(VAR_A)$(VAR_B)$(VAR_C)', 'ABC'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['$(VAR_EMPTY)', ''],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['foo\\$(VAR_A)', 'foo\\A'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$()', '$()'],
    ['$(VAR_A)$', 'A$'],
    ['$(', '$('],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(expand(input, lookup), want));
  }
});
