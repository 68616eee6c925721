/**
 * The stage cache lets methods share work: SPA, PPO and GRPO runs on the same environment
 * with the same SFT settings reuse one SFT model, one exploration set, one estimator.
 *
 * A stage's output lives in `cache/<stage>/<key>/`, where key = sha256 of the canonical JSON
 * of {stage, slice, inputs}: `slice` is the part of the config the stage depends on (and
 * should include anything else that changes its output, such as a code version), `inputs`
 * the keys of the stages it consumes. Canonical JSON sorts object keys, so the key does not
 * depend on property order.
 *
 * Protocol: `openStage` creates the folder with stage.json (what the key stands for). The
 * producer writes its outputs there; a crashed producer can resume from what it left (e.g.
 * its checkpoints/). `completeStage` then writes done.json last, listing every file with
 * size and sha256. Only a folder with a valid done.json is a cache hit.
 *
 * One producer per key at a time, across processes too (the studio and `spa run`s in terminals
 * share a data folder): `withStageLock` holds `cache/<stage>/<key>.lock` (proper-lockfile,
 * refreshed every few seconds, stale after 30 s, so a killed producer's lock is taken over) from
 * the lookup until done.json is written; a second producer waits, then finds the stage done.
 * Without it, two runs that started together each wrote the stage, and its logs held every
 * record twice.
 */
import { promises as fsp } from 'node:fs';
import { join, relative, sep } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { sha256Hex, writeFileAtomic } from '../../engine/storage/durable';
import { firstIssue } from '../../common/run-schema';

export const STAGE_DONE = 'done.json';
export const STAGE_INFO = 'stage.json';
const STAGE_DONE_SCHEMA = 'spa-studio/stage-done@1' as const;
const STAGE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const STAGE_KEY = /^[0-9a-f]{64}$/;

/**
 * JSON with object keys sorted at every level (RFC 8785 style for what we store): the same
 * value always gives the same text. Undefined properties are left out, as JSON.stringify
 * does; NaN, Infinity, functions, symbols and bigints are refused because they have no
 * stable JSON form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
    return JSON.stringify(value === 0 ? 0 : value); // -0 and 0 are the same key
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

function assertStage(stage: string): void {
  if (!STAGE_NAME.test(stage)) throw new Error(`stage names are lowercase [a-z0-9-], got ${JSON.stringify(stage)}`);
}

/** The cache key of a stage: sha256 (hex) of canonical JSON {stage, slice, inputs}. */
export function stageKey(stage: string, slice: unknown, inputs: Record<string, string> = {}): string {
  assertStage(stage);
  return sha256Hex(canonicalJson({ stage, slice, inputs }));
}

export function stageDir(cacheDir: string, stage: string, key: string): string {
  assertStage(stage);
  if (!STAGE_KEY.test(key)) throw new Error(`not a stage key: ${JSON.stringify(key)}`);
  return join(cacheDir, stage, key);
}

const StageFileSchema = z.strictObject({
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const StageDoneSchema = z.object({
  schema: z.literal(STAGE_DONE_SCHEMA),
  stage: z.string(),
  key: z.string(),
  /** The run that produced it (lineage for the runs that reuse it). */
  producedBy: z.string().nullable(),
  completedAt: z.iso.datetime(),
  files: z.array(StageFileSchema),
});
export type StageDone = z.infer<typeof StageDoneSchema>;

export interface StageRequest {
  stage: string;
  slice: unknown;
  inputs?: Record<string, string>;
}

export interface OpenedStage {
  key: string;
  dir: string;
  /** done: a cache hit, use it; partial: a previous producer left files; new: empty. */
  state: 'done' | 'partial' | 'new';
  done: StageDone | null;
}

/** Looks a stage up and, unless it is done, makes its folder ready for a producer. */
export async function openStage(cacheDir: string, req: StageRequest): Promise<OpenedStage> {
  const key = stageKey(req.stage, req.slice, req.inputs);
  const dir = stageDir(cacheDir, req.stage, key);
  const found = await lookupStage(cacheDir, req.stage, key);
  if (found.done) return { key, dir, state: 'done', done: found.done };
  await fsp.mkdir(dir, { recursive: true });
  const leftovers = (await fsp.readdir(dir)).filter((n) => n !== STAGE_INFO && n !== STAGE_DONE);
  // A done.json that failed its check is stale: remove it so it cannot be trusted later.
  await fsp.rm(join(dir, STAGE_DONE), { force: true });
  await writeFileAtomic(join(dir, STAGE_INFO), JSON.stringify({ stage: req.stage, key, slice: req.slice, inputs: req.inputs ?? {} }, null, 2) + '\n');
  return { key, dir, state: leftovers.length ? 'partial' : 'new', done: null };
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!d.isFile()) continue;
    const rel = relative(dir, join(d.parentPath, d.name)).split(sep).join('/');
    if (rel !== STAGE_DONE) out.push(rel);
  }
  return out.sort();
}

