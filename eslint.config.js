// ESLint: a modest rule set (eslint and typescript-eslint recommended) that the tree passes.
// Formatting is Prettier's job (npm run format); layer rules are dependency-cruiser's (npm run lint:layers).
import './tools/ts6-api/hook.mjs'; // typescript-eslint parses through TypeScript 6's API: see that file
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // wasm/ is AssemblyScript (checked by asc, not tsc); the rest is built, downloaded or scratch output
    ignores: ['dist/', 'gpu-bench/', 'test-artifacts/', 'scratch/', 'public/', 'runs/', 'wasm/', 'tools/ts6-api/node_modules/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
    rules: {
      // unused names are tsc's job (noUnusedLocals, noUnusedParameters); this rule would report them twice
      '@typescript-eslint/no-unused-vars': 'off',
      // file names and dataset text are searched for control characters on purpose, to refuse or neutralise them
      'no-control-regex': 'off',
    },
  },
  {
    // tests build malformed records on purpose, by editing parsed JSON through Record<string, any>
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // core runs the same in the browser, the worker and Node: no DOM or browser storage (docs/design.md, "Layers and their rules")
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'indexedDB',
          'self',
          'postMessage',
          'HTMLElement',
          'Worker',
        ].map((name) => ({
          name,
          message: 'src/core is shared by every layer and the CLI: pass what it needs in as arguments',
        })),
      ],
    },
  },
);
