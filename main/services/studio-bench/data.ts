/**
 * Writes the benchmark's runs into a data folder the way a training worker would (run folder
 * through the catalog, CRC-checked append-only logs): one run with many long scored
 * trajectories for Replay, one with a very long metrics.jsonl for the live chart.
 */
import { statSync } from 'node:fs';
import { AppendLog } from '../../../engine/storage/append-log';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import type { MetricRecord, RunTrajectory } from '../../../common/run-schema';
import { nextTurn } from '../../io/json-slices';
import { openSharedCatalog } from '../../runs/shared-catalog';
import { runPaths, workspacePaths } from '../../runs/run-folder';
import { SYNTHETIC_METRIC, syntheticMetricRecord, syntheticTrajectory } from './synthetic';

export interface BenchDataOptions {
  trajectories: number;
  stepsPerTrajectory: number;
  metricRecords: number;
  /** (done, total, what): called between batches. */
  onProgress?: (done: number, total: number, detail: string) => void;
}

export interface BenchRun {
  id: string;
  name: string;
}

export interface BenchData {
  replayRun: BenchRun & { trajectories: number; stepsPerTrajectory: number; bytes: number };
  chartRun: BenchRun & { metric: string; records: number; bytes: number };
}

const BATCH = 1000;
const TRAJECTORIES_PER_UPDATE = 100;

/** Lets a progress bar draw between batches of synchronous writes. */

export async function writeBenchData(dataDir: string, opts: BenchDataOptions): Promise<BenchData> {
  const { catalog } = await openSharedCatalog(dataDir);
  const runsDir = workspacePaths(dataDir).runsDir;
  const config = defaultRunConfig('alfworld', 'spa', 'smoke', 0) as unknown as Record<string, unknown>;
  const create = (name: string, seed: number) => catalog.create({ name, env: 'alfworld', method: 'spa', preset: 'smoke', seed, config });

  const replayName = `bench ${opts.trajectories} trajectories`;
  const replay = await create(replayName, 1);
  const trajPath = runPaths(runsDir, replay.id).trajectories;
  const trajs = AppendLog.open<RunTrajectory>(trajPath);
  try {
    for (let i = 0; i < opts.trajectories; i += BATCH) {
      const n = Math.min(BATCH, opts.trajectories - i);
      trajs.appendMany(Array.from({ length: n }, (_, k) => syntheticTrajectory(i + k, { steps: opts.stepsPerTrajectory, update: Math.floor((i + k) / TRAJECTORIES_PER_UPDATE), stage: 'train' })));
      opts.onProgress?.(i + n, opts.trajectories, 'trajectories');
      await nextTurn();
    }
  } finally {
    trajs.close();
  }
  await catalog.setStatus(replay.id, { status: 'completed', backend: 'wasm', step: Math.max(0, Math.ceil(opts.trajectories / TRAJECTORIES_PER_UPDATE) - 1) });

  const chartName = `bench ${opts.metricRecords} metric records`;
  const chart = await create(chartName, 2);
  const metricsPath = runPaths(runsDir, chart.id).metrics;
  const metrics = AppendLog.open<MetricRecord>(metricsPath);
  const batch = 10 * BATCH;
  try {
    for (let s = 0; s < opts.metricRecords; s += batch) {
      const n = Math.min(batch, opts.metricRecords - s);
      metrics.appendMany(Array.from({ length: n }, (_, k) => syntheticMetricRecord(s + k)));
      opts.onProgress?.(s + n, opts.metricRecords, 'metric records');
      await nextTurn();
    }
  } finally {
    metrics.close();
  }
  await catalog.setStatus(chart.id, { status: 'completed', backend: 'wasm', step: Math.max(0, opts.metricRecords - 1) });

  return {
    replayRun: { id: replay.id, name: replayName, trajectories: opts.trajectories, stepsPerTrajectory: opts.stepsPerTrajectory, bytes: statSync(trajPath).size },
    chartRun: { id: chart.id, name: chartName, metric: SYNTHETIC_METRIC, records: opts.metricRecords, bytes: statSync(metricsPath).size },
  };
}
