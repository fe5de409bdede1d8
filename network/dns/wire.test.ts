// Reply encoding: owner names compressed, the UDP limit kept with TC when the
// answers do not fit and without it when only additional records are left out.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type Answer, type StringAnswer } from 'dns-packet';
import { encodeReply, headerOnlyReply, udpLimit } from './wire.ts';

const NAME = 'Many.default.svc.cluster.local';

function query(edns?: number): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: 99,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name: NAME }],
    additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: edns } as Answer] : [],
  });
}

const aRecords = (n: number, name = NAME): Answer[] => Array.from({ length: n }, (_, i) => ({ type: 'A', name, ttl: 5, data: `10.42.0.${i + 1}` }));

function reply(raw: Buffer, answers: Answer[], additionals: Answer[] = []) {
  const q = dnsPacket.decode(raw);
  const out = encodeReply(raw, q, { rcode: 'NOERROR', authoritative: true, answers, authorities: [], additionals }, udpLimit(q));
  return { bytes: out, packet: dnsPacket.decode(out) };
}

describe('reply encoding', () => {
  it('compresses owner names: 25 A records fit in 512 bytes and decode unchanged', () => {
    const { bytes, packet } = reply(query(), aRecords(25));
    assert.ok(bytes.length <= 512, `${bytes.length} bytes`);
    assert.equal(packet.flag_tc, false);
    assert.equal(packet.flag_aa, true);
    assert.equal(packet.flag_rd, true);
    assert.equal(packet.id, 99);
    assert.deepEqual(packet.questions, [{ type: 'A', name: NAME, class: 'IN' }]);
    assert.deepEqual(packet.answers!.map((r) => [r.name, (r as StringAnswer).ttl, (r as StringAnswer).data]), aRecords(25).map((r) => [NAME, 5, (r as StringAnswer).data]));
  });

  it('cuts answers that do not fit and sets TC; leaves out additionals without TC', () => {
    const cut = reply(query(), aRecords(100));
    assert.ok(cut.bytes.length <= 512);
    assert.equal(cut.packet.flag_tc, true);
    assert.ok(cut.packet.answers!.length > 20 && cut.packet.answers!.length < 100);

    const extra = reply(query(), aRecords(2), aRecords(100, 'other.default.svc.cluster.local'));
    assert.equal(extra.packet.flag_tc, false);
    assert.equal(extra.packet.answers!.length, 2);
    assert.ok(extra.bytes.length <= 512);

    const edns = reply(query(4096), aRecords(100));
    assert.equal(edns.packet.flag_tc, false);
    assert.equal(edns.packet.answers!.length, 100);
    assert.deepEqual(edns.packet.additionals!.map((r) => r.type), ['OPT']);
  });

  it('reads the EDNS size within [512, 4096] and answers undecodable queries with their ID', () => {
    assert.equal(udpLimit(dnsPacket.decode(query())), 512);
    assert.equal(udpLimit(dnsPacket.decode(query(100))), 512);
    assert.equal(udpLimit(dnsPacket.decode(query(1232))), 1232);
    assert.equal(udpLimit(dnsPacket.decode(query(65000))), 4096);
    const bad = Buffer.from(query());
    const r = dnsPacket.decode(headerOnlyReply(bad, 'FORMERR')!);
    assert.equal(r.id, 99);
    assert.equal(r.flags! & 0xf, 1);
    assert.equal(headerOnlyReply(Buffer.alloc(5), 'FORMERR'), undefined);
  });
});
