import * as tf from '@tensorflow/tfjs';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignWeights,
  disposeCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  loadLatestCheckpoint,
  restoreOptimizer,
  saveCheckpoint,
  verifyCheckpoint,
  type CheckpointInput,
  type StorageEvent,
} from '../../../engine/checkpoint';

const tmpRoots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-ckpt-'));
  tmpRoots.push(d);
  return d;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

/** A two-variable linear model; variable names are global in TF.js, hence the prefix. */
function makeModel(prefix: string, init?: { w: number[]; b: number[] }) {
  const w = tf.variable(tf.tensor2d(init?.w ?? [0.5, -1.25, 2, 0.75, -0.5, 1.5], [3, 2]), true, `${prefix}/w`);
  const b = tf.variable(tf.tensor1d(init?.b ?? [0.1, -0.2]), true, `${prefix}/b`);
  return { w, b, list: [w, b] };
}

const X = [
  [1, 2, 3],
  [-1, 0.5, 2],
  [0.25, -3, 1],
  [2, 2, -1],
];
const Y = [
  [1, 0],
  [0, 1],
  [1, 1],
  [-1, 2],
];

/** One Adam update on a fixed batch, the tfjs-examples way: tidy, variableGrads, apply, dispose. */
function trainStep(model: ReturnType<typeof makeModel>, opt: tf.Optimizer): void {
  const { grads, value } = tf.variableGrads(
    () =>
      tf.tidy(() => {
        const x = tf.tensor2d(X); // [4, 3]
        const y = tf.tensor2d(Y); // [4, 2]
        const pred = tf.add(tf.matMul(x, model.w), model.b); // [4, 2]
        return tf.mean(tf.square(tf.sub(pred, y))) as tf.Scalar;
      }),
    model.list,
  );
  opt.applyGradients(grads);
  tf.dispose([grads, value]);
}

function bits(t: tf.Tensor): number[] {
  const d = t.dataSync();
  return Array.from(new Uint32Array(d.buffer, d.byteOffset, d.length));
}

const trainerState = {
  rng: { a: 4294967295, b: 0, c: 123456789, d: 2147483648 },
  dataPosition: { epoch: 2, index: 17, order: [3, 0, 2, 1] },
  drift: 0.1 + 0.2, // 0.30000000000000004 must come back exactly
};
const modelConfig = { dModel: 2, layers: 1, vocab: 3 };
const tokenizer = { kind: 'char', vocab: ['<pad>', 'a', 'é', '\u2028'] };

function input(step: number, model: ReturnType<typeof makeModel>, optimizer?: tf.Optimizer): CheckpointInput {
  return { step, weights: model.list, optimizer, trainerState, modelConfig, tokenizer };
}

