/**
 * Crash-safe training checkpoints in the TF.js weights format.
 *
 * A checkpoint is a folder `checkpoints/step-<n>/`:
 *   model.json               TF.js weightsManifest: model variables (group "model") and
 *                            optimizer slots (group "optimizer"), optimizer class/config
 *   group1-shard<i>of<k>.bin the weight bytes, as tf.io.encodeWeights lays them out
 *   trainer-state.json       RNG state, data position, counters: what an exact resume needs
 *   model-config.json        the model's config (architecture)
 *   tokenizer.json           the tokenizer
 *   manifest.json            written last: size and sha256 of every file above
 *
 * How a save commits, and what each step guards against:
 *  1. Write everything into `checkpoints/.tmp-step-<n>-<pid>-<rand>/`, inside the checkpoints
 *     folder so the final rename never crosses filesystems (EXDEV). Loaders ignore dot
 *     folders: a kill here leaves the previous checkpoints untouched.
 *  2. fsync each file as it is written: after power loss, a renamed folder must not hold
 *     empty or zero-filled files (the data reaches the disk before the rename does).
 *  3. Write manifest.json last and fsync it, then fsync the temp folder (its entries).
 *  4. Rename the folder to `step-<n>` (atomic), then fsync `checkpoints/` so the rename itself
 *     survives power loss. Where the OS cannot fsync a directory (Windows) this is skipped.
 *  5. Prune to the newest `keep` checkpoints and sweep temp folders of crashed saves.
 * Re-saving an existing step moves the old `step-<n>` aside (`.old-step-<n>-…`) first, since a
 * rename cannot replace a non-empty folder. A kill between the two renames leaves only the
 * `.old-` folder: it stands in for step n (the loader considers it, the next save's prune
 * renames it back), so the checkpoint that was committed is never lost.
 * A folder is a checkpoint only if its manifest is complete and every file matches it, so a
 * torn or corrupt one (truncated .bin, flipped byte, missing file) is refused on load and
 * `loadLatestCheckpoint` falls back to the previous one, saying why.
 *
 * A failed save leaves its temp folder (exactly as a kill would); the next save sweeps it.
 * One writer per checkpoints folder. Memory: the caller owns the tensors a load returns
 * (`disposeCheckpoint`); saving creates no lasting tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { exactJson, fsyncDir, removeTree, renameDurable, writeFileDurable, type StorageHook } from './storage/durable';
import { CheckpointError, encodeManifest, fileEntry, MANIFEST_FILE, readVerified, CHECKPOINT_SCHEMA, type CheckpointManifest } from './checkpoint/manifest';
import {
  captureOptimizer,
  decodeCheckpointWeights,
  encodeCheckpointWeights,
  MODEL_FORMAT,
  MODEL_JSON,
  type ModelJson,
  type OptimizerState,
  type WeightsInput,
} from './checkpoint/weights';

export { CheckpointError, type CheckpointManifest } from './checkpoint/manifest';
export { assignWeights, restoreOptimizer, type OptimizerState, type WeightsInput } from './checkpoint/weights';
export type { StorageEvent, StorageHook } from './storage/durable';

export const DEFAULT_KEEP = 3;
export const CHECKPOINT_FILES = {
  model: MODEL_JSON,
  trainerState: 'trainer-state.json',
  modelConfig: 'model-config.json',
  tokenizer: 'tokenizer.json',
  manifest: MANIFEST_FILE,
} as const;
const REQUIRED = [CHECKPOINT_FILES.model, CHECKPOINT_FILES.trainerState, CHECKPOINT_FILES.modelConfig, CHECKPOINT_FILES.tokenizer];
const STEP_DIR = /^step-(0|[1-9][0-9]*)$/;
// Leftovers of interrupted saves and prunes; never loaded, swept after each save (but see OLD_DIR).
const SCRATCH_DIR = /^\.(tmp|old|trash)-/;
// The previous `step-<n>` of a re-save, moved aside; the committed state of step n while no `step-<n>` exists.
const OLD_DIR = /^\.old-step-(0|[1-9][0-9]*)-/;

export interface CheckpointInput {
  /** Training step (update) this state belongs to; names the folder. */
  step: number;
  /** Variables by stable name (object or Map), or tf.Variables named by `.name`. */
  weights: WeightsInput;
  /** Its full state is saved (`getWeights()`, plus Adam's running β-powers). */
  optimizer?: tf.Optimizer;
  /** RNG state, data position, counters (JSON; NaN/Infinity refused). */
  trainerState: unknown;
  modelConfig: unknown;
  tokenizer: unknown;
}

