import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from '../../api/schema/apps.ts';
import { merge } from './merge.ts';
import { modelRef, TypedValueError } from './schema-type.ts';

const ref = modelRef(Deployment);
const pod = (containers: object[], extra: object = {}) => ({ spec: { template: { spec: { containers, ...extra } } } });
const names = (v: unknown) => (v as { spec: { template: { spec: { containers: { name: string }[] } } } }).spec.template.spec.containers.map((c) => c.name);

describe('merge', () => {
  it('merges maps and keyed lists, the configuration winning; atomic values are replaced', () => {
    const live = {
      metadata: { name: 'w', labels: { a: '1', b: '2' } },
      spec: { replicas: 1, selector: { matchLabels: { a: '1', z: '9' } }, ...pod([{ name: 'c', image: 'old', args: ['x', 'y'], env: [{ name: 'E', value: '1' }] }]).spec },
    };
    const config = { metadata: { labels: { b: '3' } }, spec: { selector: { matchLabels: { a: '1' } }, ...pod([{ name: 'c', image: 'new', args: ['z'] }]).spec } };
    assert.deepEqual(merge(live, config, ref), {
      metadata: { name: 'w', labels: { a: '1', b: '3' } },
      spec: { replicas: 1, selector: { matchLabels: { a: '1' } }, template: { spec: { containers: [{ name: 'c', image: 'new', args: ['z'], env: [{ name: 'E', value: '1' }] }] } } },
    });
  });

  it('keeps the configuration order and live items where they were', () => {
    const live = pod([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    assert.deepEqual(names(merge(live, pod([{ name: 'c' }, { name: 'a' }]), ref)), ['b', 'c', 'a']);
    assert.deepEqual(names(merge(live, pod([{ name: 'd' }]), ref)), ['a', 'b', 'c', 'd']);
    // upstream's walk takes live items not in the configuration as it meets them
    assert.deepEqual(names(merge(live, pod([{ name: 'b' }, { name: 'd' }]), ref)), ['a', 'b', 'c', 'd']);
    assert.deepEqual(names(merge(live, pod([{ name: 'd' }, { name: 'b' }]), ref)), ['a', 'd', 'b', 'c']);
  });

  it('unions sets', () => {
    assert.deepEqual(merge({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c', 'a'] } }, ref), { metadata: { finalizers: ['c', 'a', 'b'] } });
  });

  it('refuses a configuration that repeats a key', () => {
    assert.throws(() => merge(pod([]), pod([{ name: 'a' }, { name: 'a' }]), ref), TypedValueError);
  });
});
