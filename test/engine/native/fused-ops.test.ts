/**
 * engine/native fused ops (fused.c via fused-kernels.ts / fused-ops.ts): values and gradients
 * equal the TF.js formulations on odd shapes, out-of-range targets and operands outside the
 * heap are refused with a clear error, and nothing leaks. Skipped, with the reason, when the
 * addon is not built.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { causalAttentionReference } from '../../../engine/model/ops/attention';
import { geluReference } from '../../../engine/model/ops/gelu';
import { LN_EPS, layerNormReference } from '../../../engine/model/ops/layer-norm';
import { TransformerLM } from '../../../engine/model/transformer';
import { tokenLogProbsReference } from '../../../engine/model/ops/log-probs';
import { disableNativeKernels, loadNativeAddon } from '../../../engine/native';
import { fusedKernelsActive } from '../../../engine/native/fused-kernels';
import { fusedCausalAttention, fusedGelu, fusedLayerNorm, fusedTokenLogProbs } from '../../../engine/native/fused-ops';
import { relError, values } from './test-data';

const { addon, reason } = loadNativeAddon();
const skipWhy = !addon ? reason : process.env.SPA_NATIVE === '0' ? 'SPA_NATIVE=0' : null;

/** Value and gradients (w.r.t. every input, under a fixed random cotangent) of f and ref agree to tol. */
function expectSameFunction(f: (...xs: tf.Tensor[]) => tf.Tensor, ref: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol: number): void {
  const probe = (g: (...xs: tf.Tensor[]) => tf.Tensor) =>
    tf.tidy(() => {
      const y = g(...inputs);
      const w = tf.tensor(values(y.size, 99), y.shape);
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(g(...xs), w)))(inputs);
      return [y, ...grads];
    });
  const got = probe(f);
  const want = probe(ref);
  got.forEach((t, i) => expect(relError(t.dataSync(), want[i]!.dataSync()), i === 0 ? 'value' : `gradient ${i - 1}`).toBeLessThan(tol));
  tf.dispose([...got, ...want]);
}

