import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP/COEP) lets the wasm backend use threads where the
// machine has cores to spare; the same headers in dev and preview so both behave alike.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // relative asset URLs: the built folder works from any path of any static host (a GitHub
  // Pages project site lives under /<repo>/), not only from a server's root
  base: './',
  worker: {
    format: 'es',
    // tfjs-backend-wasm ships its pthread factory to workers via Function.toString(); a
    // minifier renames captured variables and the threaded build then hangs
    // (docs/design.md, "Backends and conv forms"). So the workers stay unminified (dead code
    // still dropped, as with minify: false); this overrides build.minify for worker bundles.
    rolldownOptions: { output: { minify: 'dce-only' } },
  },
  build: {
    target: 'es2022',
    // the main bundle (React, recharts, the views) has no such factory: minified
    minify: true,
    chunkSizeWarningLimit: 8000,
  },
});
