/**
 * The desktop build without an Electron binary: electron-vite bundles main, the stage worker,
 * the preload and the renderer; the sandboxed preload is one CommonJS file that needs nothing
 * but electron; and the bundled stage worker — what a packaged app forks — runs a real smoke
 * run through the supervisor.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { createSupervisor } from '../../../main/jobs/supervisor';
import { REPO_ROOT } from '../../../main/server/app-paths';

// Inside the repo (out/ is ignored) so the bundles resolve node_modules as in a real build.
const buildDir = join(REPO_ROOT, 'out', `.build-test-${process.pid}`);
const dataDir = mkdtempSync(join(tmpdir(), 'spa-desktop-build-'));
afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('desktop build (electron-vite, no Electron binary needed)', () => {
  it('bundles main, worker, preload and renderer; the bundled worker runs a smoke run', async () => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SPA_BUILD_OUT: buildDir },
      stdio: 'pipe',
    });
    for (const f of ['main/index.js', 'main/stage-worker.js', 'preload/index.cjs', 'renderer/index.html']) {
      expect(existsSync(join(buildDir, f)), f).toBe(true);
    }
    // A sandboxed preload may require only electron: everything else must be bundled in.
    const preload = readFileSync(join(buildDir, 'preload/index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    // The optional native TF.js backends must stay loadable from node_modules, never bundled.
    expect(readFileSync(join(buildDir, 'main/stage-worker.js'), 'utf8')).toMatch(/from ["']@tensorflow\/tfjs/);

    const supervisor = await createSupervisor({ dataDir, throttleMs: 50, workerEnv: { ...process.env, SPA_WORKER_FILE: join(buildDir, 'main/stage-worker.js') } });
    try {
      const c = defaultRunConfig('virtualhome', 'sft', 'smoke', 1);
      const id = await supervisor.start({ ...c, data: { ...c.data, evalTasks: 2 } });
      await supervisor.whenSettled(id);
      const entry = supervisor.catalog.get(id);
      expect(entry?.status, entry?.message ?? '').toBe('completed');
      expect(typeof entry?.summary['eval/success_rate_seen']).toBe('number');
    } finally {
      await supervisor.shutdown();
    }
  }, 240_000);
});
