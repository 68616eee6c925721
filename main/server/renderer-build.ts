/**
 * The built studio interface (out/renderer), built with vite when missing or older than its
 * sources. One builder for `spa studio`/`spa serve`, `spa bench studio` and the browser tests;
 * a lock folder makes processes that ask at once (parallel test files) build it once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtRendererDir, packageBin, RENDERER_DIR, REPO_ROOT, rendererIsCurrent } from './app-paths';

const LOCK = join(REPO_ROOT, 'out', '.renderer-build.lock');
const LOCK_WAIT_MS = 120_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Returns out/renderer, building it first (vite's output on stderr) when it is not current. */
export function ensureRendererBuilt(): string {
  if (rendererIsCurrent() && builtRendererDir()) return RENDERER_DIR;
  mkdirSync(join(REPO_ROOT, 'out'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK); // atomic: whoever creates it builds
      break;
    } catch {
      if (waited > LOCK_WAIT_MS) throw new Error(`The studio interface build lock ${LOCK} has been held for 2 minutes; remove it if no build is running.`);
      sleepSync(200);
    }
  }
  try {
    if (rendererIsCurrent() && builtRendererDir()) return RENDERER_DIR; // built while we waited
    const vite = packageBin('vite', 'vite');
    if (!vite) throw new Error('The studio interface is not built and vite is not installed (npm install).');
    process.stderr.write('Building the studio interface…\n');
    const r = spawnSync(process.execPath, [vite, 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
    if (r.status !== 0) throw new Error(`Building the studio interface failed (exit ${r.status ?? r.signal}).`);
  } finally {
    rmdirSync(LOCK);
  }
  const dir = builtRendererDir();
  if (!dir) throw new Error('The studio interface build left no out/renderer/index.html.');
  return dir;
}
