/**
 * The desktop window through Playwright's Electron driver. It needs the Electron binary, which
 * cannot be downloaded on our CI machines, so it is skipped there (the title says why); on a
 * workstation where `npx install-electron --no` has fetched it, it runs. The same UI is covered
 * in Chromium by studio.test.ts, and the build and bundled worker by desktop-build.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinary, REPO_ROOT } from '../../main/server/app-paths';
import { SCREENSHOTS } from './setup';

const exe = electronBinary();
const reason = exe ? '' : ' (skipped: no Electron binary installed; `npx install-electron --no` fetches it where downloads work)';
const buildDir = join(REPO_ROOT, 'out', `.electron-test-${process.pid}`);
const dataDir = mkdtempSync(join(tmpdir(), 'spa-electron-'));
afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!exe)(`SPA Studio desktop window${reason}`, () => {
  it('opens one sandboxed window whose only door to Node is window.spa', async () => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SPA_BUILD_OUT: buildDir },
      stdio: 'pipe',
    });
    const env = { ...process.env, SPA_STUDIO_DATA: dataDir, SPA_WORKER_FILE: join(buildDir, 'main', 'stage-worker.js') } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    const app = await _electron.launch({ executablePath: exe as string, args: [join(buildDir, 'main', 'index.js')], env });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.title()).toBe('SPA Studio');
      // Context isolation + sandbox: no Node in the page, only the typed bridge.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      const info = await page.evaluate(() => (globalThis as unknown as { spa: { 'app.info': (r: object) => Promise<{ mode: string; dataDir: string }> } }).spa['app.info']({}));
      expect(info).toMatchObject({ mode: 'electron', dataDir });
      // A page cannot navigate the window away from the app.
      await page.evaluate(() => {
        (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).not.toContain('example.com');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'electron-window.png') });
    } finally {
      await app.close();
    }
  }, 180_000);
});
