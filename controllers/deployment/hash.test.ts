// The pod-template-hash: FNV-32a, the safe encoding, stability, and the
// normalisation that makes kubectl rollout undo's template equal to the
// stored one.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeHash, equalIgnoreHash, fnv32a, normalize, safeEncodeString } from './hash.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const tpl = () => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }], restartPolicy: 'Always' },
});

describe('pod-template-hash', () => {
  it('is FNV-32a (published test vectors) encoded in the safe alphabet', () => {
    assert.equal(fnv32a(enc('')), 0x811c9dc5);
    assert.equal(fnv32a(enc('a')), 0xe40c292c);
    assert.equal(fnv32a(enc('foobar')), 0xbf9cf968);
    // rand.SafeEncodeString maps each byte into "bcdfghjklmnpqrstvwxz2456789".
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  });

  it('is stable, a valid label value, and changes with the template and the collisionCount', () => {
    const h = computeHash(tpl());
    assert.equal(h, computeHash(tpl()));
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    const other = tpl();
    other.spec.containers[0]!.image = 'nginx:1.26';
    assert.notEqual(computeHash(other), h);
    assert.notEqual(computeHash(tpl(), 1), h);
    assert.notEqual(computeHash(tpl(), 1), computeHash(tpl(), 2));
    // Key order does not matter.
    const reordered = { spec: tpl().spec, metadata: tpl().metadata };
    assert.equal(computeHash(reordered), h);
  });

  it('treats the template kubectl rollout undo sends as equal to the stored one', () => {
    const stored = tpl();
    (stored.metadata.labels as Record<string, string>)['pod-template-hash'] = '5d8f9c7b6';
    const undo = {
      metadata: { creationTimestamp: null, labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }], restartPolicy: 'Always' },
    };
    assert.ok(equalIgnoreHash(stored, undo));
    const changed = structuredClone(undo);
    changed.spec.containers[0]!.image = 'nginx:1.26';
    assert.ok(!equalIgnoreHash(stored, changed));
  });

  it('normalises like Go zero values but keeps list elements and explicit false and 0', () => {
    assert.deepEqual(normalize({ a: null, b: '', c: {}, d: [], e: { f: {} }, g: false, h: 0, args: ['', 'x'], list: [{}] }), {
      args: ['', 'x'],
      g: false,
      h: 0,
      list: [{}],
    });
  });
});
