/**
 * Names of files that sit next to the file naming them (an envelope's model.json, a model.json's
 * weights): plain names in the same folder, never routes. A path that could leave the folder (on
 * POSIX or on Windows), a URL, a drive letter, an absolute path, a name starting with ".." or
 * made of dots alone is refused with what it is. ".." inside a name ("a..b.json") stays allowed:
 * without a separator it cannot leave the folder, and exported names may hold it.
 */

/** Why `name` is not a plain file name in the same folder, in words; null when it is one. */
export function plainFileNameProblem(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it holds a control character';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return 'it is a URL; only a file name in the same folder is read';
  if (/^[a-z]:/i.test(name)) return 'it starts with a drive letter; only a file name in the same folder is read';
  if (/^[/\\]/.test(name)) return 'it is an absolute path; only a file name in the same folder is read';
  if (/^[. ]+$/.test(name)) return 'it names a folder ("." or ".."), not a file';
  if (name.startsWith('..')) return 'it starts with ".." (the parent folder); only a file name in the same folder is read';
  if (/[/\\]/.test(name)) return 'it holds a path separator ("/" or "\\"); only a file name in the same folder is read';
  if (name.includes(':')) return 'it holds ":" (a URL scheme, a drive or a Windows stream); only a file name in the same folder is read';
  return null;
}

/** A value fit to quote in a message: printable, at most 80 characters. */
export function quoteName(name: string): string {
  const clean = String(name).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
  const chars = Array.from(clean);
  return JSON.stringify(chars.length <= 80 ? clean : `${chars.slice(0, 77).join('')}...`);
}
