/**
 * Runs one run's stages in order, each in a child process, and keeps the run folder true:
 *
 *   stages.json   which stages this run has completed, their output folder and step range
 *                 (atomic; a resume skips them and starts the next at the right step)
 *
 * A cached stage that is already done is not rerun: its recorded metrics and trajectories are
 * replayed into this run's logs (renumbered), so every run shows its whole history. A cached
 * stage is produced by one run at a time, in this process or any other (the stage cache's lock
 * per key); a second run waits, then reuses it.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunConfig } from '../../common/run-config';
import type { StageJob, StageName, WorkerMessage } from '../../common/worker-protocol';
import { STAGE_METRICS, STAGE_TRAJECTORIES } from '../../engine/pipeline/stages/stage-io';
import { readLogSync } from '../../engine/storage/append-log';
import { writeFileAtomic } from '../../engine/storage/durable';
import type { MetricRecord, RunTrajectory } from '../../common/run-schema';
import { appendRunLog, openMetricsLog, openTrajectoryLog, RUN_FILES } from '../runs/run-folder';
import { completeStage, openStage, stageKey, withStageLock } from '../runs/stage-cache';
import { planStages } from './plan';

const CompletedStageSchema = z.object({
  stage: z.string(),
  outDir: z.string(),
  key: z.string().nullable(),
  /** Run-wide steps this stage's records occupy: (firstStep, lastStep]. */
  firstStep: z.number().int(),
  lastStep: z.number().int(),
  /** Reused from the cache (records replayed), not computed by this run. */
  reused: z.boolean(),
  producedBy: z.string().nullable(),
  seconds: z.number(),
  /** Continued from a partial output left by an interrupted attempt: `seconds` are the last attempt's only. */
  resumed: z.boolean().optional(),
});
export type CompletedStage = z.infer<typeof CompletedStageSchema>;
const StagesFileSchema = z.object({ completed: z.array(CompletedStageSchema) });

