// TypeScript 7, the project's compiler (`tsc`), has no JavaScript compiler API yet, and the lint tools
// (typescript-eslint, dependency-cruiser) parse through that API. This hook hands them TypeScript 6.0's
// API, installed beside this file (package.json here depends on typescript 6; npm nests it, so the `tsc`
// command stays TypeScript 7). Loaded first by eslint.config.js, and by `node --import` for depcruise.
// Remove this folder once both tools support TypeScript 7.
import Module, { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const ts6 = createRequire(new URL('./package.json', import.meta.url));
const targets = {
  typescript: ts6.resolve('typescript'),
  'typescript/package.json': ts6.resolve('typescript/package.json'),
};

// require() (typescript-eslint is CommonJS; dependency-cruiser probes the version through createRequire)
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return Object.hasOwn(targets, request) ? targets[request] : resolveFilename.call(this, request, ...rest);
};

// import() (dependency-cruiser loads the compiler as an ES module)
const urls = Object.fromEntries(Object.entries(targets).map(([k, v]) => [k, pathToFileURL(v).href]));
const hooks = `const urls = ${JSON.stringify(urls)};
export async function resolve(specifier, context, next) {
  return Object.hasOwn(urls, specifier) ? { url: urls[specifier], shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
