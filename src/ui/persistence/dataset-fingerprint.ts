/**
 * A dataset's id is a fingerprint of its files (names and bytes), so loading the same files
 * again, after a reload or on another machine for an imported run, finds the runs made on them.
 */
export async function datasetFingerprint(files: readonly { name: string; bytes: Uint8Array }[]): Promise<string> {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const digests = await Promise.all(sorted.map((f) => crypto.subtle.digest('SHA-256', f.bytes as Uint8Array<ArrayBuffer>)));
  const names = new TextEncoder().encode(sorted.map((f) => `${f.name.split(/[\\/]/).pop()}:${f.bytes.byteLength}`).join('\n'));
  const all = new Uint8Array(names.byteLength + digests.length * 32);
  all.set(names);
  digests.forEach((d, i) => all.set(new Uint8Array(d), names.byteLength + i * 32));
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return `ds-${[...hash.slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