export interface SaveOptions {
  /** Checkpoints to keep, newest by step (default 3). */
  keep?: number;
  /** Maximum .bin shard size (default 4 MiB, as the TF.js converter). */
  shardBytes?: number;
  /** Observes every storage step (tests use it to crash the save at each boundary). */
  onStorage?: StorageHook;
}

export interface SavedCheckpoint {
  step: number;
  dir: string;
  manifest: CheckpointManifest;
  /** Folders removed by pruning, with the reason. */
  pruned: { dir: string; reason: string }[];
}

export interface LoadedCheckpoint {
  step: number;
  dir: string;
  manifest: CheckpointManifest;
  /** Fresh tensors by name; owned by the caller (see `assignWeights`, `disposeCheckpoint`). */
  weights: tf.NamedTensorMap;
  optimizer: OptimizerState | null;
  trainerState: unknown;
  modelConfig: unknown;
  tokenizer: unknown;
}

export interface CheckpointRejection {
  dir: string;
  step: number;
  reason: string;
}

export interface LatestCheckpoint {
  /** The newest checkpoint that verified, or null when none did. */
  checkpoint: LoadedCheckpoint | null;
  /** Newer folders that were refused, newest first. */
  rejected: CheckpointRejection[];
  /** One sentence per refusal, for the run log and the UI. */
  warnings: string[];
}

// Temp folders of saves in flight in this process; the sweep must not touch them.
const inFlight = new Set<string>();

function assertStep(step: number): void {
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(`checkpoint step must be a non-negative integer, got ${step}`);
}

