/**
 * Builds the studio UI into out/renderer (repo root), loaded by Electron and by browser mode.
 * base './' so the same files work from a custom protocol, file:// or the local server.
 */
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // One JS and one CSS file: nothing is inlined (strict CSP) and nothing is fetched remotely.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  // Dev server (npx vite -c renderer/vite.config.ts) reads common/ and envs/ from the repo root.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