describe('checkpoint round trip', () => {
  it('restores variables, Adam state and trainer state bit-exactly, and leaks no tensors', async () => {
    const dir = tempDir();
    const model = makeModel('rt');
    const opt = tf.train.adam(0.05);
    for (let i = 0; i < 3; i++) trainStep(model, opt);
    // Special values must survive too: -0 and the smallest subnormal.
    model.b.assign(tf.tensor1d([-0, 1e-45]));
    const before = tf.memory().numTensors;
    const saved = await saveCheckpoint(dir, input(3, model, opt));
    expect(tf.memory().numTensors).toBe(before);
    expect(basename(saved.dir)).toBe('step-3');
    expect(saved.manifest.files.map((f) => f.path)).toEqual([
      'group1-shard1of1.bin',
      'model.json',
      'trainer-state.json',
      'model-config.json',
      'tokenizer.json',
    ]);

    const ckpt = await loadCheckpoint(saved.dir);
    expect(ckpt.step).toBe(3);
    expect(Object.keys(ckpt.weights)).toEqual(['rt/w', 'rt/b']);
    expect(bits(ckpt.weights['rt/w'] as tf.Tensor)).toEqual(bits(model.w));
    expect(bits(ckpt.weights['rt/b'] as tf.Tensor)).toEqual([0x80000000, 0x00000001]);
    const live = await opt.getWeights();
    expect(ckpt.optimizer?.className).toBe('Adam');
    expect(ckpt.optimizer?.weights.map((w) => w.name)).toEqual(['iter', 'rt/w/m', 'rt/b/m', 'rt/w/v', 'rt/b/v']);
    expect(ckpt.optimizer?.weights.map((w) => bits(w.tensor))).toEqual(live.map((w) => bits(w.tensor)));
    expect(Array.from((ckpt.optimizer?.weights[0]?.tensor as tf.Tensor).dataSync())).toEqual([3]);
    const opt0 = opt as unknown as Record<string, tf.Variable>;
    expect(ckpt.optimizer?.extras).toEqual({
      accBeta1: (opt0.accBeta1 as tf.Variable).dataSync()[0],
      accBeta2: (opt0.accBeta2 as tf.Variable).dataSync()[0],
    });
    expect(ckpt.trainerState).toEqual(trainerState);
    expect((ckpt.trainerState as typeof trainerState).drift).toBe(0.30000000000000004);
    expect(ckpt.modelConfig).toEqual(modelConfig);
    expect(ckpt.tokenizer).toEqual(tokenizer);
    tf.dispose(live.filter((w) => w.name === 'iter').map((w) => w.tensor));

    disposeCheckpoint(ckpt);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    tf.dispose(model.list);
  });

  it('continues training bit-exactly after a restore into a fresh model and optimizer', async () => {
    const dir = tempDir();
    // Uninterrupted run: 2 updates, checkpoint, 5 more.
    const a = makeModel('cont');
    const optA = tf.train.adam(0.05);
    trainStep(a, optA);
    trainStep(a, optA);
    await saveCheckpoint(dir, input(2, a, optA));
    for (let i = 0; i < 5; i++) trainStep(a, optA);
    const expectedW = bits(a.w);
    const expectedB = bits(a.b);
    optA.dispose();
    tf.dispose(a.list);

    // Resumed run: same names, different initial values, fresh Adam.
    const resume = async (exact: boolean) => {
      const b = makeModel('cont', { w: [0, 0, 0, 0, 0, 0], b: [0, 0] });
      const optB = tf.train.adam(0.05);
      const { checkpoint, rejected } = await loadLatestCheckpoint(dir);
      expect(rejected).toEqual([]);
      if (!checkpoint?.optimizer) throw new Error('no checkpoint');
      assignWeights(b.list, checkpoint.weights);
      if (exact) await restoreOptimizer(optB, checkpoint.optimizer, [b.w, b.b]);
      else await optB.setWeights(checkpoint.optimizer.weights); // what tfjs alone restores
      disposeCheckpoint(checkpoint);
      for (let i = 0; i < 5; i++) trainStep(b, optB);
      const out = { w: bits(b.w), b: bits(b.b) };
      optB.dispose();
      tf.dispose(b.list);
      return out;
    };
    expect(await resume(true)).toEqual({ w: expectedW, b: expectedB });
    // Control: plain setWeights() rebuilds Adam's β-powers as pow(β, 3), which differs in the
    // last bit from 0.999·0.999·0.999 in float32, so the continuation drifts.
    expect(await resume(false)).not.toEqual({ w: expectedW, b: expectedB });
  });

  it('writes the standard TF.js format: tf.io reads the weights back, in several shards', async () => {
    const dir = tempDir();
    const model = makeModel('fmt');
    const opt = tf.train.adam(0.05);
    trainStep(model, opt);
    // 6+2 model floats and 1 + 2·8 optimizer values = 25 × 4 = 100 bytes → 16-byte shards: 7.
    const saved = await saveCheckpoint(dir, input(1, model, opt), { shardBytes: 16 });
    const modelJson = JSON.parse(readFileSync(join(saved.dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    expect(modelJson.weightsManifest[0]?.paths).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `group1-shard${i}of7.bin`));
    expect(modelJson.weightsManifest[0]?.weights.map((w) => [w.name, w.group, w.dtype, w.shape])).toEqual([
      ['fmt/w', 'model', 'float32', [3, 2]],
      ['fmt/b', 'model', 'float32', [2]],
      ['iter', 'optimizer', 'int32', []],
      ['fmt/w/m', 'optimizer', 'float32', [3, 2]],
      ['fmt/b/m', 'optimizer', 'float32', [2]],
      ['fmt/w/v', 'optimizer', 'float32', [3, 2]],
      ['fmt/b/v', 'optimizer', 'float32', [2]],
    ]);
    const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const buffers = manifest[0]?.paths.map((p) => new Uint8Array(readFileSync(join(saved.dir, p))));
      const joined = new Uint8Array(Buffer.concat(buffers ?? []));
      return [tf.io.getWeightSpecs(manifest), joined.buffer];
    });
    const decoded = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs ?? []);
    expect(bits(decoded['fmt/w'] as tf.Tensor)).toEqual(bits(model.w));
    tf.dispose(Object.values(decoded));
    const ckpt = await loadCheckpoint(saved.dir);
    expect(bits(ckpt.weights['fmt/b'] as tf.Tensor)).toEqual(bits(model.b));
    disposeCheckpoint(ckpt);
    opt.dispose();
    tf.dispose(model.list);
  });

  it('saves and restores a Map of auto-named variables by its keys', async () => {
    const dir = tempDir();
    const vars = new Map<string, tf.Variable>([
      ['layer0/wq', tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]), true)],
      ['layer0/ln/gain', tf.variable(tf.tensor1d([1, 1]), true)],
    ]);
    const saved = await saveCheckpoint(dir, { step: 0, weights: vars, trainerState: {}, modelConfig, tokenizer });
    const fresh = new Map<string, tf.Variable>([
      ['layer0/wq', tf.variable(tf.zeros([2, 2]), true)],
      ['layer0/ln/gain', tf.variable(tf.zeros([2]), true)],
    ]);
    const ckpt = await loadCheckpoint(saved.dir);
    expect(Object.keys(ckpt.weights)).toEqual(['layer0/wq', 'layer0/ln/gain']);
    assignWeights(fresh, ckpt.weights);
    disposeCheckpoint(ckpt);
    expect(Array.from((fresh.get('layer0/wq') as tf.Variable).dataSync())).toEqual([1, 2, 3, 4]);
    tf.dispose([...vars.values(), ...fresh.values()]);
  });

  it('checks what it restores into', async () => {
    const dir = tempDir();
    const model = makeModel('fit');
    const opt = tf.train.adam(0.05);
    trainStep(model, opt);
    const saved = await saveCheckpoint(dir, input(1, model, opt));
    const ckpt = await loadCheckpoint(saved.dir);
    const wrong = tf.variable(tf.zeros([2, 3]), true, 'fit2/w');
    expect(() => assignWeights({ 'fit/w': wrong }, ckpt.weights)).toThrow(
      'checkpoint does not fit the model: "fit/w" is float32[3,2] in the checkpoint, float32[2,3] in the model; the checkpoint has variables the model lacks: fit/b',
    );
    await expect(restoreOptimizer(tf.train.sgd(0.1), ckpt.optimizer as never)).rejects.toThrow('checkpoint holds Adam state; cannot restore it into SGD');
    await expect(restoreOptimizer(tf.train.adam(0.1), ckpt.optimizer as never, [model.b, model.w])).rejects.toThrow(
      'Adam state does not fit the variables it is restored into: variable 0 is [2], its saved slots are m [3,2], v [3,2]',
    );
    await expect(restoreOptimizer(tf.train.adam(0.1), ckpt.optimizer as never, [model.w])).rejects.toThrow('2 variables\' slots for 1 variables');
    disposeCheckpoint(ckpt);
    tf.dispose([wrong, ...model.list]);
    opt.dispose();
  });

  it('refuses state JSON cannot hold exactly, before touching the disk', async () => {
    const dir = join(tempDir(), 'checkpoints');
    const model = makeModel('nan');
    await expect(saveCheckpoint(dir, { ...input(1, model), trainerState: { loss: NaN } })).rejects.toThrow(
      'trainerState: NaN at "loss" cannot be stored exactly in JSON',
    );
    await expect(saveCheckpoint(dir, { ...input(1, model), weights: [model.w, model.w] })).rejects.toThrow('two saved tensors are both named "nan/w"');
    await expect(saveCheckpoint(dir, { ...input(-1, model) })).rejects.toThrow('non-negative integer');
    expect(existsSync(dir)).toBe(false);
    tf.dispose(model.list);
  });
});

