/**
 * engine/native: the addon's matMul on the wasm heap equals a float64 reference and the stock
 * wasm kernel, its transpose equals the stock one bit for bit, both survive heap growth and
 * leak nothing, and a training step's gradients are unchanged. Skipped, with the reason, when the addon is not built (no C compiler at install).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { lmGradients, type TokenBatch } from '../../../engine/model/train-step';
import { TransformerLM } from '../../../engine/model/transformer';
import { disableNativeKernels, enableNativeKernels, loadNativeAddon, nativeKernelsEnabled, transposePlan } from '../../../engine/native';
import { relError, values } from './test-data';

const { addon, reason } = loadNativeAddon();
const skipWhy = !addon ? reason : process.env.SPA_NATIVE === '0' ? 'SPA_NATIVE=0' : null;

/** float64 op(A)·op(B) for one batch entry; A is [m,k] (or [k,m] if ta), B is [k,n] (or [n,k] if tb). */
function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (a[ta ? q * m + i : i * k + q] as number) * (b[tb ? j * k + q : q * n + j] as number);
      c[i * n + j] = s;
    }
  return c;
}

function matMulData(a: tf.Tensor, b: tf.Tensor, ta = false, tb = false): Float32Array {
  // Not tf.tidy(() => ….dataSync()): tidy walks a returned typed array element by element.
  const c = tf.matMul(a, b, ta, tb);
  const data = c.dataSync() as Float32Array;
  c.dispose();
  return data;
}

/** Runs fn with the stock wasm kernel, then re-enables the native one. */
function withStockKernel<T>(fn: () => T): T {
  disableNativeKernels();
  try {
    return fn();
  } finally {
    enableNativeKernels();
  }
}

