/**
 * Where the built app lives relative to this source tree (out/ at the repo root, as
 * electron-vite and renderer/vite.config.ts write it), and how to find the build tools and
 * an Electron binary without running anything that could try to download one.
 */
import { existsSync, readFileSync } from 'node:fs';
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
