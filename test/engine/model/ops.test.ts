/**
 * The hand-written kernels against TF.js's own ops and gradients, on the cpu backend (the
 * pure-JS reference), plus small cases computed by hand.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { normalTensor } from '../../../engine/model/init';
import { causalAttention, causalAttentionReference } from '../../../engine/model/ops/attention';
import { embed, embedReference } from '../../../engine/model/ops/embedding';
import { gelu, geluReference } from '../../../engine/model/ops/gelu';
import { layerNorm, layerNormReference } from '../../../engine/model/ops/layer-norm';
import { linear, linearReference, transpose2d } from '../../../engine/model/ops/linear';
import { tokenLogProbs, tokenLogProbsReference } from '../../../engine/model/ops/log-probs';
import { oneHotFloat } from '../../../engine/model/ops/one-hot';

beforeAll(async () => {
  await initBackend('cpu');
});

const rand = (shape: number[], seed: string, std = 1) => normalTensor(shape, std, seed);

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/** Value and gradients of sum(f(xs) ⊙ probe) for both implementations must agree. */
function expectSameGrads(fast: (...xs: tf.Tensor[]) => tf.Tensor, ref: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], tol = 1e-5): void {
  tf.tidy(() => {
    const yRef = ref(...xs);
    const probe = rand(yRef.shape, 'probe'); // a random upstream gradient, not all ones
    expect(maxAbsDiff(fast(...xs), yRef)).toBeLessThan(tol);
    const gFast = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(fast(...a), probe)))(xs);
    const gRef = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(ref(...a), probe)))(xs);
    gFast.forEach((g, i) => {
      expect(g.shape).toEqual(xs[i]!.shape);
      const scale = Math.max(1, tf.max(tf.abs(gRef[i]!)).dataSync()[0] as number);
      expect(maxAbsDiff(g, gRef[i]!) / scale).toBeLessThan(tol);
    });
  });
}

describe('transpose2d', () => {
  it.each([
    [3, 5],
    [1, 4],
    [6, 1],
    [256, 3],
    [384, 7],
  ])('equals tf.transpose for [%i, %i] (two-step blocked path when rows are a multiple of 128)', (r, c) => {
    const x = rand([r, c], `t${r}x${c}`) as tf.Tensor2D;
    const t = transpose2d(x);
    expect(t.shape).toEqual([c, r]);
    expect(Array.from(t.dataSync())).toEqual(Array.from(tf.transpose(x).dataSync()));
  });
});

describe('linear', () => {
  it('computes x·W + b (hand-checked)', () => {
    const y = linear(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 0, 2], [3, 1, 0]]), tf.tensor1d([0.5, 0, -1]));
    expect(Array.from(y.dataSync())).toEqual([7.5, 2, 1]);
  });
  it('has gradient dW = xᵀ·dy, dx = dy·Wᵀ, db = Σ dy (hand-checked)', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const w = tf.tensor2d([[1, -1], [0, 2]]);
    const b = tf.tensor1d([0, 0]);
    const [dx, dw, db] = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(linear(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D)))([x, w, b]);
    expect(Array.from(dx!.dataSync())).toEqual([0, 2, 0, 2]); // dy = ones: rows of W summed
    expect(Array.from(dw!.dataSync())).toEqual([4, 4, 6, 6]); // column sums of x, repeated
    expect(Array.from(db!.dataSync())).toEqual([2, 2]);
  });
  it.each([
    ['din < dout', 6, 10, true],
    ['din > dout', 10, 6, true],
    ['dout = 1 (scalar heads)', 8, 1, true],
    ['din = 1', 1, 5, true],
    ['no bias', 7, 3, false],
  ] as const)('matches tf.matMul gradients: %s', (_name, din, dout, withBias) => {
    const xs = [rand([9, din], 'x'), rand([din, dout], 'w'), ...(withBias ? [rand([dout], 'b')] : [])];
    expectSameGrads(
      (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D | undefined),
      (x, w, b) => linearReference(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D | undefined),
      xs,
    );
  });
});

describe('embed', () => {
  const tokens = Int32Array.from([3, 0, 3, 4, 1, 3]); // repeated ids: gradients must accumulate
  const positions = Int32Array.from([0, 1, 2, 0, 1, 2]);
  it('matches tf.gather and its gradient (UnsortedSegmentSum) on cpu', () => {
    const gather = (te: tf.Tensor, pe: tf.Tensor) =>
      tf.add(tf.gather(te, tf.tensor1d(tokens, 'int32')), tf.gather(pe, tf.tensor1d(positions, 'int32')));
    expectSameGrads((te, pe) => embed(tokens, positions, te as tf.Tensor2D, pe as tf.Tensor2D), gather, [rand([5, 4], 'wte'), rand([3, 4], 'wpe')]);
  });
  it('matches the one-hot reference', () => {
    expectSameGrads(
      (te, pe) => embed(tokens, positions, te as tf.Tensor2D, pe as tf.Tensor2D),
      (te, pe) => embedReference(tokens, positions, te as tf.Tensor2D, pe as tf.Tensor2D),
      [rand([5, 4], 'wte'), rand([3, 4], 'wpe')],
    );
  });
  it('counts a token used k times k times (hand-checked)', () => {
    const [dte] = tf.grads((te: tf.Tensor) => tf.sum(embed(tokens, positions, te as tf.Tensor2D, tf.zeros([3, 2]))))([tf.zeros([5, 2])]);
    expect(Array.from(dte!.dataSync())).toEqual([1, 1, 1, 1, 0, 0, 3, 3, 1, 1]);
  });
  it('rejects ids and positions out of range', () => {
    expect(() => embed(Int32Array.from([5]), Int32Array.from([0]), tf.zeros([5, 2]), tf.zeros([3, 2]))).toThrow(RangeError);
    expect(() => embed(Int32Array.from([0]), Int32Array.from([3]), tf.zeros([5, 2]), tf.zeros([3, 2]))).toThrow(RangeError);
  });
});

