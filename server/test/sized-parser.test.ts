/** The parser that notes each event payload's size as it arrived (server/src/sized-parser.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { receivedBytes, sizedParser } from '../src/sized-parser.js';

/** Encode with socket.io's own encoder, decode with ours: the decoded packet. */
function roundTrip(packet: Packet): Packet {
  const decoder = new sizedParser.Decoder();
  let out: Packet | undefined;
  decoder.on('decoded', (p: Packet) => (out = p));
  for (const chunk of new Encoder().encode(packet)) decoder.add(chunk);
  assert.ok(out);
  return out;
}

describe('sized parser', () => {
  const payload = { to: 'peer', data: { description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } }, note: 'ünïcödé ✓ "quoted"' };
  const bytes = Buffer.byteLength(JSON.stringify(payload));

  for (const [what, extra] of [
    ['no ack, default namespace', {}],
    ['an ack id', { id: 12345 }],
    ['another namespace and an ack id', { nsp: '/other', id: 7 }],
  ] as const) {
    it(`an event's payload is the size of its JSON in UTF-8 (${what})`, () => {
      const p = roundTrip({ type: PacketType.EVENT, nsp: '/', data: ['signal', payload], ...extra });
      assert.deepEqual(p.data, ['signal', payload]);
      assert.equal(receivedBytes(p.data[1]), bytes);
    });
  }

  it('nothing is noted for other shapes, and the decoded data is unchanged', () => {
    assert.equal(receivedBytes(roundTrip({ type: PacketType.EVENT, nsp: '/', data: ['signal', payload, { more: 1 }] }).data[1]), undefined);
    assert.equal(receivedBytes(roundTrip({ type: PacketType.EVENT, nsp: '/', data: ['signal', 'text'] }).data[1]), undefined);
    // Binary attachments: the size is unknown (the handler serialises instead).
    const bin = roundTrip({ type: PacketType.EVENT, nsp: '/', data: ['signal', { blob: Buffer.from([1, 2, 3]) }] });
    assert.equal(receivedBytes(bin.data[1]), undefined);
    assert.equal(receivedBytes(null), undefined);
    assert.equal(receivedBytes(42), undefined);
  });
});
