/**
 * Just enough of a TURN client (RFC 5766/8656 over UDP) to prove that coturn accepts a credential:
 * Allocate → 401 with REALM and NONCE → Allocate with the long-term credential → success with an
 * XOR-RELAYED-ADDRESS (or an error code).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

const MAGIC = 0x2112a442;
const ALLOCATE = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ALLOCATE_ERROR = 0x0113;
const A = { USERNAME: 0x0006, INTEGRITY: 0x0008, ERROR_CODE: 0x0009, REALM: 0x0014, NONCE: 0x0015, RELAYED: 0x0016, TRANSPORT: 0x0019 };

function attr(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  out.writeUInt16BE(type, 0);
  out.writeUInt16BE(value.length, 2);
  value.copy(out, 4);
  return out;
}

function header(type: number, length: number, txid: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(MAGIC, 4);
  txid.copy(h, 8);
  return h;
}

/** A request whose last attribute is MESSAGE-INTEGRITY (HMAC-SHA1 over everything before it, length counting it). */
function signed(type: number, txid: Buffer, attrs: Buffer[], key: Buffer): Buffer {
  const body = Buffer.concat(attrs);
  const head = header(type, body.length + 24, txid);
  const mac = createHmac('sha1', key)
    .update(Buffer.concat([head, body]))
    .digest();
  return Buffer.concat([head, body, attr(A.INTEGRITY, mac)]);
}

interface Parsed {
  type: number;
  txid: Buffer;
  attrs: Map<number, Buffer>;
  /** Offset of MESSAGE-INTEGRITY, for checking the server's signature. */
  integrityAt?: number;
}

function parse(buf: Buffer): Parsed {
  const attrs = new Map<number, Buffer>();
  let integrityAt: number | undefined;
  for (let off = 20; off + 4 <= buf.length;) {
    const type = buf.readUInt16BE(off);
    const len = buf.readUInt16BE(off + 2);
    if (type === A.INTEGRITY) integrityAt = off;
    if (!attrs.has(type)) attrs.set(type, buf.subarray(off + 4, off + 4 + len));
    off += 4 + Math.ceil(len / 4) * 4;
  }
  return { type: buf.readUInt16BE(0), txid: buf.subarray(8, 20), attrs, integrityAt };
}

function integrityValid(buf: Buffer, p: Parsed, key: Buffer): boolean {
  if (p.integrityAt === undefined) return false;
  const copy = Buffer.from(buf.subarray(0, p.integrityAt));
  copy.writeUInt16BE(p.integrityAt - 20 + 24, 2);
  const mac = createHmac('sha1', key).update(copy).digest();
  return mac.equals(buf.subarray(p.integrityAt + 4, p.integrityAt + 24));
}

function errorOf(p: Parsed): { code: number; reason: string } {
  const v = p.attrs.get(A.ERROR_CODE);
  if (!v) return { code: 0, reason: 'no ERROR-CODE' };
  return { code: (v[2] & 7) * 100 + v[3], reason: v.subarray(4).toString('utf8') };
}

export type AllocateResult = { ok: true; relayed: { address: string; port: number }; integrityValid: boolean } | { ok: false; code: number; reason: string };

export async function turnAllocate(opts: { host: string; port: number; username: string; password: string; timeoutMs?: number }): Promise<AllocateResult> {
  const sock = createSocket('udp4');
  const exchange = (msg: Buffer, txid: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      // UDP: resend until answered, as STUN clients do.
      const resend = setInterval(() => sock.send(msg, opts.port, opts.host), 500);
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no TURN response from ${opts.host}:${opts.port}`));
      }, opts.timeoutMs ?? 4000);
      const onMessage = (buf: Buffer) => {
        if (buf.length < 20 || !buf.subarray(8, 20).equals(txid)) return;
        cleanup();
        resolve(buf);
      };
      const cleanup = () => {
        clearInterval(resend);
        clearTimeout(timer);
        sock.off('message', onMessage);
      };
      sock.on('message', onMessage);
      sock.send(msg, opts.port, opts.host);
    });
  try {
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const transport = attr(A.TRANSPORT, Buffer.from([17, 0, 0, 0])); // UDP
    const tx1 = randomBytes(12);
    const first = parse(await exchange(Buffer.concat([header(ALLOCATE, transport.length, tx1), transport]), tx1));
    if (first.type !== ALLOCATE_ERROR) throw new Error(`expected a 401 challenge, got type 0x${first.type.toString(16)}`);
    const challenge = errorOf(first);
    const realm = first.attrs.get(A.REALM);
    const nonce = first.attrs.get(A.NONCE);
    if (challenge.code !== 401 || !realm || !nonce) return { ok: false, ...challenge };

    const key = createHash('md5')
      .update(`${opts.username}:${realm.toString('utf8')}:${opts.password}`)
      .digest();
    const tx2 = randomBytes(12);
    const attrs = [transport, attr(A.USERNAME, Buffer.from(opts.username)), attr(A.REALM, realm), attr(A.NONCE, nonce)];
    const raw = await exchange(signed(ALLOCATE, tx2, attrs, key), tx2);
    const reply = parse(raw);
    if (reply.type !== ALLOCATE_SUCCESS) return { ok: false, ...errorOf(reply) };
    const x = reply.attrs.get(A.RELAYED);
    if (!x) return { ok: false, code: 0, reason: 'success without XOR-RELAYED-ADDRESS' };
    const port = x.readUInt16BE(2) ^ (MAGIC >>> 16);
    const ip = (x.readUInt32BE(4) ^ MAGIC) >>> 0;
    const address = [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
    return { ok: true, relayed: { address, port }, integrityValid: integrityValid(raw, reply, key) };
  } finally {
    sock.close();
  }
}
