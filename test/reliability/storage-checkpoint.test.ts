/**
 * Reliability tests #11 and #12 of ../shared/docs/reliability.md: checkpoints under kill -9 and
 * on-disk damage.
 *
 * #11 kills a save at every storage boundary (each write, fsync, directory fsync, rename and
 * removal the save's `onStorage` hook reports), for two saves: a new step that also prunes an
 * old one, and a re-save of an existing step (which moves the old folder aside first). Every
 * boundary is hit in-process (the hook throws: the save stops there, nothing else of it runs)
 * and, at a few boundaries in CI and at all of them in the long run, in a child process that
 * pauses there and is SIGKILLed. After each kill: the newest loadable checkpoint is exactly the
 * one committed before the save or the one the save committed (matched by the sha256s in its
 * manifest), the checkpoint before the save still loads, every folder the loader lists
 * verifies (0 visible without a complete manifest), and the next save leaves no temp folders.
 *
 * #12 damages every file of the newest checkpoint (truncated at random offsets, emptied,
 * deleted, one byte flipped) and checks that the loader refuses it by the manifest's sizes and
 * hashes and falls back to the previous checkpoint, without ever throwing.
 */
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disposeCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  loadLatestCheckpoint,
  saveCheckpoint,
  verifyCheckpoint,
  type CheckpointManifest,
  type StorageEvent,
  type StorageHook,
} from '../../engine/checkpoint';
import { LONG, reportFigure, scale } from './figures';
import { checkpointInput, disposeInput, SHARD_BYTES } from './fixtures/storage-checkpoint-input';

const CHILD = fileURLToPath(new URL('./fixtures/storage-checkpoint-child.ts', import.meta.url));

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-rel-ckpt-'));
  roots.push(d);
  return d;
}
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

async function save(dir: string, step: number, variant: number, keep: number, onStorage?: StorageHook) {
  const input = checkpointInput(step, variant);
  try {
    return await saveCheckpoint(dir, input, { keep, shardBytes: SHARD_BYTES, onStorage });
  } finally {
    disposeInput(input);
  }
}

/** What identifies a checkpoint's content: its files' names, sizes and sha256s. */
const contentOf = (m: CheckpointManifest) => JSON.stringify(m.files);
const references = new Map<string, string>();
async function reference(step: number, variant: number): Promise<string> {
  const key = `${step}/${variant}`;
  let ref = references.get(key);
  if (!ref) {
    ref = contentOf((await save(tempDir(), step, variant, 1)).manifest);
    references.set(key, ref);
  }
  return ref;
}

interface Scenario {
  name: string;
  /** The save that is killed, over step-1 and step-2 (variant 0) with keep 2. */
  step: number;
  variant: number;
  /** The save after the kill. */
  nextStep: number;
}
const SCENARIOS: Scenario[] = [
  { name: 'new step-3 (commit, then prune step-1)', step: 3, variant: 0, nextStep: 4 },
  { name: 're-save of step-2 (old folder moved aside, new one renamed in)', step: 2, variant: 1, nextStep: 3 },
];
const KEEP = 2;

let template = '';
/** step-1 and step-2 (variant 0), saved once and copied for each trial. */
async function prepare(dir: string): Promise<void> {
  if (!template) {
    template = tempDir();
    await save(template, 1, 0, KEEP);
    await save(template, 2, 0, KEEP);
  }
  cpSync(template, dir, { recursive: true });
}

/** The storage events of one uninterrupted save of the scenario, in order. */
async function boundariesOf(sc: Scenario): Promise<StorageEvent[]> {
  const dir = tempDir();
  await prepare(dir);
  const events: StorageEvent[] = [];
  await save(dir, sc.step, sc.variant, KEEP, (e) => void events.push(e));
  return events;
}

/** 1-based index of the boundary after which the save's new folder is in place. */
function commitIndex(events: StorageEvent[], step: number): number {
  return events.findIndex((e) => e.op === 'rename' && basename(e.from).startsWith('.tmp-') && basename(e.to) === `step-${step}`) + 1;
}

