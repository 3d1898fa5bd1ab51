// Layer rules (docs/design.md, "Layers and their rules"), checked by `npm run lint:layers`.
// Paths are resolved files, so a rule holds however deep the relative import is.
// tsPreCompilationDeps keeps `import type` edges in the graph, marked 'type-only': a core file that
// imports an engine type breaks its rule, while ui may import engine types and nothing else from engine.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'src/core is plain TypeScript that every layer and the CLI share: no engine, ui, worker or storage, no tfjs, React or browser storage',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        path: ['^src/(engine|ui|worker|storage|cli)/', 'node_modules/(@tensorflow|react|react-dom|recharts|zustand|comlink|idb|webgpu)/'],
      },
    },
    {
      name: 'ui-uses-engine-types-only',
      comment: 'the UI talks to the engine through the worker (Comlink); from src/engine it may import types and nothing else',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/engine/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-no-tfjs',
      comment: 'tfjs runs in the worker; the UI thread never loads it',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: 'node_modules/@tensorflow/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'worker-not-ui',
      comment: 'the worker exposes the engine; it knows nothing of the UI',
      severity: 'error',
      from: { path: '^src/worker/' },
      to: { path: '^src/ui/' },
    },
    {
      name: 'storage-not-ui-or-worker',
      comment: 'src/storage is shared by the worker and the UI, so it imports neither',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: '^src/(ui|worker)/' },
    },
    {
      name: 'engine-not-ui',
      comment: 'the engine runs headless in Node as well as in the worker',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(ui|worker|cli)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to no file',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
