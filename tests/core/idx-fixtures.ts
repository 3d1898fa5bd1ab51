/** Builders of idx files for the parser and importer tests. */

/** An idx file: two zero bytes, type code, number of dims, big-endian uint32 sizes, then data. */
export function idxBytes(shape: number[], data: ArrayLike<number>, typeCode = 0x08): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + data.length);
  bytes[2] = typeCode;
  bytes[3] = shape.length;
  const view = new DataView(bytes.buffer);
  shape.forEach((size, i) => view.setUint32(4 + 4 * i, size, false));
  bytes.set(data, header);
  return bytes;
}

export const seq = (n: number, start = 0) => Array.from({ length: n }, (_, i) => (start + i) % 256);
