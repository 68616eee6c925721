/**
 * The run folder's append-only logs, as the engine writes them while a worker runs (main's
 * run-folder.ts re-exports these; engine/ cannot import main/). File names live here so both
 * sides agree on them.
 */
import { join } from 'node:path';
import type { MetricRecord, MetricValue, RunTrajectory } from '../../common/run-schema';
import { AppendLog, type AppendLogOptions } from './append-log';

export const RUN_FILES = {
  config: 'config.json',
  status: 'status.json',
  metrics: 'metrics.jsonl',
  trajectories: 'trajectories.jsonl',
  log: 'log.txt',
  annotations: 'annotations.jsonl',
  /** The stages the run completed, with their cache keys and seconds (main/jobs/run-executor.ts). */
  stages: 'stages.json',
  checkpoints: 'checkpoints',
} as const;

const RESERVED_METRIC_KEYS = new Set(['step', 't', 'crc']);

/** metrics.jsonl writer: one `{step, ...metrics, t}` line per call. */
export class MetricsLog {
  constructor(readonly log: AppendLog<MetricRecord>) {}

  write(step: number, metrics: Record<string, MetricValue>, t = Date.now()): void {
    if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(`metric step must be a non-negative integer, got ${step}`);
    const record: MetricRecord = { step, t };
    for (const [k, v] of Object.entries(metrics)) {
      if (RESERVED_METRIC_KEYS.has(k)) throw new Error(`"${k}" is reserved in metric records`);
      // JSON has no NaN/Infinity; null marks "not a number" explicitly (a chart shows a gap).
      record[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    }
    // Keep `t` last, as the record layout promises.
    delete (record as Partial<MetricRecord>).t;
    record.t = t;
    this.log.append(record);
  }

  close(): void {
    this.log.close();
  }
}

export interface OpenLogOptions {
  /** Resuming from the checkpoint of this step/update: later records are dropped first. */
  resumeFrom?: number;
  fsyncIntervalMs?: number;
  /** Another file in the folder (a stage's local copy); default the run's own. */
  fileName?: string;
}

function appendOptions<T>(opts: OpenLogOptions, position: (r: T) => number | undefined): AppendLogOptions<T> {
  const out: AppendLogOptions<T> = { fsyncIntervalMs: opts.fsyncIntervalMs };
  const from = opts.resumeFrom;
  if (from !== undefined) out.dropFrom = (r) => (position(r) ?? -1) > from;
  return out;
}

export function openMetricsLog(runDir: string, opts: OpenLogOptions = {}): MetricsLog {
  return new MetricsLog(AppendLog.open<MetricRecord>(join(runDir, opts.fileName ?? RUN_FILES.metrics), appendOptions<MetricRecord>(opts, (r) => r.step)));
}

export function openTrajectoryLog(runDir: string, opts: OpenLogOptions = {}): AppendLog<RunTrajectory> {
  return AppendLog.open<RunTrajectory>(join(runDir, opts.fileName ?? RUN_FILES.trajectories), appendOptions<RunTrajectory>(opts, (r) => r.update));
}

