/**
 * Headless Chromium for the benchmark: Debian's /usr/bin/chromium driven by playwright-core
 * (a devDependency, loaded only here so the rest of the CLI does not need it).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { IN_PAGE_HELPERS } from './in-page';

export const CHROMIUM = '/usr/bin/chromium';

export interface BenchBrowser {
  page: Page;
  /** Console errors and page errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core');
  } catch (e) {
    throw new Error(`spa bench studio needs playwright-core, a devDependency: run \`npm install\` (without --omit=dev). (${(e as Error).message})`);
  }
}

export async function openBenchBrowser(executablePath = CHROMIUM): Promise<BenchBrowser> {
  if (!existsSync(executablePath)) throw new Error(`spa bench studio needs Chromium at ${executablePath}: install Debian's package (apt-get install chromium).`);
  const { chromium } = await loadPlaywright();
  const profile = mkdtempSync(join(tmpdir(), 'spa-bench-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`Chromium at ${executablePath} did not start: ${(e as Error).message}`);
  }
  await context.addInitScript({ content: IN_PAGE_HELPERS });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return {
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
