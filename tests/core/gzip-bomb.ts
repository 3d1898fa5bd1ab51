/**
 * Decompression bombs for the importer tests, made at run time (never committed): a gzip file
 * whose data is `prefix` followed by `zeroMiB` MiB of zero bytes. The zeros are one 1 MiB
 * deflate block flushed with Z_FULL_FLUSH (so it references nothing before it) repeated, which
 * makes a 1 GiB bomb of about 1 MiB in well under a second; the CRC and length are real.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

const MIB = 1 << 20;

export function gzipBomb(zeroMiB: number, prefix: Uint8Array = new Uint8Array(0)): Uint8Array {
  const zeros = new Uint8Array(MIB);
  const flushed = { finishFlush: constants.Z_FULL_FLUSH };
  const head = prefix.length > 0 ? deflateRawSync(prefix, flushed) : new Uint8Array(0);
  const block = deflateRawSync(zeros, flushed);
  const last = deflateRawSync(new Uint8Array(0)); // an empty final block
  let crc = crc32(prefix);
  for (let i = 0; i < zeroMiB; i++) crc = crc32(zeros, crc);
  const size = prefix.length + zeroMiB * MIB;
  const out = new Uint8Array(10 + head.length + block.length * zeroMiB + last.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff], 0);
  let at = 10;
  out.set(head, at);
  at += head.length;
  for (let i = 0; i < zeroMiB; i++, at += block.length) out.set(block, at);
  out.set(last, at);
  at += last.length;
  const trailer = new DataView(out.buffer, at, 8);
  trailer.setUint32(0, crc >>> 0, true);
  trailer.setUint32(4, size % 2 ** 32, true);
  return out;
}
