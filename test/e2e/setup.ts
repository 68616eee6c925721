/**
 * End-to-end harness: the built renderer (rebuilt when its sources are newer than the build),
 * served by the real browser-mode server over the real studio service in a temp data folder,
 * driven by Debian's Chromium through playwright-core.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startBrowserServer, type BrowserServer } from '../../main/server/browser-server';
import { createStudioService, type StudioService } from '../../main/services/studio-service';
import { createSupervisor } from '../../main/jobs/supervisor';
import type { RunLauncher } from '../../main/jobs/launcher';
import { workspacePaths } from '../../main/runs/run-folder';
import { FakeLauncher } from '../helpers/fake-launcher';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_OUT = join(REPO, 'out', 'renderer');
export const SCREENSHOTS = join(REPO, 'test-artifacts', 'screenshots');

/** Builds out/renderer with vite when it is missing or older than its sources (once, even across test files). */
export { ensureRendererBuilt } from '../../main/server/renderer-build';

export interface Studio {
  url: string;
  origin: string;
  dataDir: string;
  service: StudioService;
  launcher: RunLauncher;
  /** Set when the fake launcher is used (it can write synthetic updates). */
  fake: FakeLauncher | null;
  close(): Promise<void>;
}

/**
 * The studio in browser mode on a fresh data folder. `launcher: 'real'` uses the job
 * supervisor (real training workers); 'fake' the test double that writes synthetic data.
 */
export async function startStudio(opts: { launcher: 'real' | 'fake' }): Promise<Studio> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spa-e2e-'));
  const fake = opts.launcher === 'fake' ? new FakeLauncher(workspacePaths(dataDir).runsDir) : null;
  const launcher: RunLauncher = fake ?? (await createSupervisor({ dataDir }));
  const service = await createStudioService({ dataDir, launcher, mode: 'browser', version: 'e2e' });
  let server: BrowserServer;
  try {
    server = await startBrowserServer({ service, staticDir: RENDERER_OUT });
  } catch (e) {
    await service.close();
    await launcher.shutdown();
    throw e;
  }
  return {
    url: server.url,
    origin: `http://127.0.0.1:${server.port}`,
    dataDir,
    service,
    launcher,
    fake,
    async close() {
      await server.close();
      await launcher.shutdown();
      await service.close();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, no network beyond the local server. */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'spa-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  // CSP violations are reported as console errors too; this catches them by kind as well.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
