/**
 * Builds the studio UI into out/renderer (repo root), loaded by Electron and by browser mode.
 * base './' so the same files work from a custom protocol, file:// or the local server.
 * Paths come from import.meta (Vite sets dirname and url when loading the config), so this
 * file needs no Node import and stays inside the renderer's lint rules.
 */
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// import.meta.url as the fallback for loaders that set only that (POSIX paths; Vite sets both).
const here = import.meta.dirname ?? decodeURIComponent(new URL('.', import.meta.url).pathname).replace(/\/$/, '');

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: `${here}/../out/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    // Plain files only: nothing inlined as data: URLs (strict CSP), nothing fetched remotely.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  // Dev server (npx vite -c renderer/vite.config.ts) reads common/ and envs/ from the repo root.
  server: { fs: { allow: [`${here}/..`] } },
});
