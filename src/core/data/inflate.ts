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

export interface InflateLimit {
  /** the most output bytes accepted */
  limit: number;
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
  // the output stays in the chunks it comes in (no buffer grows and leaves copies behind for the
  // collector); they are joined once the whole file has passed
  const chunks: Uint8Array[] = [];
  let length = 0;
  let rule: InflateLimit | null = null;
  const cap = capLimit();
  const settle = (ended: boolean) => {
    const set = budget(join(chunks, Math.min(length, INFLATE_HEAD_BYTES)), ended);
    rule = set.limit <= cap.limit ? set : cap;
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
      chunks.push(chunk);
      length += chunk.length;
      if (rule === null && length >= INFLATE_HEAD_BYTES) {
        settle(false);
        if (length > rule!.limit) throw new DataFileError(fileName, rule!.exceeded);
      }
    }
  } catch (error) {
    // stop inflating: nothing more is read or kept
    chunks.length = 0;
    reader.cancel().catch(() => {});
    throw error;
  }
  if (rule === null && length > 0) settle(true);
  return join(chunks, length);
}

/** The first `length` bytes of the chunks as one array (the chunk itself when one suffices). */
function join(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length > 0 && chunks[0].length >= length) return chunks[0].subarray(0, length);
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= length) break;
    const part = chunk.subarray(0, length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
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
      throw new DataFileError(
        fileName,
        `its idx header declares ${declared}, more than the ${MAX_INFLATED_BYTES} bytes (1 GiB) one dataset file may hold`,
      );
    }
    return {
      limit: total + INFLATE_SLACK_BYTES,
      exceeded: `decompresses to more than its idx header declares (${declared} after its ${header.headerLength}-byte header); it was refused without inflating the rest`,
    };
  };
}

/** A file that does not start with the idx magic, named for what it looks like (a PNG, an HTML page, ...). */
export function checkIdxHead(head: Uint8Array, fileName: string): void {
  if (head.length >= 2 && (head[0] !== 0 || head[1] !== 0)) {
    const format = sniffFormat(head);
    if (format !== null) {
      throw new DataFileError(
        fileName,
        `looks like ${format}, not an idx file (idx files start with two zero bytes, then a type byte and a dimension count)`,
      );
    }
  }
}