describe('atomic commit', () => {
  it('fsyncs every file before the rename, writes the manifest last, renames within the folder, fsyncs the folder', async () => {
    const dir = tempDir();
    const model = makeModel('order');
    const events: StorageEvent[] = [];
    await saveCheckpoint(dir, input(7, model), { onStorage: (e) => void events.push(e) });
    const ops = events.map((e) => (e.op === 'rename' ? 'rename' : `${e.op}:${basename(e.path)}`));
    const tmp = basename((events.find((e) => e.op === 'rename') as { from: string }).from);
    expect(tmp).toMatch(/^\.tmp-step-7-\d+-[a-z0-9]+$/);
    expect(ops).toEqual([
      'write:group1-shard1of1.bin',
      'fsync:group1-shard1of1.bin',
      'write:model.json',
      'fsync:model.json',
      'write:trainer-state.json',
      'fsync:trainer-state.json',
      'write:model-config.json',
      'fsync:model-config.json',
      'write:tokenizer.json',
      'fsync:tokenizer.json',
      'write:manifest.json',
      'fsync:manifest.json',
      `fsyncDir:${tmp}`,
      'rename',
      `fsyncDir:${basename(dir)}`,
    ]);
    const rename = events.find((e) => e.op === 'rename') as { from: string; to: string };
    expect(dirname(rename.from)).toBe(dir);
    expect(rename.to).toBe(join(dir, 'step-7'));
    expect(events.filter((e) => e.op === 'fsyncDir').every((e) => e.op === 'fsyncDir' && e.supported)).toBe(true);
    tf.dispose(model.list);
  });

  it('a save killed at any storage boundary leaves the previous checkpoint loadable and no half checkpoint visible', async () => {
    const model = makeModel('kill');
    const opt = tf.train.adam(0.05);
    trainStep(model, opt);
    // Count the boundaries of one save with 4 shards: 9 files × (write, fsync) + fsyncDir + rename + fsyncDir = 21.
    const probe = tempDir();
    let boundaries = 0;
    await saveCheckpoint(probe, input(2, model, opt), { shardBytes: 32, onStorage: () => void boundaries++ });
    expect(boundaries).toBe(21);

    let trials = 0;
    for (let k = 1; k <= boundaries; k++) {
      const dir = tempDir();
      await saveCheckpoint(dir, input(1, model, opt), { shardBytes: 32 });
      let seen = 0;
      let renamed = false;
      const crash = async () => {
        await saveCheckpoint(dir, input(2, model, opt), {
          shardBytes: 32,
          onStorage: (e) => {
            if (e.op === 'rename') renamed = true;
            if (++seen === k) throw new Error('killed');
          },
        });
      };
      await expect(crash()).rejects.toThrow('killed');
      const steps = (await listCheckpoints(dir)).map((c) => c.step);
      expect(steps).toEqual(renamed ? [2, 1] : [1]);
      const { checkpoint, rejected } = await loadLatestCheckpoint(dir);
      expect(rejected).toEqual([]);
      expect(checkpoint?.step).toBe(renamed ? 2 : 1);
      if (checkpoint) disposeCheckpoint(checkpoint);
      // The next successful save sweeps the crashed save's temp folder.
      expect(readdirSync(dir).some((n) => n.startsWith('.tmp-'))).toBe(!renamed);
      await saveCheckpoint(dir, input(3, model, opt), { shardBytes: 32 });
      expect(readdirSync(dir).sort()).toEqual(renamed ? ['step-1', 'step-2', 'step-3'] : ['step-1', 'step-3']);
      trials++;
    }
    expect(trials).toBe(21);
    opt.dispose();
    tf.dispose(model.list);
  });

  it('keeps the newest K checkpoints and replaces a re-saved step', async () => {
    const dir = tempDir();
    const model = makeModel('keep');
    const pruned: string[] = [];
    for (let s = 1; s <= 5; s++) pruned.push(...(await saveCheckpoint(dir, input(s * 10, model))).pruned.map((p) => basename(p.dir)));
    expect(pruned).toEqual(['step-10', 'step-20']);
    expect(readdirSync(dir).sort()).toEqual(['step-30', 'step-40', 'step-50']);
    model.w.assign(tf.fill([3, 2], 7));
    await saveCheckpoint(dir, input(50, model), { keep: 2 });
    expect(readdirSync(dir).sort()).toEqual(['step-40', 'step-50']);
    const ckpt = await loadCheckpoint(join(dir, 'step-50'));
    expect(Array.from((ckpt.weights['keep/w'] as tf.Tensor).dataSync())).toEqual([7, 7, 7, 7, 7, 7]);
    disposeCheckpoint(ckpt);
    tf.dispose(model.list);
  });
});

