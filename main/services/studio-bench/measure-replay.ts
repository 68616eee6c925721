/**
 * Replay timings: opening a run with many trajectories (page load, route change, click in the
 * runs list) until its list shows the count and first rows; then stepping through a trajectory.
 */
import type { Page } from 'playwright-core';
import type { BenchData } from './data';
import { inPage } from './in-page';

const TIMEOUT_MS = 120_000;

export interface ReplayOpenSamples {
  /** The first open after the server started (the trajectory index is read from the cache, or built). */
  coldListMs: number;
  /** Page load (navigation start) → list painted; `stepView*` → first step painted. */
  loadListMs: number[];
  routeListMs: number[];
  routeStepViewMs: number[];
  clickListMs: number[];
}

export interface StepSamples {
  frameMs: number[];
  scriptMs: number[];
  /** Presses whose step was not painted in the frame they were dispatched in. */
  late: number;
}

type Progress = (done: number, total: number, detail: string) => void;
type Opened = { listMs: number; stepViewMs: number };

export function replayHash(id: string): string {
  return `#/run/${encodeURIComponent(id)}/replay`;
}

/** The first page load of the run's replay in a server that has not opened it yet. */
export async function measureColdOpen(page: Page, url: string, data: BenchData): Promise<number> {
  const run = data.replayRun;
  await page.goto(`${url}${replayHash(run.id)}`, { waitUntil: 'commit' });
  return (await inPage<Opened>(page, 'replayOpened', run.trajectories, run.stepsPerTrajectory, TIMEOUT_MS)).listMs;
}

export async function measureReplayOpen(page: Page, url: string, data: BenchData, reps: number, onProgress?: Progress): Promise<ReplayOpenSamples> {
  const run = data.replayRun;
  const hash = replayHash(run.id);
  const load = async (): Promise<Opened> => {
    await page.goto(`${url}${hash}`, { waitUntil: 'commit' });
    return inPage<Opened>(page, 'replayOpened', run.trajectories, run.stepsPerTrajectory, TIMEOUT_MS);
  };
  const cold = await load();
  const out: ReplayOpenSamples = { coldListMs: cold.listMs, loadListMs: [], routeListMs: [], routeStepViewMs: [], clickListMs: [] };
  for (let rep = 0; rep < reps; rep++) {
    onProgress?.(rep, reps, 'opening replay');
    out.loadListMs.push((await load()).listMs);

    await inPage(page, 'showRuns', run.id, TIMEOUT_MS);
    const byRoute = await inPage<Opened>(page, 'openReplay', 'hash', hash, run.trajectories, run.stepsPerTrajectory, TIMEOUT_MS);
    out.routeListMs.push(byRoute.listMs);
    out.routeStepViewMs.push(byRoute.stepViewMs);

    await inPage(page, 'showRuns', run.id, TIMEOUT_MS);
    const link = `tr[data-run-id="${run.id}"] a[aria-label="Replay ${run.name}"]`;
    out.clickListMs.push((await inPage<Opened>(page, 'openReplay', 'click', link, run.trajectories, run.stepsPerTrajectory, TIMEOUT_MS)).listMs);
  }
  onProgress?.(reps, reps, 'opening replay');
  return out;
}

/** Steps through the open trajectory with → from its first step to its last, `reps` times. */
export async function measureStepping(page: Page, data: BenchData, reps: number, onProgress?: Progress): Promise<StepSamples> {
  const steps = data.replayRun.stepsPerTrajectory;
  const out: StepSamples = { frameMs: [], scriptMs: [], late: 0 };
  for (let rep = 0; rep < reps; rep++) {
    onProgress?.(rep, reps, 'stepping');
    await page.keyboard.press('Home');
    await page.getByLabel('Current step').filter({ hasText: new RegExp(`^\\s*Step\\s+1\\s*/\\s*${steps}\\s*$`) }).waitFor();
    await inPage(page, 'settle', 200);
    for (let k = 2; k <= steps; k++) {
      const r = await inPage<{ frameMs: number; scriptMs: number; late: boolean }>(page, 'pressKey', 'ArrowRight', k, steps);
      out.frameMs.push(r.frameMs);
      if (Number.isFinite(r.scriptMs)) out.scriptMs.push(r.scriptMs);
      if (r.late) out.late++;
    }
  }
  onProgress?.(reps, reps, 'stepping');
  return out;
}
