/**
 * A run is a folder, and the folder is the truth (the catalog only indexes it):
 *
 *   runs/<id>/config.json         RunMeta: what was asked for; written once, atomically
 *   runs/<id>/status.json         RunStatusFile: status, step, backend, lineage, summary; atomic
 *   runs/<id>/metrics.jsonl       append-only, one checked record per line: {step, ...metrics, t}
 *   runs/<id>/trajectories.jsonl  append-only, checked Trajectory records (+ update)
 *   runs/<id>/log.txt             human-readable log, appended
 *   runs/<id>/annotations.jsonl   append-only step annotations (latest per step wins)
 *   runs/<id>/stages.json         the stages completed: output folder, cache key, seconds (atomic)
 *   runs/<id>/stages/<stage>/     outputs of the stages that are not cached (RL policy, eval)
 *   runs/<id>/checkpoints/        engine/checkpoint.ts folders (step-<n>/)
 *
 * Writers: main creates the folder; while a worker runs, it appends metrics/trajectories and
 * saves checkpoints (paths handed over by main; engine/ cannot import this file, so it uses
 * engine/storage/append-log.ts directly); status.json has one writer at a time: the
 * worker while it runs, main before and after.
 */
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { readLog, type LogRead } from '../../engine/storage/append-log';
import { RUN_FILES } from '../../engine/storage/run-logs';

export { RUN_FILES, MetricsLog, openMetricsLog, openTrajectoryLog, type OpenLogOptions } from '../../engine/storage/run-logs';
import { fsyncDir, writeFileAtomic } from '../../engine/storage/durable';
import type { EnvName } from '../../envs/core/types';
import { isRunId, makeRunId, withSuffix } from '../../common/run-id';
import {
  firstIssue,
  MetricRecordSchema,
  RUN_SCHEMA,
  RUN_STATUS_SCHEMA,
  RunMetaSchema,
  RunStatusFileSchema,
  RunTrajectorySchema,
  type Lineage,
  type MetricRecord,
  type RunMeta,
  type RunStatus,
  type RunStatusFile,
  type RunTrajectory,
  type Summary,
} from '../../common/run-schema';


export interface WorkspacePaths {
  runsDir: string;
  catalogFile: string;
  cacheDir: string;
}

/** The studio's data folder: runs/, catalog.json, cache/. */
export function workspacePaths(root: string): WorkspacePaths {
  return { runsDir: join(root, 'runs'), catalogFile: join(root, 'catalog.json'), cacheDir: join(root, 'cache') };
}

/** Where a run's trajectory index is kept between sessions (derived data: safe to delete). */
export function trajectoryIndexCacheFile(cacheDir: string, id: string): string {
  if (!isRunId(id)) throw new Error(`not a run id: ${JSON.stringify(id)}`);
  return join(cacheDir, 'trajectory-index', `${id}.json`);
}

export type RunPaths = { dir: string } & { [K in keyof typeof RUN_FILES]: string };

export function runPaths(runsDir: string, id: string): RunPaths {
  if (!isRunId(id)) throw new Error(`not a run id: ${JSON.stringify(id)}`);
  const dir = join(runsDir, id);
  return {
    dir,
    config: join(dir, RUN_FILES.config),
    status: join(dir, RUN_FILES.status),
    metrics: join(dir, RUN_FILES.metrics),
    trajectories: join(dir, RUN_FILES.trajectories),
    log: join(dir, RUN_FILES.log),
    annotations: join(dir, RUN_FILES.annotations),
    stages: join(dir, RUN_FILES.stages),
    checkpoints: join(dir, RUN_FILES.checkpoints),
  };
}

export interface NewRun {
  /** Display name; defaults to the id. */
  name?: string;
  env: EnvName;
  method: string;
  preset?: string | null;
  seed: number;
  config: Record<string, unknown>;
  lineage?: Lineage;
  /** Creation time (default now); names the run. */
  date?: Date;
}

export interface CreatedRun {
  meta: RunMeta;
  status: RunStatusFile;
  paths: RunPaths;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/**
 * Creates the folder and its files. The exclusive mkdir makes the id unique even if two
 * runs start in the same second. A crash before config.json lands leaves a folder without
 * it, which the catalog rebuild skips and reports.
 */
export async function createRun(runsDir: string, run: NewRun): Promise<CreatedRun> {
  await fsp.mkdir(runsDir, { recursive: true });
  const date = run.date ?? new Date();
  const base = makeRunId({ env: run.env, method: run.method, seed: run.seed, date });
  let id = base;
  for (let n = 1; ; n++) {
    id = withSuffix(base, n);
    try {
      await fsp.mkdir(join(runsDir, id));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const paths = runPaths(runsDir, id);
  const meta = RunMetaSchema.parse({
    schema: RUN_SCHEMA,
    id,
    name: run.name ?? id,
    env: run.env,
    method: run.method,
    preset: run.preset ?? null,
    seed: run.seed,
    createdAt: date.toISOString(),
    config: run.config,
  });
  const status = RunStatusFileSchema.parse({
    schema: RUN_STATUS_SCHEMA,
    status: 'created',
    updatedAt: date.toISOString(),
    backend: null,
    step: null,
    message: null,
    lineage: run.lineage ?? {},
    summary: {},
  });
  await fsp.mkdir(paths.checkpoints);
  for (const f of [paths.metrics, paths.trajectories, paths.log]) closeSync(openSync(f, 'a'));
  await writeFileAtomic(paths.status, json(status));
  await writeFileAtomic(paths.config, json(meta)); // last: a folder with config.json is complete
  await fsyncDir(paths.dir);
  await fsyncDir(runsDir);
  return { meta, status, paths };
}

/** A JSON file's value; errors name `what` (missing, or not valid JSON). */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${what} is missing`);
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not valid JSON (${(e as Error).message})`);
  }
}