/** Marks a stage complete: hashes every file in its folder and writes done.json last. */
export async function completeStage(cacheDir: string, stage: string, key: string, producedBy: string | null, now = new Date()): Promise<StageDone> {
  const dir = stageDir(cacheDir, stage, key);
  const files = [];
  for (const path of await listFiles(dir)) {
    const data = await fsp.readFile(join(dir, path));
    files.push({ path, bytes: data.byteLength, sha256: sha256Hex(data) });
  }
  const done: StageDone = { schema: STAGE_DONE_SCHEMA, stage, key, producedBy, completedAt: now.toISOString(), files };
  await writeFileAtomic(join(dir, STAGE_DONE), JSON.stringify(done, null, 2) + '\n');
  return done;
}

/**
 * A stage's done marker, if it is complete and its files still match. `verify: 'size'`
 * (default) checks sizes; 'sha256' also rehashes (slower, catches bit rot).
 */
export async function lookupStage(
  cacheDir: string,
  stage: string,
  key: string,
  verify: 'size' | 'sha256' = 'size',
): Promise<{ done: StageDone | null; reason: string | null }> {
  const dir = stageDir(cacheDir, stage, key);
  let raw: string;
  try {
    raw = await fsp.readFile(join(dir, STAGE_DONE), 'utf8');
  } catch {
    return { done: null, reason: 'not completed' };
  }
  let parsed;
  try {
    parsed = StageDoneSchema.safeParse(JSON.parse(raw));
  } catch (e) {
    return { done: null, reason: `done.json is not valid JSON (${(e as Error).message})` };
  }
  if (!parsed.success) return { done: null, reason: `done.json is invalid ${firstIssue(parsed.error)}` };
  const done = parsed.data;
  if (done.stage !== stage || done.key !== key) return { done: null, reason: 'done.json belongs to another stage' };
  for (const f of done.files) {
    if (f.path.split('/').includes('..')) return { done: null, reason: `done.json lists a path outside the folder: ${f.path}` };
    const p = join(dir, f.path);
    const st = await fsp.stat(p).catch(() => null);
    if (!st) return { done: null, reason: `${f.path} is missing` };
    if (st.size !== f.bytes) return { done: null, reason: `${f.path} has ${st.size} bytes, done.json says ${f.bytes}` };
    if (verify === 'sha256' && sha256Hex(await fsp.readFile(p)) !== f.sha256) return { done: null, reason: `${f.path} does not match its sha256` };
  }
  return { done, reason: null };
}

export interface StageLockOptions {
  /** Called once, when another process holds the key (e.g. to say in the run's log that it waits). */
  onWait?: () => void;
  /** Checked while waiting; when it turns true the job is not run and the result is null. */
  cancelled?: () => boolean;
  /** The lock could not be refreshed in time (another producer may have taken it over). */
  onCompromised?: (e: Error) => void;
  pollMs?: number;
  staleMs?: number;
}

/** Runs `job` holding the stage key's lock across processes; waits while another holds it. */
export async function withStageLock<T>(cacheDir: string, stage: string, key: string, job: () => Promise<T | null>, o: StageLockOptions = {}): Promise<T | null> {
  const dir = stageDir(cacheDir, stage, key);
  await fsp.mkdir(join(cacheDir, stage), { recursive: true });
  const staleMs = o.staleMs ?? 30_000;
  const lockOptions = {
    realpath: false,
    lockfilePath: `${dir}.lock`,
    stale: staleMs,
    update: Math.max(1000, staleMs / 6),
    onCompromised: o.onCompromised ?? ((e: Error) => console.warn(`stage lock of ${stage} ${key.slice(0, 12)}… lost: ${e.message}`)),
  };
  let release: () => Promise<void>;
  let told = false;
  for (;;) {
    if (o.cancelled?.()) return null;
    try {
      release = await lockfile.lock(dir, lockOptions);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
      if (!told) o.onWait?.();
      told = true;
      await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
    }
  }
  try {
    return await job();
  } finally {
    await release().catch(() => undefined); // a compromised lock is already gone
  }
}