describe.skipIf(skipWhy !== null)(`native fused ops on wasm${skipWhy ? ` (skipped: ${skipWhy})` : ''}`, () => {
  beforeAll(async () => {
    expect((await initBackend('wasm')).native?.loaded).toBe(true);
    expect(fusedKernelsActive()).toBe(true);
  });
  afterAll(() => disableNativeKernels());

  it('causal attention: values and qkv gradient equal the rank-4 TF.js formulation', () => {
    for (const [B, T, H, dh] of [
      [2, 37, 3, 8],
      [1, 1, 2, 16],
      [3, 64, 4, 32],
      [1, 19, 1, 5],
      [2, 150, 2, 16], // several query chunks of the native kernel, the last one partial
    ] as const) {
      const qkv = tf.tensor2d(values(B * T * 3 * H * dh, B * 1000 + T, 2), [B * T, 3 * H * dh]);
      const shape = { batch: B, seqLen: T, nHeads: H };
      expectSameFunction(
        (x) => fusedCausalAttention(x as tf.Tensor2D, B, T, H),
        (x) => causalAttentionReference(x as tf.Tensor2D, shape),
        [qkv],
        2e-5,
      );
      qkv.dispose();
    }
  });

  it('layer norm: values and the x, gain and bias gradients', () => {
    const [N, d] = [45, 50];
    const x = tf.tensor2d(values(N * d, 5, 3), [N, d]);
    const g = tf.tensor1d(values(d, 6));
    const b = tf.tensor1d(values(d, 7));
    expectSameFunction(
      (xi, gi, bi) => fusedLayerNorm(xi as tf.Tensor2D, gi as tf.Tensor1D, bi as tf.Tensor1D, LN_EPS),
      (xi, gi, bi) => layerNormReference(xi as tf.Tensor2D, gi as tf.Tensor1D, bi as tf.Tensor1D),
      [x, g, b],
      2e-5,
    );
    tf.dispose([x, g, b]);
  });

  it('gelu: values and gradient, including large |x| and a length that is not a multiple of 16', () => {
    const x = tf.tensor2d(values(7 * 33, 8, 12), [7, 33]);
    expectSameFunction((xi) => fusedGelu(xi as tf.Tensor2D), (xi) => geluReference(xi as tf.Tensor2D), [x], 1e-5);
    x.dispose();
  });

  it('token log-probs: values and logits gradient, with large logits', () => {
    const [N, V] = [21, 101];
    const logits = tf.tensor2d(values(N * V, 9, 40), [N, V]);
    const targets = tf.tensor1d(Int32Array.from({ length: N }, (_, i) => (i * 37) % V), 'int32');
    expectSameFunction(
      (l) => fusedTokenLogProbs(l as tf.Tensor2D, targets),
      (l) => tokenLogProbsReference(l as tf.Tensor2D, targets),
      [logits],
      1e-5,
    );
    tf.dispose([logits, targets]);
  });

  it('refuses a target outside the vocabulary with a clear error', () => {
    const logits = tf.zeros([2, 5]) as tf.Tensor2D;
    const targets = tf.tensor1d([1, 5], 'int32');
    const before = tf.memory().numTensors;
    expect(() => fusedTokenLogProbs(logits, targets)).toThrow(/target id is outside \[0, V\)/);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2); // the two outputs allocated before the check, at most
    const ids = (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
    expect(() => fusedTokenLogProbs(logits, targets)).toThrow(/target id/);
    expect((tf.engine().backend as unknown as { numDataIds(): number }).numDataIds()).toBe(ids); // the refused kernel's outputs are freed
    tf.dispose([logits, targets]);
  });

  it('refuses operands outside the heap (a wrong offset throws instead of writing)', () => {
    const heap = new ArrayBuffer(1024);
    expect(() => addon!.attentionForward(heap, 0, 512, 1000, 1, 4, 2, 8)).toThrow(/out of the buffer's bounds/);
    expect(() => addon!.geluForward(heap, 0, 1020, 2)).toThrow(/out of the buffer's bounds/);
    expect(() => addon!.layerNormBackward(heap, 2, 0, 0, 0, 0, 0, 0, 0, 1, 1)).toThrow(/out of the buffer's bounds/);
    expect(() => addon!.logProbsForward(heap, 0, 0, 0, 0, 1, 0)).toThrow(/V must be/);
    expect(() => (addon!.geluForward as (...a: unknown[]) => void)(heap, 0, 0)).toThrow(/expected 4 arguments/);
  });

  it('cached generation (native decode attention) gives the logits of the full forward, rows of different lengths', () => {
    const model = new TransformerLM({ vocabSize: 29, dModel: 32, nLayers: 2, nHeads: 4, dFF: 64, context: 40 }, { seed: 5 });
    // Initial weights (std 0.02) make attention nearly uniform; scaled up, a wrong score shows in the logits.
    for (const [name, w] of model.namedWeights()) if (/attn\.wqkv$/.test(name)) w.assign(tf.mul(w, 25));
    const prompts = [[1, 5, 7, 9, 2], [3, 4], Array.from({ length: 23 }, (_, i) => (i * 5) % 29)];
    const logitsOf = (useCache: boolean) => {
      const logits: Float32Array[] = [];
      const out = model.generate(prompts, { maxNewTokens: 12, temperature: 1, topP: 1, greedy: true, rng: () => 0.5, useCache, onStep: (_s, _r, l) => logits.push(l.slice()) });
      return { tokens: out.tokens, logits };
    };
    const cached = logitsOf(true);
    const full = logitsOf(false);
    expect(cached.tokens).toEqual(full.tokens);
    let maxDiff = 0;
    cached.logits.forEach((l, s) => l.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - (full.logits[s]![j] as number))))));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(() => addon!.attentionDecode(new Float32Array(24), new Float32Array(8), new Float32Array(64), new Float32Array(64), Int32Array.of(0), Int32Array.of(8), 2, 8)).toThrow(
      /outside the cache/,
    );
    model.dispose();
  });

  it('leaks no tensors through forward and backward', () => {
    const qkv = tf.tensor2d(values(2 * 9 * 24, 11), [18, 24]);
    const x = tf.tensor2d(values(18 * 8, 12), [18, 8]);
    const g = tf.ones([8]) as tf.Tensor1D;
    const b = tf.zeros([8]) as tf.Tensor1D;
    const targets = tf.tensor1d(Int32Array.from({ length: 18 }, (_, i) => i % 8), 'int32');
    const before = tf.memory();
    for (let i = 0; i < 3; i++) {
      const grads = tf.grads((q: tf.Tensor, xi: tf.Tensor) => {
        const a = fusedCausalAttention(q as tf.Tensor2D, 2, 9, 2); // [18, 8]
        const h = fusedGelu(fusedLayerNorm(tf.add(a, xi) as tf.Tensor2D, g, b, LN_EPS));
        return tf.sum(fusedTokenLogProbs(h, targets));
      })([qkv, x]);
      tf.dispose(grads);
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    tf.dispose([qkv, x, g, b, targets]);
  });
});
