/**
 * `spa bench studio`: the studio's UI budgets, measured in Debian's Chromium against the real
 * browser-mode server and studio service, on synthetic runs written to a temp data folder
 * (removed afterwards). Benchmarks report; they never fail on a budget.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserServer, type BrowserServer } from '../../server/browser-server';
import { appVersion } from '../../server/app-paths';
import { createStudioService, type StudioService } from '../studio-service';
import { openBenchBrowser, type BenchBrowser } from './browser';
import { writeBenchData, type BenchData } from './data';
import { idleLauncher } from './idle-launcher';
import { measureChart } from './measure-chart';
import { measureColdOpen, measureReplayOpen, measureStepping } from './measure-replay';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { summarize, type Summary } from './stats';

/** The budgets (ms). */
export const BUDGETS = { openRun: 1000, chartRedraw: 50, step: 16 } as const;

export interface StudioBenchOptions {
  reps: number;
  trajectories?: number;
  stepsPerTrajectory?: number;
  metricRecords?: number;
  chromium?: string;
  onProgress?: (done: number, total: number, detail: string) => void;
}

export interface Measure extends Summary {
  id: string;
  label: string;
  budgetMs: number | null;
  /** Whether the median is within the budget (null: no budget, reported for context). */
  meetsBudget: boolean | null;
}

export interface StudioBenchResult {
  reps: number;
  data: { trajectories: number; stepsPerTrajectory: number; trajectoriesMB: number; metricRecords: number; metricsMB: number; writeSeconds: number };
  measures: Measure[];
  /** Counts of samples that did not land in the frame they started in (see the in-page helpers). */
  late: { steps: number; smoothing: number };
  /** Script errors seen in the page. */
  problems: string[];
}

function measure(id: string, label: string, samples: number[], budgetMs: number | null): Measure {
  const s = summarize(samples);
  // Page clocks tick in 0.1 ms (or coarser): more digits are noise.
  const r = (x: number) => Math.round(x * 100) / 100;
  return { id, label, n: s.n, median: r(s.median), p95: r(s.p95), min: r(s.min), max: r(s.max), budgetMs, meetsBudget: budgetMs === null ? null : s.median < budgetMs };
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

export async function benchStudio(opts: StudioBenchOptions): Promise<StudioBenchResult> {
  const trajectories = opts.trajectories ?? 10_000;
  const stepsPerTrajectory = opts.stepsPerTrajectory ?? 40;
  const metricRecords = opts.metricRecords ?? 1_000_000;
  const { reps, onProgress } = opts;
  const staticDir = ensureRendererBuilt();
  const browser: BenchBrowser = await openBenchBrowser(opts.chromium);
  const dataDir = mkdtempSync(join(tmpdir(), 'spa-bench-studio-'));
  const launcher = idleLauncher();
  let service: StudioService | null = null;
  let server: BrowserServer | null = null;
  try {
    const t0 = performance.now();
    const data: BenchData = await writeBenchData(dataDir, { trajectories, stepsPerTrajectory, metricRecords, ...(onProgress ? { onProgress } : {}) });
    const writeSeconds = (performance.now() - t0) / 1000;
    const { page } = browser;

    // A run folder never indexed (copied in from elsewhere): the first open parses every record
    // and leaves the index in the cache. Then a fresh session: the first open of a run whose index
    // is cached (what the supervisor leaves when a run ends).
    service = await createStudioService({ dataDir, launcher, mode: 'browser', version: appVersion() });
    server = await startBrowserServer({ service, staticDir });
    const coldUnindexedMs = await measureColdOpen(page, server.url, data);
    await server.close();
    await service.close();
    service = await createStudioService({ dataDir, launcher, mode: 'browser', version: appVersion() });
    server = await startBrowserServer({ service, staticDir });
    const open = await measureReplayOpen(page, server.url, data, reps, onProgress);
    const steps = await measureStepping(page, data, reps, onProgress);
    const chart = await measureChart(page, server.url, data, reps, onProgress);

    const n = trajectories.toLocaleString('en-US');
    const m = metricRecords.toLocaleString('en-US');
    return {
      reps,
      data: { trajectories, stepsPerTrajectory, trajectoriesMB: mb(data.replayRun.bytes), metricRecords, metricsMB: mb(data.chartRun.bytes), writeSeconds: Math.round(writeSeconds * 10) / 10 },
      measures: [
        measure('replay.open.cold', `open replay, ${n} trajectories: first open, index cached at run end`, [open.coldListMs], BUDGETS.openRun),
        measure('replay.open.unindexed', `  … first open of a run never indexed (index built)`, [coldUnindexedMs], null),
        measure('replay.open.load', `open replay, ${n} trajectories: page load`, open.loadListMs, BUDGETS.openRun),
        measure('replay.open.route', `open replay, ${n} trajectories: route change`, open.routeListMs, BUDGETS.openRun),
        measure('replay.open.click', `open replay, ${n} trajectories: click in runs list`, open.clickListMs, BUDGETS.openRun),
        measure('replay.open.route.step-view', `  … until its first step is shown`, open.routeStepViewMs, null),
        measure('replay.step', `step through ${stepsPerTrajectory} steps: key → frame painted`, steps.frameMs, BUDGETS.step),
        measure('replay.step.script', `  … key → DOM updated and laid out`, steps.scriptMs, null),
        measure('chart.load', `live chart, ${m} points: load (fetch, decimate, draw)`, chart.loadMs, null),
        measure('chart.smooth', `live chart, ${m} points: smoothing → frame painted`, chart.smoothFrameMs, BUDGETS.chartRedraw),
        measure('chart.smooth.chartjs', `  … of which Chart.js update + draw`, chart.smoothChartMs, null),
        measure('chart.resize', `live chart, ${m} points: resize redraw (Chart.js update + draw)`, chart.resizeChartMs, BUDGETS.chartRedraw),
        measure('chart.resize.frame', `  … resize → frame painted (Chart.js resizes a frame later)`, chart.resizeFrameMs, null),
      ],
      late: { steps: steps.late, smoothing: chart.smoothLate },
      problems: [...browser.problems],
    };
  } finally {
    await browser.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await launcher.shutdown();
    await service?.close();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}
