/**
 * Recognising the files people pick by mistake (an image, an archive, a web page, JSON), from
 * their first bytes, so a refusal can say what the file is rather than only what it is not.
 */

/** Recognises a few common formats a user may pick by mistake, for a better message. */
export function sniffFormat(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'a GIF image';
  if (starts(0x42, 0x4d) && bytes.length >= 26 && bytes[14] >= 12 && bytes[15] === 0 && bytes[16] === 0 && bytes[17] === 0)
    return 'a BMP image';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes.length >= 12 && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP')
    return 'a WebP image';
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'a zip archive';
  if (bytes.length >= 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') return 'a tar archive';
  if (starts(0x1f, 0x8b)) return 'gzip data';
  if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'a NumPy .npy file';
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) return 'a Python pickle';
  if (looksLikeText(bytes)) {
    let i = 0;
    while (
      i < bytes.length &&
      (bytes[i] === 0x20 ||
        bytes[i] === 0x09 ||
        bytes[i] === 0x0a ||
        bytes[i] === 0x0d ||
        bytes[i] === 0xef ||
        bytes[i] === 0xbb ||
        bytes[i] === 0xbf)
    )
      i++;
    if (bytes[i] === 0x7b || bytes[i] === 0x5b) return 'JSON text';
    const start = new TextDecoder().decode(bytes.subarray(i, i + 512)).toLowerCase();
    if (/^<(!doctype html|html|head|body)[\s>]/.test(start) || /<html[\s>]/.test(start))
      return 'an HTML page (a web page saved in place of the file?)';
    return 'a text file';
  }
  return null;
}

/** Printable ASCII or UTF-8 (plus tab, CR, LF) throughout the first 512 bytes. */
function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  const head = bytes.subarray(0, 512);
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0x09 || b === 0x0a || b === 0x0d) continue;
    if (b < 0x20 || b === 0x7f) return false;
  }
  if (head.length === bytes.length) return validUtf8(head);
  // the 512-byte window may cut a multi-byte character; ignore up to 3 trailing bytes
  for (let cut = 0; cut < 4; cut++) if (validUtf8(head.subarray(0, head.length - cut))) return true;
  return false;
}

function validUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
