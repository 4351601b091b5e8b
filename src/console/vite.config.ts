import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The operations console's build: `vite build --config src/console/vite.config.ts` writes
 * dist/console (index.html + hashed assets), which the hub's console module serves at `/`.
 * In development `vite --config src/console/vite.config.ts` proxies the API to a hub on :7070.
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/ops': 'http://127.0.0.1:7070', '/v1': 'http://127.0.0.1:7070' },
  },
});
