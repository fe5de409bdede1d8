// The upstream reply cache: TTLs from the records (negative ones from the
// SOA), at most 30 s, counted down on each hit; truncated and failed replies
// are not kept.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type Answer, type SoaAnswer, type StringAnswer } from 'dns-packet';
import { ReplyCache } from './cache.ts';

function reply(rcode: number, answers: Answer[], authorities: Answer[] = [], flags = 0): Buffer {
  return dnsPacket.encode({ type: 'response', id: 1, flags: flags | rcode, questions: [{ type: 'A', name: 'x.test' }], answers, authorities, additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232 } as Answer] });
}

const soa = (ttl: number, minimum: number): Answer => ({ type: 'SOA', name: 'test', ttl, data: { mname: 'ns.test', rname: 'h.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum } });

describe('ReplyCache', () => {
  it('keeps a positive reply for its smallest TTL, counting TTLs down, with the asker’s ID', () => {
    let now = 0;
    const cache = new ReplyCache(() => now);
    const key = ReplyCache.key('X.test', 'A', 'IN', true);
    cache.put(key, reply(0, [{ type: 'A', name: 'x.test', ttl: 20, data: '192.0.2.1' }, { type: 'A', name: 'x.test', ttl: 8, data: '192.0.2.2' }]));
    now = 3_500;
    const hit = dnsPacket.decode(cache.get(ReplyCache.key('x.TEST', 'A', 'IN', true), 777)!);
    assert.equal(hit.id, 777);
    assert.deepEqual(hit.answers!.map((r) => (r as StringAnswer).ttl), [17, 5]);
    assert.equal(cache.get(ReplyCache.key('x.test', 'A', 'IN', false), 1), undefined);
    now = 8_000;
    assert.equal(cache.get(key, 1), undefined);
  });

  it('keeps NXDOMAIN and NODATA for the SOA minimum, never beyond 30 s', () => {
    let now = 0;
    const cache = new ReplyCache(() => now);
    cache.put('nx', reply(3, [], [soa(3600, 900)]));
    cache.put('nodata', reply(0, [], [soa(10, 900)]));
    now = 9_000;
    assert.ok(cache.get('nx', 1));
    assert.ok(cache.get('nodata', 1));
    assert.equal((dnsPacket.decode(cache.get('nx', 1)!).authorities![0] as SoaAnswer).ttl, 3591);
    now = 10_000;
    assert.equal(cache.get('nodata', 1), undefined);
    now = 30_000;
    assert.equal(cache.get('nx', 1), undefined);
  });

  it('does not keep truncated replies, failures, negative replies without an SOA, or zero TTLs', () => {
    const cache = new ReplyCache(() => 0);
    cache.put('tc', reply(0, [{ type: 'A', name: 'x.test', ttl: 20, data: '192.0.2.1' }], [], dnsPacket.TRUNCATED_RESPONSE));
    cache.put('servfail', reply(2, [], [soa(60, 60)]));
    cache.put('nx', reply(3, []));
    cache.put('zero', reply(0, [{ type: 'A', name: 'x.test', ttl: 0, data: '192.0.2.1' }]));
    cache.put('short', Buffer.alloc(5));
    cache.put('garbage', Buffer.concat([reply(0, [{ type: 'A', name: 'x.test', ttl: 20, data: '192.0.2.1' }]).subarray(0, 40)]));
    for (const k of ['tc', 'servfail', 'nx', 'zero', 'short', 'garbage']) assert.equal(cache.get(k, 1), undefined, k);
  });
});