describe('torn and corrupt checkpoints', () => {
  // One pristine folder with step-1 and step-2; each case damages a copy of step-2.
  let pristine = '';
  let files: { path: string; bytes: number }[] = [];
  beforeAll(async () => {
    pristine = tempDir();
    const model = makeModel('torn');
    const opt = tf.train.adam(0.05);
    trainStep(model, opt);
    await saveCheckpoint(pristine, input(1, model, opt), { shardBytes: 40 });
    trainStep(model, opt);
    const saved = await saveCheckpoint(pristine, input(2, model, opt), { shardBytes: 40 });
    files = [...saved.manifest.files, { path: 'manifest.json', bytes: statSync(join(saved.dir, 'manifest.json')).size }];
    opt.dispose();
    tf.dispose(model.list);
  });

  async function expectFallback(damage: (step2: string) => void, reason: RegExp): Promise<void> {
    const dir = tempDir();
    cpSync(pristine, dir, { recursive: true });
    damage(join(dir, 'step-2'));
    const { checkpoint, rejected, warnings } = await loadLatestCheckpoint(dir);
    expect(checkpoint?.step).toBe(1);
    expect(rejected.map((r) => r.step)).toEqual([2]);
    expect(rejected[0]?.reason).toMatch(reason);
    expect(warnings[0]).toMatch(/^checkpoint step-2 skipped: .*; resuming from step-1$/);
    if (checkpoint) disposeCheckpoint(checkpoint);
    rmSync(dir, { recursive: true, force: true });
  }

  it('truncating a .bin after the manifest was written → size mismatch → previous checkpoint', async () => {
    await expectFallback((d) => truncateSync(join(d, 'group1-shard1of3.bin'), 10), /^group1-shard1of3\.bin has 10 bytes, the manifest says 40 \(truncated or torn\)$/);
  });

  it('one flipped byte → sha256 mismatch → previous checkpoint', async () => {
    await expectFallback((d) => {
      const p = join(d, 'group1-shard2of3.bin');
      const b = readFileSync(p);
      b[5] = (b[5] as number) ^ 0x01;
      writeFileSync(p, b);
    }, /^group1-shard2of3\.bin does not match its sha256 \(corrupt\)$/);
  });

  it('every artifact truncated at 20 offsets, emptied, deleted or bit-flipped is refused (0 throws)', async () => {
    let cases = 0;
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (const f of files) {
      const damages: [(d: string) => void, RegExp][] = [
        [(d) => truncateSync(join(d, f.path), 0), /bytes|fails its check/],
        [(d) => unlinkSync(join(d, f.path)), /missing|no manifest/],
        ...Array.from({ length: 20 }, (): [(d: string) => void, RegExp] => {
          const at = rand(f.bytes);
          return [(d) => truncateSync(join(d, f.path), at), /bytes|fails its check/];
        }),
        ...Array.from({ length: 5 }, (): [(d: string) => void, RegExp] => {
          const at = rand(f.bytes);
          const bit = 1 << rand(8);
          return [
            (d) => {
              const p = join(d, f.path);
              const b = readFileSync(p);
              b[at] = (b[at] as number) ^ bit;
              writeFileSync(p, b);
            },
            /sha256|not valid JSON|fails its check/,
          ];
        }),
      ];
      for (const [damage, reason] of damages) {
        await expectFallback(damage, reason);
        cases++;
      }
    }
    expect(cases).toBe(files.length * 27);
  });

  it('a step folder without a manifest (a non-atomic writer, or a copy cut short) is refused', async () => {
    await expectFallback((d) => unlinkSync(join(d, 'manifest.json')), /^no manifest\.json \(the save did not finish\)$/);
    const dir = tempDir();
    cpSync(pristine, dir, { recursive: true });
    mkdirSync(join(dir, 'step-9'));
    writeFileSync(join(dir, 'step-9', 'model.json'), '{}');
    mkdirSync(join(dir, '.tmp-step-12-1-abc'));
    const { checkpoint, rejected } = await loadLatestCheckpoint(dir);
    expect(checkpoint?.step).toBe(2);
    expect(rejected).toEqual([{ dir: join(dir, 'step-9'), step: 9, reason: 'no manifest.json (the save did not finish)' }]);
    if (checkpoint) disposeCheckpoint(checkpoint);
    expect(await verifyCheckpoint(join(dir, 'step-2'))).toMatchObject({ ok: true });
  });

  it('a manifest copied from another step is refused', async () => {
    await expectFallback((d) => cpSync(join(d, '..', 'step-1', 'manifest.json'), join(d, 'manifest.json')), /^manifest\.json says step 1, the folder is step-2$/);
  });

  it('no valid checkpoint at all → null with every reason', async () => {
    const dir = tempDir();
    expect(await loadLatestCheckpoint(join(dir, 'none'))).toEqual({ checkpoint: null, rejected: [], warnings: [] });
    mkdirSync(join(dir, 'step-3'));
    const r = await loadLatestCheckpoint(dir);
    expect(r.checkpoint).toBeNull();
    expect(r.warnings).toEqual(['checkpoint step-3 skipped: no manifest.json (the save did not finish); no usable checkpoint']);
  });
});
