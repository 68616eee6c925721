/**
 * Where the built app lives relative to this source tree (out/ at the repo root, as
 * electron-vite and renderer/vite.config.ts write it), and how to find the build tools and
 * an Electron binary without running anything that could try to download one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');
export const ELECTRON_MAIN = join(REPO_ROOT, 'out', 'main', 'index.js');

const require = createRequire(import.meta.url);

/** The built renderer folder, or null when it has not been built. */
export function builtRendererDir(): string | null {
  return existsSync(join(RENDERER_DIR, 'index.html')) ? RENDERER_DIR : null;
}

/** The sources each build is made from: the UI imports common/, envs/ and preload/ too. */
const RENDERER_SOURCES = ['renderer/src', 'renderer/index.html', 'renderer/public', 'common', 'envs', 'preload'];
const ELECTRON_SOURCES = [...RENDERER_SOURCES, 'main', 'engine'];

/** Newest modification time of the files under a path (0 when absent). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Whether a build is missing or older than a source it is made from — so `npm start` after a
 * `git pull` rebuilds instead of serving yesterday's UI. Only in a checkout (sources present).
 */
function buildIsCurrent(builtFile: string, sources: string[], root = REPO_ROOT): boolean {
  if (!existsSync(builtFile)) return false;
  const built = statSync(builtFile).mtimeMs;
  return sources.every((s) => newestMtime(join(root, s)) <= built);
}

export const rendererIsCurrent = (root = REPO_ROOT) => buildIsCurrent(join(root, 'out', 'renderer', 'index.html'), RENDERER_SOURCES, root);
export const electronAppIsCurrent = (root = REPO_ROOT) =>
  buildIsCurrent(join(root, 'out', 'main', 'index.js'), ELECTRON_SOURCES, root) && rendererIsCurrent(root);

/** Absolute path of an installed package's bin script. */
export function packageBin(pkg: string, bin: string): string | null {
  try {
    const manifest = require.resolve(`${pkg}/package.json`);
    const meta = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
    const rel = typeof meta.bin === 'string' ? meta.bin : meta.bin?.[bin];
    return rel ? join(dirname(manifest), rel) : null;
  } catch {
    return null;
  }
}

/**
 * The Electron executable, if one is installed. `require('electron')` is not used: when the
 * binary is missing it starts a download, which cannot work here. Instead the package's own
 * path.txt and dist/ are checked, as its index.js would.
 */
export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  let dir: string;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const exe = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron') : join(dir, 'dist', rel);
  return rel && existsSync(exe) ? exe : null;
}

/**
 * What to hand the Electron binary: the repo root when package.json's "main" is the built
 * main (so the app gets its own name and version), else the built main file itself.
 */
export function electronAppArg(): string {
  try {
    const main = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { main?: string }).main;
    return main && resolve(REPO_ROOT, main) === ELECTRON_MAIN ? REPO_ROOT : ELECTRON_MAIN;
  } catch {
    return ELECTRON_MAIN;
  }
}

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