export async function saveCheckpoint(checkpointsDir: string, input: CheckpointInput, opts: SaveOptions = {}): Promise<SavedCheckpoint> {
  assertStep(input.step);
  const keep = opts.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be at least 1, got ${keep}`);
  const hook = opts.onStorage;

  // Serialize everything first, so a bad input fails before anything touches the disk.
  const optimizer = input.optimizer ? await captureOptimizer(input.optimizer) : null;
  let encoded;
  try {
    encoded = await encodeCheckpointWeights(input.step, input.weights, optimizer, opts.shardBytes);
  } finally {
    // getWeights() returns the optimizer's own variables plus a fresh `iter` scalar: free only the latter.
    if (optimizer) tf.dispose(optimizer.weights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
  }
  const files: { path: string; data: Uint8Array | string }[] = [
    ...encoded.shards.map((s) => ({ path: s.name, data: s.data })),
    { path: CHECKPOINT_FILES.model, data: JSON.stringify(encoded.modelJson, null, 1) },
    { path: CHECKPOINT_FILES.trainerState, data: exactJson(input.trainerState, 'trainerState', 2) },
    { path: CHECKPOINT_FILES.modelConfig, data: exactJson(input.modelConfig, 'modelConfig', 2) },
    { path: CHECKPOINT_FILES.tokenizer, data: exactJson(input.tokenizer, 'tokenizer') },
  ];
  const manifest: CheckpointManifest = {
    schema: CHECKPOINT_SCHEMA,
    step: input.step,
    createdAt: new Date().toISOString(),
    files: files.map((f) => fileEntry(f.path, f.data)),
  };

  await fsp.mkdir(checkpointsDir, { recursive: true });
  const name = `step-${input.step}`;
  const tmp = join(checkpointsDir, `.tmp-${name}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  const dir = join(checkpointsDir, name);
  let old = '';
  inFlight.add(tmp);
  try {
    await fsp.mkdir(tmp);
    for (const f of files) await writeFileDurable(join(tmp, f.path), f.data, hook);
    await writeFileDurable(join(tmp, MANIFEST_FILE), encodeManifest(manifest), hook);
    await fsyncDir(tmp, hook);
    // Re-saving a step (a resumed run passing it again): move the old folder aside, since a
    // rename cannot replace a non-empty folder. A kill in between leaves only the .old- folder,
    // which stands in for step n until the next prune renames it back (see OLD_DIR).
    old = join(checkpointsDir, `.old-${name}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    inFlight.add(old);
    const replaced = await fsp.rename(dir, old).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false;
        throw e;
      },
    );
    if (replaced) await hook?.({ op: 'rename', from: dir, to: old });
    await renameDurable(tmp, dir, hook);
    if (replaced) await removeTree(old, hook);
  } finally {
    inFlight.delete(tmp);
    if (old) inFlight.delete(old);
  }
  const pruned = await pruneCheckpoints(checkpointsDir, keep, hook);
  return { step: input.step, dir, manifest, pruned };
}

/** Checkpoint folders by name, newest step first (not verified). */
export async function listCheckpoints(checkpointsDir: string): Promise<{ step: number; dir: string }[]> {
  const names = await fsp.readdir(checkpointsDir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  return names
    .map((n) => ({ n, m: STEP_DIR.exec(n) }))
    .filter((x) => x.m)
    .map((x) => ({ step: Number(x.m?.[1]), dir: join(checkpointsDir, x.n) }))
    .sort((a, b) => b.step - a.step);
}

function stepOf(dir: string): number {
  const base = dir.split(/[\\/]/).pop() ?? '';
  const m = STEP_DIR.exec(base) ?? OLD_DIR.exec(base);
  return m ? Number(m[1]) : NaN;
}

/** `.old-step-<n>-…` folders left by a re-save killed between its two renames, for steps with no `step-<n>`. */
async function orphanedOld(checkpointsDir: string): Promise<{ step: number; dir: string }[]> {
  const names = await fsp.readdir(checkpointsDir).catch(() => [] as string[]);
  const steps = new Set(names.filter((n) => STEP_DIR.test(n)));
  const out: { step: number; dir: string }[] = [];
  for (const n of names.sort()) {
    const m = OLD_DIR.exec(n);
    const dir = join(checkpointsDir, n);
    if (!m || steps.has(`step-${m[1]}`) || inFlight.has(dir)) continue;
    out.push({ step: Number(m[1]), dir });
  }
  return out;
}

async function verified(dir: string, sizesOnly: boolean) {
  const step = stepOf(dir);
  if (Number.isNaN(step)) throw new CheckpointError(dir, 'not a step-<n> folder');
  return readVerified(dir, REQUIRED, sizesOnly, step);
}

/** Checks a checkpoint folder fully (sizes and sha256) without loading tensors. */
export async function verifyCheckpoint(dir: string): Promise<{ ok: true; manifest: CheckpointManifest } | { ok: false; reason: string }> {
  try {
    return { ok: true, manifest: (await verified(dir, false)).manifest };
  } catch (e) {
    return { ok: false, reason: e instanceof CheckpointError ? e.reason : (e as Error).message };
  }
}

function parseJson(dir: string, files: Map<string, Buffer>, path: string): unknown {
  try {
    return JSON.parse((files.get(path) as Buffer).toString('utf8'));
  } catch (e) {
    throw new CheckpointError(dir, `${path} is not valid JSON (${(e as Error).message})`);
  }
}

/** Loads one checkpoint folder; throws CheckpointError saying why it is not usable. */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const { manifest, files } = await verified(dir, false);
  const modelJson = parseJson(dir, files, CHECKPOINT_FILES.model) as ModelJson;
  if (modelJson?.format !== MODEL_FORMAT || !Array.isArray(modelJson.weightsManifest)) {
    throw new CheckpointError(dir, `model.json is not a ${MODEL_FORMAT} weights manifest`);
  }
  let decoded;
  try {
    decoded = decodeCheckpointWeights(modelJson, files);
  } catch (e) {
    throw new CheckpointError(dir, `model.json: ${(e as Error).message}`);
  }
  return {
    step: manifest.step,
    dir,
    manifest,
    weights: decoded.weights,
    optimizer: decoded.optimizer,
    trainerState: parseJson(dir, files, CHECKPOINT_FILES.trainerState),
    modelConfig: parseJson(dir, files, CHECKPOINT_FILES.modelConfig),
    tokenizer: parseJson(dir, files, CHECKPOINT_FILES.tokenizer),
  };
}

/** The newest checkpoint that verifies; newer torn or corrupt ones are skipped and reported. */
export async function loadLatestCheckpoint(checkpointsDir: string): Promise<LatestCheckpoint> {
  const rejected: CheckpointRejection[] = [];
  // Orphaned .old- folders stand in for their step (a re-save killed between its renames).
  const candidates = [...(await listCheckpoints(checkpointsDir)), ...(await orphanedOld(checkpointsDir))].sort((a, b) => b.step - a.step);
  for (const { step, dir } of candidates) {
    try {
      const checkpoint = await loadCheckpoint(dir);
      const warnings = rejected.map((r) => `checkpoint step-${r.step} skipped: ${r.reason}; resuming from step-${step}`);
      return { checkpoint, rejected, warnings };
    } catch (e) {
      rejected.push({ dir, step, reason: e instanceof CheckpointError ? e.reason : (e as Error).message });
    }
  }
  const warnings = rejected.map((r) => `checkpoint step-${r.step} skipped: ${r.reason}; no usable checkpoint`);
  return { checkpoint: null, rejected, warnings };
}

export function disposeCheckpoint(ckpt: LoadedCheckpoint): void {
  tf.dispose(Object.values(ckpt.weights));
  if (ckpt.optimizer) tf.dispose(ckpt.optimizer.weights.map((w) => w.tensor));
}

/**
 * Keeps the newest `keep` checkpoints that pass a quick structural check (manifest, file
 * sizes); removes older ones, structurally broken ones, and scratch folders of interrupted
 * saves. Removal renames to a dot folder first, so a kill mid-delete never leaves a
 * half-deleted `step-<n>` for the loader to trip on.
 */
export async function pruneCheckpoints(checkpointsDir: string, keep = DEFAULT_KEEP, hook?: StorageHook): Promise<{ dir: string; reason: string }[]> {
  const pruned: { dir: string; reason: string }[] = [];
  // First put back a step a killed re-save left only as `.old-step-<n>-…` (else the sweep below would delete it).
  let restored = false;
  for (const { step, dir } of await orphanedOld(checkpointsDir)) {
    const target = join(checkpointsDir, `step-${step}`);
    if (await fsp.stat(target).then(() => true, () => false)) continue;
    if (!(await verified(dir, true).then(() => true, () => false))) continue;
    await fsp.rename(dir, target);
    await hook?.({ op: 'rename', from: dir, to: target });
    restored = true;
  }
  if (restored) await fsyncDir(checkpointsDir, hook);
  let kept = 0;
  for (const { dir } of await listCheckpoints(checkpointsDir)) {
    let reason: string | null = null;
    try {
      await verified(dir, true);
      if (kept < keep) kept++;
      else reason = `older than the newest ${keep}`;
    } catch (e) {
      reason = e instanceof CheckpointError ? e.reason : (e as Error).message;
    }
    if (reason === null) continue;
    const trash = join(checkpointsDir, `.trash-${dir.split(/[\\/]/).pop()}-${Math.random().toString(36).slice(2, 10)}`);
    await fsp.rename(dir, trash);
    await hook?.({ op: 'rename', from: dir, to: trash });
    await removeTree(trash, hook);
    pruned.push({ dir, reason });
  }
  for (const n of await fsp.readdir(checkpointsDir)) {
    const p = join(checkpointsDir, n);
    if (SCRATCH_DIR.test(n) && !inFlight.has(p)) await removeTree(p, hook);
  }
  return pruned;
}