describe.skipIf(skipWhy !== null)(`native matMul on wasm${skipWhy ? ` (skipped: ${skipWhy})` : ''}`, () => {
  beforeAll(async () => {
    const info = await initBackend('wasm');
    expect(info.backend).toBe('wasm');
    expect(info.native).toEqual({ loaded: true, reason: expect.stringMatching(/^native sgemm \(/) });
    expect(info.reason).toContain('+ native sgemm');
    expect(nativeKernelsEnabled()).toBe(true);
  });
  afterAll(() => disableNativeKernels());

  // First, while the heap is still small (the later tests grow it).
  it('reads the heap after allocating the output, so a heap that grows mid-call is fine', () => {
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
    const before = backend.wasm.HEAPU8.buffer;
    // An output larger than the whole current heap forces makeOutput's malloc to grow it.
    const [m, k] = [256, 8];
    const n = Math.ceil(before.byteLength / 4 / m) + 64;
    const av = values(m * k, 21);
    const bv = values(k * n, 22);
    const [a, b] = [tf.tensor2d(av, [m, k]), tf.tensor2d(bv, [k, n])];
    const got = matMulData(a, b);
    expect(backend.wasm.HEAPU8.buffer).not.toBe(before); // it did grow
    expect(before.byteLength).toBe(0); // and the old buffer was detached
    for (let t = 0; t < 2000; t++) { // spot checks: the full reference would take seconds
      const i = (t * 7919) % m;
      const j = (t * 104729) % n;
      let ref = 0;
      for (let q = 0; q < k; q++) ref += av[i * k + q]! * bv[q * n + j]!;
      expect(Math.abs(got[i * n + j]! - ref), `${i},${j}`).toBeLessThan(1e-5);
    }
    // The same for a transpose whose output outgrows the heap.
    const heap = backend.wasm.HEAPU8.buffer;
    const rows = Math.ceil(heap.byteLength / 4 / 64) + 64;
    const x = tf.tensor2d(values(rows * 64, 23), [rows, 64]);
    const xT = tf.transpose(x); // the input (≈ the old heap) plus its transpose need a bigger heap
    expect(backend.wasm.HEAPU8.buffer).not.toBe(heap);
    const [xv, tv] = [x.dataSync(), xT.dataSync()];
    for (const [i, j] of [[0, 0], [rows - 1, 63], [rows >> 1, 17]] as const) expect(tv[j * rows + i]).toBe(xv[i * 64 + j]);
    tf.dispose([a, b, x, xT]);
  });

  it('equals a float64 reference and the stock wasm kernel on odd shapes, both transposes', () => {
    const dims = [1, 7, 33, 129];
    let seed = 1;
    for (const m of dims)
      for (const k of [1, 7, 33, 129, 600]) // 600 > KC: two K blocks accumulate into C
        for (const n of dims)
          for (const ta of [false, true])
            for (const tb of [false, true]) {
              const av = values(m * k, seed++);
              const bv = values(k * n, seed++);
              const a = tf.tensor2d(av, ta ? [k, m] : [m, k]);
              const b = tf.tensor2d(bv, tb ? [n, k] : [k, n]);
              const got = matMulData(a, b, ta, tb);
              const ref = reference(av, bv, m, n, k, ta, tb);
              const stock = withStockKernel(() => matMulData(a, b, ta, tb));
              const where = `m=${m} k=${k} n=${n} ta=${ta} tb=${tb}`;
              expect(relError(got, ref), where).toBeLessThan(1e-4);
              expect(relError(got, stock), where).toBeLessThan(1e-4);
              tf.dispose([a, b]);
            }
  });

  it('covers the model\'s shapes, batched and broadcast products, and falls back for the rest', () => {
    // Bench-model shapes (K = 4096 spans several K blocks; N = 1024 + 1 spans two N blocks).
    for (const [m, k, n] of [[128, 4096, 128], [4096, 128, 344], [1, 4096, 128], [37, 256, 1025]] as const) {
      const av = values(m * k, m + k);
      const bv = values(k * n, n);
      const [a, b] = [tf.tensor2d(av, [m, k]), tf.tensor2d(bv, [k, n])];
      expect(relError(matMulData(a, b), reference(av, bv, m, n, k, false, false)), `${m}x${k}x${n}`).toBeLessThan(1e-4);
      tf.dispose([a, b]);
    }
    // [3, 5, 9]·[9, 4] (B broadcast, stride 0), [2, 3, 5, 9]·[2, 3, 9, 4] (equal batches).
    const a3 = tf.tensor3d(values(3 * 5 * 9, 11), [3, 5, 9]);
    const b2 = tf.tensor2d(values(9 * 4, 12), [9, 4]);
    const a4 = tf.tensor4d(values(6 * 5 * 9, 13), [2, 3, 5, 9]);
    const b4 = tf.tensor4d(values(6 * 9 * 4, 14), [2, 3, 9, 4]);
    // [2, 1, 5, 9]·[1, 3, 9, 4]: real broadcasting, the stock kernel's case.
    const a5 = tf.tensor4d(values(2 * 5 * 9, 15), [2, 1, 5, 9]);
    const b5 = tf.tensor4d(values(3 * 9 * 4, 16), [1, 3, 9, 4]);
    for (const [x, y] of [[a3, b2], [a4, b4], [a5, b5]] as const) {
      const got = tf.tidy(() => tf.matMul(x, y));
      const stock = withStockKernel(() => tf.tidy(() => tf.matMul(x, y)));
      expect(got.shape).toEqual(stock.shape);
      expect(relError(got.dataSync(), stock.dataSync())).toBeLessThan(1e-4);
      tf.dispose([got, stock]);
    }
    tf.dispose([a3, b2, a4, b4, a5, b5]);
  });

  it('transposes float32 and int32 exactly like the stock kernel, for every permutation of rank 2-4', () => {
    const perms = (n: number): number[][] =>
      n === 1 ? [[0]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
    const shapes = [[17, 33], [1, 40], [3, 1, 19], [5, 18, 7], [2, 3, 1, 33], [4, 5, 6, 7], [32, 4, 24]];
    let checked = 0;
    for (const shape of shapes)
      for (const perm of perms(shape.length))
        for (const dtype of ['float32', 'int32'] as const) {
          const n = shape.reduce((a, b) => a * b, 1);
          const v = values(n, n + perm.length);
          const x = dtype === 'float32' ? tf.tensor(v, shape) : tf.tensor(Int32Array.from(v, (f) => Math.round(f * 1e6)), shape, 'int32');
          const got = tf.transpose(x, perm);
          const stock = withStockKernel(() => tf.transpose(x, perm));
          expect(got.shape).toEqual(stock.shape);
          expect(got.dtype).toBe(dtype);
          expect(Array.from(got.dataSync()), `${shape} ${perm} ${dtype}`).toEqual(Array.from(stock.dataSync()));
          tf.dispose([x, got, stock]);
          checked++;
        }
    expect(checked).toBe(2 * (2 + 2 + 6 + 6 + 24 + 24 + 6));
  });

  it('leaks no tensors and no wasm buffers', () => {
    const a = tf.tensor2d(values(33 * 65, 31), [33, 65]);
    const b = tf.tensor2d(values(65 * 17, 32), [65, 17]);
    const before = tf.memory();
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => tf.matMul(a, b)).dispose();
      tf.tidy(() => tf.matMul(b, a, true, true)).dispose();
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.matMul(x, b)))(a);
      g.dispose();
      tf.tidy(() => tf.transpose(tf.reshape(a, [3, 11, 65]), [0, 2, 1])).dispose();
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(after.numBytes).toBe(before.numBytes);
    tf.dispose([a, b]);
  });

  it('gives the same training gradients as the stock wasm kernel', () => {
    const config = { vocabSize: 29, dModel: 32, nLayers: 2, nHeads: 4, dFF: 128, context: 24 };
    const model = new TransformerLM(config, { seed: 3, attentionChunk: 8 });
    const B = 3;
    const T = 24;
    const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + 3) % config.vocabSize);
    const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 11 + 5) % config.vocabSize);
    const batch: TokenBatch = { tokens, targets, batch: B, seqLen: T };
    const numTensors = tf.memory().numTensors;
    const run = () => {
      const { loss, grads } = lmGradients(model, batch);
      const arrays = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, g.dataSync().slice() as Float32Array]));
      tf.dispose(grads);
      return { loss, arrays };
    };
    const native = run();
    const stock = withStockKernel(run);
    expect(tf.memory().numTensors).toBe(numTensors);
    expect(Math.abs(native.loss - stock.loss) / Math.abs(stock.loss)).toBeLessThan(1e-5);
    expect(Object.keys(native.arrays).sort()).toEqual(Object.keys(stock.arrays).sort());
    for (const [name, g] of Object.entries(stock.arrays)) expect(relError(native.arrays[name]!, g), name).toBeLessThan(1e-4);
    model.dispose();
  });

  it('is switched off by SPA_NATIVE=0 (wasm as before, reason recorded)', async () => {
    process.env.SPA_NATIVE = '0';
    try {
      const info = await initBackend('wasm');
      expect(info.backend).toBe('wasm');
      expect(info.native).toEqual({ loaded: false, reason: 'native sgemm disabled by SPA_NATIVE=0' });
      expect(info.reason).not.toContain('native');
      expect(nativeKernelsEnabled()).toBe(false);
    } finally {
      delete process.env.SPA_NATIVE;
    }
    expect((await initBackend('wasm')).native?.loaded).toBe(true);
  });
});