interface Outcome {
  /** The newest loadable checkpoint is exactly the one before the save or the one it committed. */
  committedLoads: boolean;
  /**
   * step-2 as committed before the save (after a committed re-save: its replacement) loads,
   * right after the kill and still after the next save (which sweeps leftovers).
   */
  previousLoads: boolean;
  /** Folders the loader lists that do not verify. */
  visibleUnverified: number;
  /** Dot folders (temp, old, trash) left after the next successful save. */
  tempAfterNextSave: number;
}

async function contentAt(dir: string): Promise<string | null> {
  try {
    const ck = await loadCheckpoint(dir);
    disposeCheckpoint(ck);
    return contentOf(ck.manifest);
  } catch {
    return null;
  }
}

async function checkAfterKill(dir: string, sc: Scenario, committed: boolean): Promise<Outcome> {
  let visibleUnverified = 0;
  for (const { dir: d } of await listCheckpoints(dir)) if (!(await verifyCheckpoint(d)).ok) visibleUnverified++;

  const latest = await loadLatestCheckpoint(dir);
  const latestContent = latest.checkpoint ? contentOf(latest.checkpoint.manifest) : null;
  if (latest.checkpoint) disposeCheckpoint(latest.checkpoint);
  const expectStep = committed ? sc.step : 2;
  const expectContent = committed ? await reference(sc.step, sc.variant) : await reference(2, 0);
  const committedLoads = latest.rejected.length === 0 && latest.checkpoint?.step === expectStep && latestContent === expectContent;

  // The checkpoint before the save: step-2 as committed (after a committed re-save: its replacement).
  const previous = await reference(2, sc.step === 2 && committed ? sc.variant : 0);
  const previousNow = sc.step === 2 || !committed ? latestContent === previous : (await contentAt(join(dir, 'step-2'))) === previous;

  await save(dir, sc.nextStep, 0, KEEP + 1); // keeps step-2 either way
  const tempAfterNextSave = readdirSync(dir).filter((n) => n.startsWith('.')).length;
  const previousAfterNextSave = (await contentAt(join(dir, 'step-2'))) === previous;
  return { committedLoads, previousLoads: previousNow && previousAfterNextSave, visibleUnverified, tempAfterNextSave };
}

function killChildAt(dir: string, sc: Scenario, k: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(sc.step), String(sc.variant), String(KEEP), String(k)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('PAUSED')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && out.includes(`PAUSED ${k} `)) resolve(out.trim());
      else reject(new Error(`checkpoint child exited with ${code ?? signal} before boundary ${k}: ${out} ${err}`));
    });
  });
}

