/**
 * Live chart timings on a run with a very long metrics.jsonl: loading it (every record fetched,
 * decimated and drawn), re-smoothing it (slider → frame painted) and redrawing it on resize.
 */
import type { Page } from 'playwright-core';
import type { BenchData } from './data';
import { inPage } from './in-page';

const LOAD_TIMEOUT_MS = 300_000;
/** Slider moves and resizes per page load (even, so every move changes the value). */
const MOVES = 4;

export interface ChartSamples {
  /** Navigation start → chart with every point painted. */
  loadMs: number[];
  /** Slider input → frame painted; and the Chart.js update + draw inside it. */
  smoothFrameMs: number[];
  smoothChartMs: number[];
  /** Slider moves whose redraw was not painted in the frame they were made in. */
  smoothLate: number;
  /** Resize → Chart.js update + draw; and resize → frame painted (includes Chart.js waiting a frame to resize). */
  resizeChartMs: number[];
  resizeFrameMs: number[];
}

type Progress = (done: number, total: number, detail: string) => void;

export async function measureChart(page: Page, url: string, data: BenchData, reps: number, onProgress?: Progress): Promise<ChartSamples> {
  const run = data.chartRun;
  const out: ChartSamples = { loadMs: [], smoothFrameMs: [], smoothChartMs: [], smoothLate: 0, resizeChartMs: [], resizeFrameMs: [] };
  for (let rep = 0; rep < reps; rep++) {
    onProgress?.(rep, reps, 'live chart');
    await page.goto(`${url}#/run/${encodeURIComponent(run.id)}`, { waitUntil: 'commit' });
    const loaded = await inPage<{ loadMs: number }>(page, 'chartLoaded', run.metric, run.records, LOAD_TIMEOUT_MS);
    out.loadMs.push(loaded.loadMs);
    await inPage(page, 'settle', 300);
    for (let j = 0; j < MOVES; j++) {
      const r = await inPage<{ frameMs: number; chartMs: number; late: boolean }>(page, 'smooth', run.metric, j % 2 ? 0.6 : 0.9);
      if (r.late) out.smoothLate++;
      out.smoothFrameMs.push(r.frameMs);
      out.smoothChartMs.push(r.chartMs);
      await inPage(page, 'settle', 100);
    }
    for (let j = 0; j < MOVES; j++) {
      const r = await inPage<{ frameMs: number; chartMs: number }>(page, 'resize', run.metric, j % 2 ? '' : '70%', 10_000);
      out.resizeChartMs.push(r.chartMs);
      out.resizeFrameMs.push(r.frameMs);
      await inPage(page, 'settle', 100);
    }
  }
  onProgress?.(reps, reps, 'live chart');
  return out;
}