export async function readCompletedStages(runDir: string): Promise<CompletedStage[]> {
  try {
    return StagesFileSchema.parse(JSON.parse(await fsp.readFile(join(runDir, RUN_FILES.stages), 'utf8'))).completed;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${RUN_FILES.stages} is unreadable: ${(e as Error).message}`);
  }
}

async function writeCompletedStages(runDir: string, completed: CompletedStage[]): Promise<void> {
  await writeFileAtomic(join(runDir, RUN_FILES.stages), JSON.stringify({ completed }, null, 2) + '\n');
}

/** Runs a stage job in a worker; resolves when it is done, rejects with the worker's error or its death. */
export type StageRunner = (job: StageJob, onMessage: (m: WorkerMessage) => void) => Promise<{ lastStep: number; summary: Record<string, unknown> }>;

export interface ExecuteOptions {
  runId: string;
  runDir: string;
  cacheDir: string;
  config: RunConfig;
  runStage: StageRunner;
  onMessage: (m: WorkerMessage) => void;
  /** Checked between stages. */
  cancelled: () => boolean;
}

export interface ExecuteResult {
  completed: CompletedStage[];
  summary: Record<string, unknown>;
  stageKeys: Record<string, string>;
  cancelled: boolean;
}

/** Copies a cached stage's records into the run's logs, renumbered after `offset`. Returns the last step. */
function replayStageRecords(runDir: string, stageDir: string, offset: number): number {
  const read = <T>(file: string): T[] => {
    try {
      return readLogSync<T>(join(stageDir, file)).records;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  };
  const metrics = read<MetricRecord>(STAGE_METRICS);
  const trajs = read<RunTrajectory>(STAGE_TRAJECTORIES);
  // Drop anything a previous, interrupted replay wrote past the offset.
  const mlog = openMetricsLog(runDir, { resumeFrom: offset });
  const tlog = openTrajectoryLog(runDir, { resumeFrom: offset });
  let last = offset;
  try {
    tlog.appendMany(trajs.map((t) => ({ ...t, update: offset + (t.update ?? 1) })));
    for (const m of metrics) {
      const { step, t, ...values } = m;
      mlog.write(offset + step, { ...values, cached: true }, t);
      last = Math.max(last, offset + step);
    }
  } finally {
    mlog.close();
    tlog.close();
  }
  return last;
}

export async function executeRun(o: ExecuteOptions): Promise<ExecuteResult> {
  const plan = planStages(o.config);
  const completed = await readCompletedStages(o.runDir);
  const outDirs: Partial<Record<StageName, string>> = {};
  const keys: Record<string, string> = {};
  let summary: Record<string, unknown> = {};
  for (const c of completed) {
    outDirs[c.stage as StageName] = c.outDir;
    if (c.key) keys[c.stage] = c.key;
  }
  let step = completed.at(-1)?.lastStep ?? 0;
  for (const planned of plan) {
    if (completed.some((c) => c.stage === planned.stage)) continue;
    if (o.cancelled()) return { completed, summary, stageKeys: keys, cancelled: true };
    const inputs: Record<string, string> = {};
    for (const [name, stage] of Object.entries(planned.inputs)) {
      const dir = outDirs[stage];
      if (!dir) throw new Error(`stage ${planned.stage} needs ${stage}, which has not run`);
      inputs[name] = dir;
    }
    const started = performance.now();
    const firstStep = step;
    let record: CompletedStage;
    if (planned.cached) {
      const inputKeys = Object.fromEntries(Object.entries(planned.inputs).map(([n, s]) => [n, keys[s] as string]));
      const key = stageKey(planned.stage, planned.slice, inputKeys);
      const onWait = () => appendRunLog(o.runDir, `[${planned.stage}] another run is producing this stage (${key.slice(0, 12)}…); waiting for it`);
      const onCompromised = (e: Error) => appendRunLog(o.runDir, `[${planned.stage}] the stage's lock was lost (${e.message}); another run may produce it too`);
      const result = await withStageLock(o.cacheDir, planned.stage, key, async () => {
        const opened = await openStage(o.cacheDir, { stage: planned.stage, slice: planned.slice, inputs: inputKeys });
        if (opened.state === 'done') {
          appendRunLog(o.runDir, `[${planned.stage}] reused from the stage cache (${opened.key.slice(0, 12)}…, produced by ${opened.done?.producedBy ?? 'unknown'})`);
          return { key: opened.key, dir: opened.dir, lastStep: replayStageRecords(o.runDir, opened.dir, firstStep), reused: true, resumed: false, producedBy: opened.done?.producedBy ?? null, summary: {} };
        }
        if (opened.state === 'partial') appendRunLog(o.runDir, `[${planned.stage}] resuming a partial stage in the cache`);
        const job: StageJob = { stage: planned.stage, runId: o.runId, runDir: o.runDir, outDir: opened.dir, inputs, config: o.config, stepOffset: firstStep, resume: opened.state === 'partial' };
        const out = await o.runStage(job, o.onMessage);
        if (o.cancelled() || out.summary.cancelled) return null;
        await completeStage(o.cacheDir, planned.stage, opened.key, o.runId);
        return { key: opened.key, dir: opened.dir, lastStep: out.lastStep, reused: false, resumed: job.resume, producedBy: o.runId, summary: out.summary };
      }, { onWait, onCompromised, cancelled: o.cancelled });
      if (!result) return { completed, summary, stageKeys: keys, cancelled: true };
      record = { stage: planned.stage, outDir: result.dir, key: result.key, firstStep, lastStep: result.lastStep, reused: result.reused, producedBy: result.producedBy, seconds: (performance.now() - started) / 1000, resumed: result.resumed };
      keys[planned.stage] = result.key;
    } else {
      const outDir = join(o.runDir, 'stages', planned.stage);
      // A run's own stage continues from the checkpoints an interrupted attempt left in its folder.
      const resumed = (await fsp.readdir(outDir).catch(() => [])).length > 0;
      await fsp.mkdir(outDir, { recursive: true });
      const job: StageJob = { stage: planned.stage, runId: o.runId, runDir: o.runDir, outDir, inputs, config: o.config, stepOffset: firstStep, resume: false };
      const out = await o.runStage(job, o.onMessage);
      if (o.cancelled() || out.summary.cancelled) return { completed, summary, stageKeys: keys, cancelled: true };
      if (planned.stage === 'eval') summary = out.summary;
      record = { stage: planned.stage, outDir, key: null, firstStep, lastStep: out.lastStep, reused: false, producedBy: o.runId, seconds: (performance.now() - started) / 1000, resumed };
    }
    outDirs[planned.stage] = record.outDir;
    step = record.lastStep;
    completed.push(record);
    await writeCompletedStages(o.runDir, completed);
  }
  return { completed, summary, stageKeys: keys, cancelled: false };
}
