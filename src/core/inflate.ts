/**
 * Gzip inflated with a budget, the same in Node and the browser (DecompressionStream): the input
 * goes in 16 KiB slices, the output is read as it comes, and inflating stops as soon as the output
 * passes what the file may hold. An idx file's limit comes from its own header (read from the
 * first inflated bytes, with the precise message when the header is wrong); every file is capped
 * at MAX_INFLATED_BYTES. A bomb is refused after inflating at most its limit, never all of it.
 */
import { DataFileError, readIdxHeader } from './idx';
import { sniffFormat } from './sniff-format';

/** No dataset file inflates to more than this (1 GiB); see README, "Your own dataset". */
export const MAX_INFLATED_BYTES = 1024 ** 3;
/** Bytes past what an idx header declares that are still inflated, so a refusal can say the file is longer. */
export const INFLATE_SLACK_BYTES = 64 * 1024;
/** Output bytes looked at before the limit is set: more than any idx header, enough to recognise a format. */
export const INFLATE_HEAD_BYTES = 1024;
const INPUT_SLICE_BYTES = 16 * 1024;
/** Output buffer before the head is read. */
const INITIAL_CAPACITY = 64 * 1024;
/** Never reserve more than this from the gzip trailer's claim alone. */
const MAX_INITIAL_CAPACITY = 256 * 1024 * 1024;
/** Deflate expands at most 1032:1, so no reservation need exceed this many bytes per input byte. */
const MAX_DEFLATE_RATIO = 1032;

export interface InflateLimit {
  /** the most output bytes accepted */
  limit: number;
  /** the size the file says it has (an idx header's), reserved at once so a valid file is never copied */
  expected?: number;
  /** what the file is refused with when its output passes `limit` (after the file's name) */
  exceeded: string;
}

/**
 * Sets the limit from the first inflated bytes (INFLATE_HEAD_BYTES of them, or all when the file
 * is shorter: then `ended` is true); may throw a DataFileError about the head instead.
 */
export type InflateBudget = (head: Uint8Array, ended: boolean) => InflateLimit;

export const capLimit = (): InflateLimit => ({
  limit: MAX_INFLATED_BYTES,
  exceeded: `decompresses to more than ${MAX_INFLATED_BYTES} bytes (1 GiB), the most one dataset file may hold; it was refused without inflating the rest`,
});

/**
 * Inflates gzip `bytes` within `budget` (by default only the 1 GiB cap). Corrupt or truncated
 * gzip is a DataFileError "is not valid gzip data (...)"; output past the limit, a DataFileError
 * with the limit's words.
 */
export async function gunzipWithin(bytes: Uint8Array, fileName: string, budget: InflateBudget = capLimit): Promise<Uint8Array> {
  let offset = 0;
  const input = new ReadableStream<BufferSource>(
    {
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        const end = Math.min(bytes.length, offset + INPUT_SLICE_BYTES);
        controller.enqueue(bytes.slice(offset, end));
        offset = end;
      },
    },
    { highWaterMark: 0 },
  );
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = input.pipeThrough(new DecompressionStream('gzip')).getReader() as ReadableStreamDefaultReader<Uint8Array>;
  } catch (error) {
    throw new DataFileError(fileName, `is not valid gzip data (${errorText(error)})`);
  }
  let out: Uint8Array = new Uint8Array(INITIAL_CAPACITY);
  let length = 0;
  let rule: InflateLimit | null = null;
  const cap = capLimit();
  const most = bytes.length * MAX_DEFLATE_RATIO + INFLATE_HEAD_BYTES;
  const settle = (ended: boolean) => {
    const set = budget(out.subarray(0, length), ended);
    rule = set.limit <= cap.limit ? set : cap;
    if (ended) return;
    // reserve in one go what the file declares (its idx header) or claims (the gzip trailer), so a
    // valid file fills one buffer exactly; never more than its limit or deflate's 1032:1 allows
    const wanted = rule.expected !== undefined ? rule.expected + INFLATE_SLACK_BYTES : Math.min(trailerSize(bytes), MAX_INITIAL_CAPACITY);
    const reserve = Math.min(wanted, rule.limit, most);
    if (reserve > out.length) out = resize(out, length, reserve);
  };
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        throw new DataFileError(fileName, `is not valid gzip data (${errorText(error)})`);
      }
      if (result.done) break;
      const chunk = result.value;
      const limit: InflateLimit = rule ?? cap;
      if (length + chunk.length > limit.limit) throw new DataFileError(fileName, limit.exceeded);
      if (length + chunk.length > out.length) out = resize(out, length, Math.max(length + chunk.length, Math.min(out.length * 2, limit.limit, most)));
      out.set(chunk, length);
      length += chunk.length;
      if (rule === null && length >= INFLATE_HEAD_BYTES) {
        settle(false);
        if (length > rule!.limit) throw new DataFileError(fileName, rule!.exceeded);
      }
    }
  } catch (error) {
    // stop inflating: nothing more is read or kept
    reader.cancel().catch(() => {});
    throw error;
  }
  if (rule === null && length > 0) settle(true);
  // a few spare bytes stay with the view; more are let go with a copy
  return length === out.length ? out : out.length - length <= INFLATE_SLACK_BYTES ? out.subarray(0, length) : out.slice(0, length);
}

/** The size the gzip trailer claims (the last member's, mod 2^32): a hint, never trusted as a limit. */
const trailerSize = (bytes: Uint8Array): number => (bytes.length >= 18 ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true) : 0);

function resize(out: Uint8Array, length: number, capacity: number): Uint8Array {
  const bigger = new Uint8Array(capacity);
  bigger.set(out.subarray(0, length));
  return bigger;
}

const errorText = (error: unknown) => String((error as Error)?.message ?? error).slice(0, 200);

/**
 * The budget of an idx file: its header (checked with the precise message for each fault, and
 * what the file looks like when it is not idx at all) declares its size.
 */
export function idxBudget(fileName: string): InflateBudget {
  return (head) => {
    checkIdxHead(head, fileName);
    const header = readIdxHeader(head, fileName);
    const total = header.headerLength + header.dataBytes;
    const declared = `${header.shape.join('x')} = ${header.dataBytes} bytes of data`;
    if (total > MAX_INFLATED_BYTES) {
      throw new DataFileError(fileName, `its idx header declares ${declared}, more than the ${MAX_INFLATED_BYTES} bytes (1 GiB) one dataset file may hold`);
    }
    return {
      limit: total + INFLATE_SLACK_BYTES,
      expected: total,
      exceeded: `decompresses to more than its idx header declares (${declared} after its ${header.headerLength}-byte header); it was refused without inflating the rest`,
    };
  };
}

/** A file that does not start with the idx magic, named for what it looks like (a PNG, an HTML page, ...). */
export function checkIdxHead(head: Uint8Array, fileName: string): void {
  if (head.length >= 2 && (head[0] !== 0 || head[1] !== 0)) {
    const format = sniffFormat(head);
    if (format !== null) {
      throw new DataFileError(fileName, `looks like ${format}, not an idx file (idx files start with two zero bytes, then a type byte and a dimension count)`);
    }
  }
}