export async function readRunMeta(runDir: string): Promise<RunMeta> {
  const parsed = RunMetaSchema.safeParse(await readJsonFile(join(runDir, RUN_FILES.config), 'config.json'));
  if (!parsed.success) throw new Error(`config.json is invalid ${firstIssue(parsed.error)}`);
  return parsed.data;
}

export async function readRunStatus(runDir: string): Promise<RunStatusFile> {
  const parsed = RunStatusFileSchema.safeParse(await readJsonFile(join(runDir, RUN_FILES.status), 'status.json'));
  if (!parsed.success) throw new Error(`status.json is invalid ${firstIssue(parsed.error)}`);
  return parsed.data;
}

export interface StatusPatch {
  status?: RunStatus;
  /** Who runs it now (null: nobody). */
  owner?: RunOwner | null;
  backend?: string | null;
  step?: number | null;
  message?: string | null;
  archived?: boolean;
  /** Merged into the current lineage. */
  lineage?: Lineage;
  /** Merged into the current summary; non-finite numbers become null. */
  summary?: Summary;
}

export type RunOwner = NonNullable<RunStatusFile['owner']>;

/** This process, as the owner of the runs it supervises. */
export function thisProcessOwner(): RunOwner {
  return { pid: process.pid, host: hostname() };
}

/**
 * Whether another live process on this machine supervises the run. A run owned by another host
 * (a shared data folder) counts as live: we cannot tell, and guessing wrong would start a second
 * writer. A recycled pid can make a dead owner look alive; the user then waits for it or deletes
 * the owner from status.json — never two writers.
 */
export function ownedElsewhere(status: Pick<RunStatusFile, 'status' | 'owner'>): RunOwner | null {
  const owner = status.owner;
  if (status.status !== 'running' || !owner) return null;
  if (owner.host !== hostname()) return owner;
  if (owner.pid === process.pid) return null;
  return pidAlive(owner.pid) ? owner : null;
}

/** Whether a process of this machine lives (EPERM: it does, but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Read, merge, write atomically. A damaged status.json is replaced rather than blocking the
 * update (its content is unknowable; the new status is what matters).
 */
export async function writeRunStatus(runDir: string, patch: StatusPatch, now = new Date()): Promise<RunStatusFile> {
  const current = await readRunStatus(runDir).catch(
    (): RunStatusFile => ({
      schema: RUN_STATUS_SCHEMA,
      status: 'crashed',
      updatedAt: now.toISOString(),
      backend: null,
      step: null,
      message: null,
      lineage: {},
      summary: {},
    }),
  );
  const summary = { ...current.summary };
  for (const [k, v] of Object.entries(patch.summary ?? {})) summary[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
  const next = RunStatusFileSchema.parse({
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'lineage' && k !== 'summary')),
    lineage: { ...current.lineage, ...patch.lineage },
    summary,
    updatedAt: now.toISOString(),
  });
  await writeFileAtomic(join(runDir, RUN_FILES.status), json(next));
  return next;
}

function validator<T>(schema: z.ZodType<T>) {
  return (v: Record<string, unknown>): T => {
    const parsed = schema.safeParse(v);
    if (!parsed.success) throw new Error(firstIssue(parsed.error));
    return parsed.data;
  };
}

/** Metric records (from a byte offset, for tailing); a missing file reads as empty. */
export async function readMetrics(runDir: string, from = 0): Promise<LogRead<MetricRecord>> {
  return readOrEmpty(join(runDir, RUN_FILES.metrics), from, validator(MetricRecordSchema) as (v: Record<string, unknown>) => MetricRecord);
}

export async function readTrajectories(runDir: string, from = 0): Promise<LogRead<RunTrajectory>> {
  return readOrEmpty(join(runDir, RUN_FILES.trajectories), from, validator(RunTrajectorySchema));
}

async function readOrEmpty<T>(path: string, from: number, validate: (v: Record<string, unknown>) => T): Promise<LogRead<T>> {
  try {
    return await readLog<T>(path, { from, validate });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return { records: [], skipped: 0, problems: [], tornTail: false, endOffset: from };
  }
}

/** One timestamped line in log.txt (continuation lines indented). */
export function appendRunLog(runDir: string, message: string, now = new Date()): void {
  appendFileSync(join(runDir, RUN_FILES.log), `${now.toISOString()} ${message.replace(/\r?\n/g, '\n    ')}\n`);
}