describe('#11 kill -9 during the checkpoint write', () => {
  it(
    'at every storage boundary of a new save and of a re-save, a committed checkpoint loads and no half one is visible',
    async () => {
      const totals = { trials: 0, real: 0, committedLoads: 0, previousLoads: 0, visibleUnverified: 0, tempAfterNextSave: 0 };
      const perScenario: string[] = [];
      for (const sc of SCENARIOS) {
        const events = await boundariesOf(sc);
        const commit = commitIndex(events, sc.step);
        expect(commit, sc.name).toBeGreaterThan(0);
        if (sc.step === 2) {
          // The re-save's own boundary: old folder moved aside, new one not yet renamed in.
          expect(events[commit - 2], sc.name).toMatchObject({ op: 'rename', to: expect.stringMatching(/\.old-step-2-/) });
        } else {
          expect(events.slice(commit).some((e) => e.op === 'rename' && basename(e.to).startsWith('.trash-step-1-')), sc.name).toBe(true);
        }
        // Real SIGKILLs: at every boundary in the long run; in CI (a child costs 2-5 s) one, in
        // the re-save's window: old folder moved aside, new one not yet renamed in.
        const realAt = new Set(LONG ? events.map((_, i) => i + 1) : sc.step === 2 ? [commit - 1] : []);
        // In-process aborts: every boundary, except that in CI the re-save only gets the part
        // where it differs from a new save (its first 21 boundaries are the same file writes).
        const firstK = LONG || sc.step !== 2 ? 1 : commit - 2;
        for (let k = firstK; k <= events.length; k++) {
          for (const mode of realAt.has(k) ? (['in-process', 'SIGKILL'] as const) : (['in-process'] as const)) {
            const dir = tempDir();
            await prepare(dir);
            if (mode === 'SIGKILL') {
              await killChildAt(dir, sc, k);
              totals.real++;
            } else {
              let seen = 0;
              await expect(
                save(dir, sc.step, sc.variant, KEEP, () => {
                  if (++seen === k) throw new Error('killed');
                }),
              ).rejects.toThrow('killed');
            }
            const o = await checkAfterKill(dir, sc, k >= commit);
            const label = `${sc.name}, ${mode} at boundary ${k}/${events.length} (${events[k - 1]?.op})`;
            expect(o, label).toEqual({ committedLoads: true, previousLoads: true, visibleUnverified: 0, tempAfterNextSave: 0 });
            totals.trials++;
            totals.committedLoads += Number(o.committedLoads);
            totals.previousLoads += Number(o.previousLoads);
            totals.visibleUnverified += o.visibleUnverified;
            totals.tempAfterNextSave += o.tempAfterNextSave;
            rmSync(dir, { recursive: true, force: true });
          }
        }
        perScenario.push(`${sc.name}: ${events.length} boundaries, killed at ${events.length - firstK + 1}`);
      }
      expect(totals.trials).toBeGreaterThanOrEqual(20);
      expect(totals.committedLoads).toBe(totals.trials);
      reportFigure(
        11,
        'kill -9 during the checkpoint write',
        `${totals.trials}/${totals.trials} kills at a write boundary (${perScenario.join('; ')}; ${totals.real} of them real SIGKILLs of a child paused there, the rest in-process aborts (the save stops at that boundary)): ` +
          `the previous checkpoint loads ${totals.previousLoads}/${totals.trials}, the newest loadable one is the one before or the one committed ${totals.committedLoads}/${totals.trials}, ` +
          `${totals.visibleUnverified} checkpoints visible without a complete manifest, ${totals.tempAfterNextSave} temp folders after the next save`,
        totals,
      );
    },
    LONG ? 900_000 : 120_000,
  );
});

