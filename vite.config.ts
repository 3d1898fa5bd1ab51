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
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // tfjs-backend-wasm ships its pthread factory to workers via Function.toString();
    // a minifier renames captured variables and the threaded build then hangs
    // (shared/notes/tfjs-on-these-machines.md). Gzip on the wire recovers most of the size.
    minify: false,
    chunkSizeWarningLimit: 8000,
  },
});