describe('transposePlan (pure)', () => {
  it('reduces permutations to [batch, rows, cols, elem] or declines', () => {
    expect(transposePlan([4096, 512], [1, 0])).toEqual([1, 4096, 512, 1]);
    expect(transposePlan([32, 128, 512], [0, 2, 1])).toEqual([32, 128, 512, 1]);
    expect(transposePlan([32, 512, 128], [1, 0, 2])).toEqual([1, 32, 512, 128]);
    expect(transposePlan([2, 16, 4, 8], [0, 2, 1, 3])).toEqual([2, 16, 4, 8]);
    expect(transposePlan([2, 3, 4], [2, 0, 1])).toEqual([1, 6, 4, 1]); // groups (0 1) and (2) swap
    expect(transposePlan([2, 1, 3], [2, 1, 0])).toEqual([1, 2, 3, 1]); // size-1 axes do not count
    expect(transposePlan([2, 3, 4], [0, 1, 2])).toBeNull(); // identity: the stock kernel clones
    expect(transposePlan([2, 3, 4], [2, 1, 0])).toBeNull(); // a full reversal is no two-group swap
  });
});

describe('native addon status', () => {
  it('reports why when the addon is not there (never throws)', () => {
    expect(typeof reason).toBe('string');
    if (!addon) expect(reason).toMatch(/^native sgemm unavailable: /);
  });
});