describe('#12 torn or corrupt checkpoint on load', () => {
  it('every file of the newest checkpoint truncated, emptied, deleted or flipped → refused by size/sha256, previous checkpoint loads, 0 throws', async () => {
    const pristine = tempDir();
    await prepare(pristine);
    const step1 = await reference(1, 0);
    const step2dir = join(pristine, 'step-2');
    const files = readdirSync(step2dir).sort();
    expect(files).toHaveLength(10); // 5 shards, model.json, trainer-state, model-config, tokenizer, manifest

    let seed = 20260523;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const truncations = scale(10, 100);
    const flips = scale(5, 30);
    const counts = { cases: 0, refused: 0, fellBack: 0, throws: 0, bySize: 0, bySha: 0, byManifest: 0, missing: 0 };

    const attempt = async (label: string, damage: (path: string) => void, file: string) => {
      const path = join(step2dir, file);
      const original = readFileSync(path);
      damage(path);
      counts.cases++;
      let latest: Awaited<ReturnType<typeof loadLatestCheckpoint>>;
      try {
        latest = await loadLatestCheckpoint(pristine);
      } catch (e) {
        counts.throws++;
        throw new Error(`${label}: the loader threw: ${(e as Error).message}`);
      } finally {
        writeFileSync(path, original);
      }
      const { checkpoint, rejected, warnings } = latest;
      const ok = checkpoint?.step === 1 && contentOf(checkpoint.manifest) === step1;
      if (checkpoint) disposeCheckpoint(checkpoint);
      expect(rejected.map((r) => r.step), label).toEqual([2]);
      expect(warnings, label).toEqual([expect.stringMatching(/^checkpoint step-2 skipped: .+; resuming from step-1$/)]);
      expect(ok, label).toBe(true);
      const reason = rejected[0]?.reason ?? '';
      if (/truncated or torn/.test(reason)) counts.bySize++;
      else if (/sha256/.test(reason)) counts.bySha++;
      else if (/manifest\.json/.test(reason)) counts.byManifest++;
      else if (/missing/.test(reason)) counts.missing++;
      else throw new Error(`${label}: refused for an unexpected reason: ${reason}`);
      counts.refused++;
      counts.fellBack += Number(ok);
    };

    for (const f of files) {
      const size = readFileSync(join(step2dir, f)).length;
      await attempt(`${f} emptied`, (p) => truncateSync(p, 0), f);
      await attempt(`${f} deleted`, (p) => unlinkSync(p), f);
      for (let i = 0; i < truncations; i++) {
        const at = rand(size);
        await attempt(`${f} truncated at ${at}/${size}`, (p) => truncateSync(p, at), f);
      }
      for (let i = 0; i < flips; i++) {
        const at = rand(size);
        const bit = 1 << rand(8);
        await attempt(
          `${f} byte ${at} xor ${bit}`,
          (p) => {
            const b = readFileSync(p);
            b[at] = (b[at] as number) ^ bit;
            writeFileSync(p, b);
          },
          f,
        );
      }
    }
    // The pristine copy is back: step-2 loads again (the damage was undone, not cached).
    expect(await verifyCheckpoint(step2dir)).toMatchObject({ ok: true });

    // Shapes of damage that are not byte edits: still refused, never thrown.
    const odd: [string, (d: string) => void, number | null][] = [
      ['step-2 is a file', (d) => (rmSync(join(d, 'step-2'), { recursive: true }), writeFileSync(join(d, 'step-2'), 'x')), 1],
      ['manifest.json is a folder', (d) => (unlinkSync(join(d, 'step-2', 'manifest.json')), mkdirSync(join(d, 'step-2', 'manifest.json'))), 1],
      ['both checkpoints damaged', (d) => (truncateSync(join(d, 'step-2', 'model.json'), 3), unlinkSync(join(d, 'step-1', 'manifest.json'))), null],
    ];
    for (const [label, damage, expected] of odd) {
      const dir = tempDir();
      cpSync(pristine, dir, { recursive: true });
      damage(dir);
      counts.cases++;
      const { checkpoint, rejected, warnings } = await loadLatestCheckpoint(dir);
      expect(checkpoint?.step ?? null, label).toBe(expected);
      expect(rejected.length, label).toBe(expected === null ? 2 : 1);
      expect(warnings.length, label).toBe(rejected.length);
      if (checkpoint) disposeCheckpoint(checkpoint);
      counts.refused++;
      if (expected !== null) counts.fellBack++;
    }

    const expectedCases = files.length * (2 + truncations + flips) + odd.length;
    expect(counts.cases).toBe(expectedCases);
    expect(counts.refused).toBe(expectedCases);
    expect(counts.fellBack).toBe(expectedCases - 1); // all but "both damaged", which returns null with 2 reasons
    expect(counts.throws).toBe(0);
    reportFigure(
      12,
      'torn/corrupt checkpoint on load',
      `${counts.cases} damaged checkpoints (${files.length} files × [emptied, deleted, ${truncations} random truncations, ${flips} byte flips] + ${odd.length} odd shapes): ` +
        `refused ${counts.refused}/${counts.cases} (size ${counts.bySize}, sha256 ${counts.bySha}, manifest check ${counts.byManifest}, missing ${counts.missing}, other ${odd.length}), ` +
        `previous checkpoint loaded ${counts.fellBack}/${counts.cases - 1} (the one case with both damaged: null + 2 reasons), ${counts.throws} throws`,
      counts,
    );
  });
});
