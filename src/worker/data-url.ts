/**
 * Where the built-in data sets are, seen from the engine worker. An absolute base ('/', the
 * dev server) is read from the origin. A relative base ('./', the built folder, which may be
 * served from any path, such as a GitHub Pages project site under /<repo>/) is relative to
 * index.html, and the worker's script sits one folder below it, in the assets folder.
 */
export function builtInDataUrl(base: string, workerUrl: string, folder: string): URL {
  return base.startsWith('/') || /^[a-z]+:/i.test(base)
    ? new URL(`${base}data/${folder}/`, new URL(workerUrl).origin)
    : new URL(`../${base}data/${folder}/`, workerUrl);
}
