/**
 * electron-vite builds the desktop app into out/: main (main/electron/main.ts → out/main/index.js, and
 * the stage worker engine/worker/stage-worker.ts → out/main/stage-worker.js, and its environment thread
 * engine/worker/env-thread.ts → out/main/env-thread.js),
 * preload (preload/index.ts → out/preload/index.cjs) and the renderer (renderer/index.html →
 * out/renderer, with the same settings as renderer/vite.config.ts, which browser mode builds with).
 * It needs no Electron binary, so `npx electron-vite build` works on machines that cannot download one.
 * SPA_BUILD_OUT moves the whole build elsewhere (the build test uses it so it never touches out/).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import renderer from './renderer/vite.config';

const OUT = resolve(process.env.SPA_BUILD_OUT ?? 'out');

export default defineConfig({
  main: {
    build: {
      outDir: resolve(OUT, 'main'),
      // Dependencies stay in node_modules (electron-builder packs them): the optional native
      // TF.js backends must be loaded from there, never bundled.
      // The stage worker is a second entry: the supervisor forks out/main/stage-worker.js in a packaged app;
      // the worker runs its environments in a thread started from out/main/env-thread.js (engine/worker/env-host.ts).
      rolldownOptions: {
        input: { index: resolve('main/electron/main.ts'), 'stage-worker': resolve('engine/worker/stage-worker.ts'), 'env-thread': resolve('engine/worker/env-thread.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(OUT, 'preload'),
      // A sandboxed preload cannot require() from node_modules and cannot be an ES module:
      // one self-contained CommonJS file (zod and the contract bundled in).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...renderer,
    // Explicit: the renderer config derives its root from import.meta.dirname, which this loader may not set.
    root: resolve('renderer'),
    build: { ...renderer.build, outDir: resolve(OUT, 'renderer'), rolldownOptions: { input: resolve('renderer/index.html') } },
  },
});
