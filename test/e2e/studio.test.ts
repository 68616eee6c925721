/**
 * The studio end to end, in browser mode: the built renderer in Debian's Chromium, talking to
 * the real browser-mode server and studio service (temp data folder) over HTTP + WebSocket.
 *
 *   (a) New run (smoke preset) → Live: charts fill → click a chart point → Replay of that
 *       update → step with the keyboard → annotate → reload → the annotation is still there
 *   (b) Import an SPA-RL exploration shard → replay it → export; a broken file names the field
 *   (c) Runs list: filters, archive, Compare two runs (config diff), delete with confirmation
 *   (d) Scale: 100k metric records chart and re-smooth quickly; 5k trajectories keep a few
 *       dozen rows in the DOM and scroll to the last one
 *
 * Screenshots of each view go to test-artifacts/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { AppendLog } from '../../engine/storage/append-log';
import { defaultRunConfig } from '../../engine/pipeline/presets';
import { runPaths, workspacePaths } from '../../main/runs/run-folder';
import type { MetricRecord, RunTrajectory } from '../../common/run-schema';
import { syntheticTrajectory } from '../helpers/fake-launcher';
import { HAS_CHROMIUM, REPO, ensureRendererBuilt, openBrowser, screenshot, startStudio, type Browser, type Studio } from './setup';

/** 'real' = the job supervisor trains a real smoke run; 'fake' = the test double (test/helpers/fake-launcher.ts). */
const LAUNCHER: 'real' | 'fake' = 'real';
/** A chart whose every point is an update that wrote trajectories (exploration, or the fake's updates). */
const CLICK_METRIC = LAUNCHER === 'real' ? 'explore/episodic_return' : 'charts/success_rate';
const FIXTURE = join(REPO, 'test', 'fixtures', 'e2e', 'alfworld_traj_0.json');

async function hashOf(page: Page): Promise<string> {
  return decodeURIComponent(new URL(page.url()).hash);
}

async function pointsOf(page: Page, metric: string): Promise<number> {
  const v = await page.locator(`figure[data-metric="${metric}"]`).getAttribute('data-points');
  return Number(v ?? 0);
}

/** Updates that logged `metric` but whose trajectories are not (yet) readable. */
async function updatesWithoutTrajectories(studio: Studio, id: string, metric: string): Promise<number[]> {
  const { records } = await studio.service['runs.metrics']({ id, from: 0 });
  const { updates } = await studio.service['runs.trajectories']({ id, filter: { outcome: 'any', offset: 0, limit: 1 } });
  return records.filter((r) => typeof r[metric] === 'number' && !updates.includes(r.step)).map((r) => r.step);
}

function trajectoryRows(page: Page) {
  return page.getByRole('listbox', { name: 'Trajectories' }).getByRole('option');
}