describe('layerNorm, gelu', () => {
  it('layerNorm matches the autodiff formula', () => {
    expectSameGrads(
      (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
      (x, g, b) => layerNormReference(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
      [rand([7, 6], 'x', 3), rand([6], 'g'), rand([6], 'b')],
      1e-4,
    );
  });
  it('layerNorm normalises each row (hand-checked)', () => {
    const y = layerNorm(tf.tensor2d([[1, 3]]), tf.tensor1d([1, 1]), tf.tensor1d([0, 0]));
    const v = y.dataSync();
    expect(v[0]).toBeCloseTo(-1 / Math.sqrt(1 + 1e-5), 6);
    expect(v[1]).toBeCloseTo(1 / Math.sqrt(1 + 1e-5), 6);
  });
  it('gelu matches x·σ(1.702x) and its autodiff', () => {
    expectSameGrads((x) => gelu(x as tf.Tensor2D), (x) => geluReference(x as tf.Tensor2D), [rand([5, 8], 'x', 2)]);
    expect(gelu(tf.tensor2d([[0, 1]])).dataSync()[1]).toBeCloseTo(1 / (1 + Math.exp(-1.702)), 6);
  });
});

describe('causalAttention', () => {
  const shape = { batch: 2, seqLen: 7, nHeads: 2 };
  it.each([1, 3, 4, 7, 64])('matches rank-4 attention and its gradient with query chunks of %i', (chunk) => {
    expectSameGrads(
      (qkv) => causalAttention(qkv as tf.Tensor2D, shape, chunk),
      (qkv) => causalAttentionReference(qkv as tf.Tensor2D, shape),
      [rand([14, 12], 'qkv')],
      1e-5,
    );
  });
  it('is causal: the first position returns its own value row (hand-checked)', () => {
    const qkv = rand([14, 12], 'qkv');
    const out = causalAttention(qkv as tf.Tensor2D, shape).arraySync() as number[][];
    const v = qkv.arraySync() as number[][];
    expect(out[0]).toEqual(v[0]!.slice(8, 12).map((x) => expect.closeTo(x, 6)) as unknown as number[]);
    expect(out[7]).toEqual(v[7]!.slice(8, 12).map((x) => expect.closeTo(x, 6)) as unknown as number[]);
  });
  it('does not let a position see later ones', () => {
    const qkv = rand([14, 12], 'qkv');
    const changed = tf.tidy(() => tf.concat([tf.slice(qkv, [0, 0], [5, 12]), tf.add(tf.slice(qkv, [5, 0], [9, 12]), 10)]));
    const a = causalAttention(qkv as tf.Tensor2D, shape).arraySync() as number[][];
    const b = causalAttention(changed as tf.Tensor2D, shape).arraySync() as number[][];
    for (let t = 0; t < 5; t++) a[t]!.forEach((x, j) => expect(b[t]![j]).toBeCloseTo(x, 6));
  });
});

describe('tokenLogProbs', () => {
  it('gives log softmax at the target (hand-checked: logits [0, ln 3] → log ¾)', () => {
    const lp = tokenLogProbs(tf.tensor2d([[0, Math.log(3)], [0, Math.log(3)]]), tf.tensor1d([1, 0], 'int32')).dataSync();
    expect(lp[0]).toBeCloseTo(Math.log(3 / 4), 6);
    expect(lp[1]).toBeCloseTo(Math.log(1 / 4), 6);
  });
  it('matches logSoftmax and its gradient, including extreme logits', () => {
    const logits = tf.tidy(() => tf.concat([rand([6, 9], 'l', 3), tf.tensor2d([[80, -80, 0, 0, 0, 0, 0, 0, 0]])]));
    const targets = tf.tensor1d([0, 8, 3, 3, 1, 5, 1], 'int32');
    expectSameGrads(
      (l) => tokenLogProbs(l as tf.Tensor2D, targets),
      (l) => tokenLogProbsReference(l as tf.Tensor2D, targets),
      [logits],
      1e-4,
    );
    expect(tokenLogProbs(logits as tf.Tensor2D, targets).dataSync()[6]).toBeCloseTo(-160, 4);
  });
  it('oneHotFloat gives real ones', () => {
    expect(Array.from(oneHotFloat(tf.tensor1d([1], 'int32'), 3).dataSync())).toEqual([0, 1, 0]);
  });
});
