// Completion index parsing and the interval form of status.completedIndexes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionIndex, formatIndexes, parseIndexes } from './indexes.ts';

describe('completion indexes', () => {
  it('reads the index annotation, rejecting malformed values', () => {
    const pod = (v?: string) => {
      const annotations: Record<string, string> = v === undefined ? {} : { 'batch.kubernetes.io/job-completion-index': v };
      return { metadata: { annotations } };
    };
    assert.equal(completionIndex(pod('3')), 3);
    assert.equal(completionIndex(pod('0')), 0);
    for (const bad of [undefined, '', '-1', '01', 'x', '1.5']) assert.equal(completionIndex(pod(bad)), undefined, String(bad));
  });

  it('formats and parses intervals, dropping indexes past completions', () => {
    assert.equal(formatIndexes([4, 0, 2, 1, 7, 5]), '0-2,4-5,7');
    assert.equal(formatIndexes([]), '');
    assert.deepEqual([...parseIndexes('0-2,4-5,7', 6)].sort(), [0, 1, 2, 4, 5]);
    assert.deepEqual([...parseIndexes('', 3)], []);
  });
});