async function currentStep(page: Page): Promise<number> {
  const text = (await page.getByLabel('Current step').innerText()).replace(/\s+/g, ' ');
  const m = /Step (\d+) \/ (\d+)/.exec(text);
  if (!m) throw new Error(`no step counter in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

describe.skipIf(!HAS_CHROMIUM)('SPA Studio in Chromium (browser mode, real server and service)', () => {
  let studio: Studio;
  let browser: Browser;
  let page: Page;
  let runId = '';
  let importedId = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    studio = await startStudio({ launcher: LAUNCHER });
    browser = await openBrowser();
    page = browser.page;
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  }, 30_000);

  test('(a) a smoke run from New run fills the charts; a clicked point replays that update; annotations survive a reload', async () => {
    await page.goto(studio.url);
    await expect.poll(() => page.getByText('No runs yet.').isVisible()).toBe(true);
    // The token left the address bar (it lives in memory and in the HttpOnly cookie).
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.getByRole('status', { name: 'Event stream connected' }).isVisible()).toBe(true);

    await page.getByRole('link', { name: 'New run', exact: true }).first().click();
    await page.getByLabel('Environment', { exact: true }).selectOption('alfworld');
    await page.getByLabel('Method', { exact: true }).selectOption('spa');
    await page.getByLabel('Preset', { exact: true }).selectOption('smoke');
    await expect.poll(() => page.getByLabel('model.dModel').inputValue()).toBe('32');
    await expect.poll(() => page.getByLabel('Time estimate').innerText()).toMatch(/≈|unknown/);

    // A broken field is named at once and blocks the launch; fixing it clears the message.
    await page.getByLabel('model.nHeads').fill('3');
    await expect.poll(() => page.getByText(/must be divisible by nHeads/).first().isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Launch run' }).isDisabled()).toBe(true);
    await page.getByLabel('model.nHeads').fill('2');
    await expect.poll(() => page.getByRole('button', { name: 'Launch run' }).isEnabled()).toBe(true);
    await page.getByLabel('Run name').fill('e2e smoke');
    await screenshot(page, 'new-run');

    await page.getByRole('button', { name: 'Launch run' }).click();
    await expect.poll(() => hashOf(page)).toMatch(/^#\/run\/[^/]+$/);
    runId = (await hashOf(page)).replace('#/run/', '');
    await expect.poll(() => page.getByLabel('status running').first().isVisible()).toBe(true);
    if (studio.fake) studio.fake.writeUpdates(runId, 6, 3);

    // Charts fill as the run appends metrics (tailed from byte offsets on run.appended events).
    await expect.poll(() => pointsOf(page, CLICK_METRIC), { timeout: 90_000, interval: 250 }).toBeGreaterThan(0);
    // Every update on that chart has its trajectories on disk before the run is stopped.
    await expect.poll(() => updatesWithoutTrajectories(studio, runId, CLICK_METRIC), { timeout: 30_000, interval: 250 }).toEqual([]);
    const charts = await page.locator('figure[data-metric]').count();
    expect(charts).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByLabel('Run log').innerText()).toMatch(/\[sft\]|update \d+ done/);
    await screenshot(page, 'live');

    if (LAUNCHER === 'real') {
      // Free the 2 cores for the browser: cancel, and the run becomes resumable.
      await page.getByRole('button', { name: 'Cancel run' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Resume run' }).isVisible(), { timeout: 20_000 }).toBe(true);
    }

    // Click the middle of the chart: the nearest point along x opens Replay for its update.
    await page.locator(`figure[data-metric="${CLICK_METRIC}"] canvas`).click();
    await expect.poll(() => hashOf(page)).toMatch(/\/replay\?update=\d+/);
    const update = Number(/update=(\d+)/.exec(await hashOf(page))![1]);
    await expect.poll(() => page.getByLabel('Update', { exact: true }).inputValue()).toBe(String(update));
    const rows = trajectoryRows(page);
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const text of await rows.allInnerTexts()) expect(text).toContain(`u${update}`);
    await expect.poll(() => currentStep(page)).toBe(1);

    // Keyboard: → and j forward, ← and k back, n = next invalid action.
    const total = Number(/\/ (\d+)/.exec(await page.getByLabel('Current step').innerText())![1]);
    // Stepping is local: no request goes out (a step once re-fetched the run header).
    const stepRequests: string[] = [];
    const onRequest = (r: { url(): string }) => void stepRequests.push(r.url());
    page.on('request', onRequest);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('j');
    expect(await currentStep(page)).toBe(Math.min(3, total));
    await page.keyboard.press('k');
    await page.keyboard.press('ArrowLeft');
    expect(await currentStep(page)).toBe(1);
    page.off('request', onRequest);
    expect(stepRequests).toEqual([]);
    const invalid = Number(/\((\d+)\)/.exec(await page.getByRole('button', { name: 'Next invalid action' }).innerText())![1]);
    if (invalid > 0) {
      const before = await currentStep(page);
      await page.keyboard.press('n');
      await expect.poll(() => page.getByLabel('Validity', { exact: true }).innerText()).toBe('invalid');
      expect(await currentStep(page)).toBeGreaterThanOrEqual(before);
    }
    await page.keyboard.press('End');
    const annotatedStep = await currentStep(page);
    expect(annotatedStep).toBe(total);

    // Annotate: 1 = helps (saved at once), c focuses the comment (saved after a pause).
    await page.keyboard.press('1');
    await expect.poll(() => page.getByRole('button', { name: 'Label helps' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByLabel('Save state').innerText()).toContain('saved');
    await page.keyboard.press('c');
    await page.keyboard.type('wanders off before taking the apple');
    await expect.poll(() => page.getByLabel('Save state').innerText()).toBe('✓ saved');
    await page.keyboard.press('Escape');
    await screenshot(page, 'replay');

    // Reload: the address kept the trajectory and step; the annotation comes back from disk.
    const where = await hashOf(page);
    expect(where).toMatch(new RegExp(`traj=\\d+&step=${annotatedStep - 1}`));
    await page.reload();
    await expect.poll(() => currentStep(page)).toBe(annotatedStep);
    await expect.poll(() => page.getByRole('button', { name: 'Label helps' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByLabel('Comment', { exact: true }).inputValue()).toBe('wanders off before taking the apple');
    expect(await page.getByLabel('Save state').innerText()).toBe('✓ saved');

    // …and it is in the run folder, through the service.
    const traj = Number(/traj=(\d+)/.exec(where)![1]);
    const { annotations } = await studio.service['runs.trajectory']({ id: runId, index: traj });
    expect(annotations.find((a) => a.step === annotatedStep - 1)).toMatchObject({ label: 'helps', comment: 'wanders off before taking the apple' });
  }, 180_000);

  test('(b) an SPA-RL exploration shard imports as a run that replays and exports; a broken file names the field', async () => {
    await page.getByRole('link', { name: 'Import' }).first().click();
    await page.getByLabel('File to import', { exact: true }).setInputFiles({
      name: 'broken_traj_0.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify([{ id: 1, agent_conversations: [{ role: 'user', content: 'hi' }], agent_final_reward: true }])),
    });
    await expect.poll(() => page.getByLabel('Import error').innerText()).toMatch(/agent_conversations/);

    // The page sends the file itself as the body (streamed into the importer), not JSON text.
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/runs.import') && r.headers()['content-type'] === 'application/octet-stream');
    await page.getByLabel('File to import', { exact: true }).setInputFiles(FIXTURE);
    expect((await sent).headers()['x-spa-file-name']).toBe(encodeURIComponent(FIXTURE.split('/').pop()!));
    const result = page.getByLabel('Import result');
    await expect.poll(() => result.innerText()).toContain('spa-rl-exploration');
    const records = JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown[];
    expect(await result.innerText()).toMatch(new RegExp(`trajectories\\s+${records.length}\\b`));
    await screenshot(page, 'import');

    await page.getByRole('button', { name: 'Open replay of the imported run' }).click();
    await expect.poll(() => hashOf(page)).toMatch(/^#\/run\/[^/]+\/replay/);
    importedId = /#\/run\/([^/]+)\/replay/.exec(await hashOf(page))![1]!;
    await expect.poll(() => trajectoryRows(page).count()).toBe(records.length);
    await expect.poll(() => page.locator('.goal').innerText()).toMatch(/Goal \S/);
    const firstTask = await page.locator('.tbar .mono').innerText();

    // Walk it: steps, then ] to the next trajectory.
    await page.keyboard.press('ArrowRight');
    expect(await currentStep(page)).toBe(2);
    await page.keyboard.press(']');
    await expect.poll(() => page.locator('[role="option"][aria-selected="true"]').getAttribute('data-index')).toBe('1');
    await expect.poll(() => currentStep(page)).toBe(1);
    expect(await page.locator('.tbar .mono').innerText()).not.toBe('');
    expect(firstTask).toMatch(/^alfworld\//);

    // Filters narrow the list (the two explored failures).
    await page.getByLabel('Outcome', { exact: true }).selectOption('failure');
    await expect.poll(() => trajectoryRows(page).count()).toBe(2);
    await page.getByLabel('Outcome', { exact: true }).selectOption('any');
    await expect.poll(() => trajectoryRows(page).count()).toBe(records.length);
    await screenshot(page, 'replay-import');

    // Export downloads the trajectories in the chosen format.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export spa-rl-exploration' }).click()]);
    expect(download.suggestedFilename()).toMatch(/explore\.json$/);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as unknown[];
    expect(exported).toHaveLength(records.length);
  }, 60_000);

  test('(c) the runs list filters, archives, compares two runs (config diff) and deletes with a confirmation', async () => {
    await page.getByRole('link', { name: 'Runs' }).first().click();
    const rows = page.locator('table[aria-label="Runs"] tbody tr[data-run-id]');
    await expect.poll(() => rows.count()).toBe(2);

    await page.getByLabel('Filter by method').selectOption('import');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-run-id')).toBe(importedId);
    await page.getByLabel('Filter by method').selectOption('');
    await page.getByLabel('Search runs').fill('e2e smoke');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-run-id')).toBe(runId);
    await page.getByLabel('Search runs').fill('');
    await page.getByLabel('Filter by status').selectOption('completed');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Filter by status').selectOption('');

    // Archive hides a run until "show archived"; unarchive brings it back.
    await page.getByRole('button', { name: /^Archive alfworld_traj_0/ }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Show archived runs').check();
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('button', { name: /^Unarchive alfworld_traj_0/ }).click();
    await page.getByLabel('Show archived runs').uncheck();
    await expect.poll(() => rows.count()).toBe(2);
    await screenshot(page, 'runs');

    // Compare the two: the config diff shows where they differ.
    await page.getByLabel('Select all shown runs').check();
    await page.getByRole('button', { name: 'Compare selected runs' }).click();
    await expect.poll(() => hashOf(page)).toMatch(/^#\/compare\?ids=/);
    const diff = page.getByLabel('Config diff table');
    await expect.poll(() => diff.locator('tr.differs[data-key="method"]').count()).toBe(1);
    expect((await diff.locator('tr.differs[data-key="method"]').innerText()).replace(/\s+/g, ' ')).toMatch(/^method (spa import|import spa)$/);
    await expect.poll(() => page.locator('figure[data-metric]').count()).toBeGreaterThan(0);
    await screenshot(page, 'compare');
    await page.getByLabel('Only differing keys').uncheck();
    await expect.poll(() => diff.locator('tbody tr').count()).toBeGreaterThan(await diff.locator('tr.differs').count());

    // Delete asks first; cancelling keeps the run, confirming removes it.
    await page.getByRole('link', { name: 'Runs' }).first().click();
    await page.getByRole('button', { name: /^Delete alfworld_traj_0/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this run?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('button', { name: /^Delete alfworld_traj_0/ }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await studio.service['runs.list']({})).runs.map((r) => r.id)).toEqual([runId]);

    // Nothing went wrong on the page along the way: no script errors, no CSP violations, no
    // missing files (the broken import's 400 answer is the one expected failed request).
    expect(browser.problems.filter((p) => !/status of 400 \(Bad Request\)/.test(p))).toEqual([]);
  }, 60_000);
});

describe.skipIf(!HAS_CHROMIUM)('SPA Studio at scale (fake launcher writing big logs)', () => {
  const METRICS = 100_000;
  const TRAJECTORIES = 5_000;
  let studio: Studio;
  let browser: Browser;
  let page: Page;
  let id = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    studio = await startStudio({ launcher: 'fake' });
    id = await studio.launcher.start(defaultRunConfig('alfworld', 'spa', 'smoke', 3), { name: 'big run' });
    const paths = runPaths(workspacePaths(studio.dataDir).runsDir, id);
    const metrics = AppendLog.open<MetricRecord>(paths.metrics);
    for (let step = 0; step < METRICS; step++) {
      metrics.append({ step, 'charts/episodic_return': Math.sin(step / 5000) + ((step * 7919) % 101) / 300, 'losses/policy_loss': 1 / (1 + step / 1000), global_step: step * 64, t: 1_700_000_000_000 + step * 50 });
    }
    metrics.close();
    const trajs = AppendLog.open<RunTrajectory>(paths.trajectories);
    for (let i = 0; i < TRAJECTORIES; i += 500) trajs.appendMany(Array.from({ length: 500 }, (_, k) => syntheticTrajectory(i + k, { update: Math.floor((i + k) / 10), stage: 'train' })));
    trajs.close();
    browser = await openBrowser();
    page = browser.page;
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  }, 30_000);

  test('(d) 100k metric records chart decimated and re-smooth fast; 5k trajectories stay virtualised', async () => {
    const started = Date.now();
    await page.goto(`${studio.url}#/run/${id}`);
    const chart = page.locator('figure[data-metric="charts/episodic_return"]');
    await expect.poll(() => chart.getAttribute('data-total'), { timeout: 30_000 }).toBe(String(METRICS));
    const loadMs = Date.now() - started;
    // LTTB keeps the shape in a few thousand points (Chart.js then decimates to the canvas width).
    expect(Number(await chart.getAttribute('data-points'))).toBeLessThanOrEqual(2 * 4000);
    expect(loadMs).toBeLessThan(15_000);

    // Re-smoothing 100k points and switching the x axis answer within a frame budget a person tolerates.
    const slider = page.getByLabel('Smoothing', { exact: true });
    await slider.focus();
    let t0 = Date.now();
    await page.keyboard.press('End');
    await page.evaluate('1');
    expect(Date.now() - t0).toBeLessThan(2_000);
    t0 = Date.now();
    await page.getByLabel('X axis', { exact: true }).selectOption('global_step');
    await expect.poll(() => page.locator('figure[data-metric="charts/episodic_return"] canvas').getAttribute('aria-label')).toContain(`${METRICS} points`);
    await page.evaluate('1');
    expect(Date.now() - t0).toBeLessThan(2_000);
    await page.getByLabel('X axis', { exact: true }).selectOption('step');

    // The list holds 5k trajectories but only the rows in view are in the DOM.
    await page.goto(`${studio.url}#/run/${id}/replay`);
    await expect.poll(() => page.getByText(`${TRAJECTORIES.toLocaleString('en-US')} trajectories`).isVisible()).toBe(true);
    const rows = trajectoryRows(page);
    await expect.poll(() => rows.count()).toBeGreaterThan(5);
    expect(await rows.count()).toBeLessThan(60);
    await page.evaluate("document.querySelector('[role=listbox][aria-label=Trajectories]').scrollTop = 1e9");
    await expect.poll(() => page.locator(`[role="option"][data-index="${TRAJECTORIES - 1}"]`).isVisible()).toBe(true);
    expect(await rows.count()).toBeLessThan(60);
    await page.locator(`[role="option"][data-index="${TRAJECTORIES - 1}"]`).click();
    await expect.poll(() => page.locator('.tbar .mono').innerText()).toBe(`alfworld/v1/train/${TRAJECTORIES - 1}`);
    // A scored trajectory: the c_t bar and Σc_t against R.
    await page.keyboard.press('End');
    await expect.poll(() => page.getByLabel('Sum of contributions').innerText()).not.toBe('—');
    await screenshot(page, 'replay-scored');
    expect(browser.problems).toEqual([]);
  }, 90_000);
});
