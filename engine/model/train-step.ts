/**
 * Next-token training step (SFT-style): masked mean negative log-likelihood, gradients by
 * tf.variableGrads, optional gradient accumulation over micro-batches, one optimizer update.
 *
 * Micro-batching computes exactly the full-batch gradient (each micro-batch's loss is its
 * masked NLL sum over the whole batch's mask count); it bounds activation memory. It is
 * not a speed-up on wasm here: per-pass overheads outweigh the smaller working set
 * (main/services/train-bench.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { TransformerLM } from './transformer';

export interface TokenBatch {
  /** Flat [batch·seqLen] input ids. */
  tokens: Int32Array;
  /** Flat [batch·seqLen] next-token targets. */
  targets: Int32Array;
  /** Flat [batch·seqLen] loss weights (1 = trained, 0 = masked); all ones when omitted. */
  mask?: Float32Array;
  batch: number;
  seqLen: number;
}

/** −Σ mask·log π(target) / normaliser, a scalar (differentiable). */
export function maskedNll(model: TransformerLM, tokens: tf.Tensor2D, targets: tf.Tensor2D, mask: tf.Tensor2D, normaliser: number): tf.Scalar {
  return tf.tidy(() => tf.div(tf.neg(tf.sum(tf.mul(model.logProbsOf(tokens, targets), mask))), normaliser) as tf.Scalar);
}

function rows(b: TokenBatch, from: number, to: number): { tokens: tf.Tensor2D; targets: tf.Tensor2D; mask: tf.Tensor2D } {
  const T = b.seqLen;
  const n = (to - from) * T;
  const mask = b.mask ? b.mask.subarray(from * T, to * T) : new Float32Array(n).fill(1);
  return {
    tokens: tf.tensor2d(b.tokens.subarray(from * T, to * T), [to - from, T], 'int32'),
    targets: tf.tensor2d(b.targets.subarray(from * T, to * T), [to - from, T], 'int32'),
    mask: tf.tensor2d(mask, [to - from, T]),
  };
}

/**
 * Gradients of the batch's masked mean NLL, accumulated over micro-batches of `microBatch`
 * rows. Returns the loss and the gradients keyed by variable name (caller disposes grads).
 */
export function lmGradients(model: TransformerLM, batch: TokenBatch, microBatch = batch.batch): { loss: number; grads: tf.NamedTensorMap } {
  const total = batch.mask ? batch.mask.reduce((a, v) => a + v, 0) : batch.batch * batch.seqLen;
  const normaliser = Math.max(total, 1);
  const vars = model.trainableVariables();
  const acc: tf.NamedTensorMap = {};
  let loss = 0;
  for (let from = 0; from < batch.batch; from += microBatch) {
    const to = Math.min(batch.batch, from + microBatch);
    const mb = rows(batch, from, to);
    const { value, grads } = tf.variableGrads(() => maskedNll(model, mb.tokens, mb.targets, mb.mask, normaliser), vars);
    loss += value.dataSync()[0] as number;
    for (const [name, g] of Object.entries(grads)) {
      const prev = acc[name];
      if (prev) {
        acc[name] = tf.add(prev, g);
        prev.dispose();
        g.dispose();
      } else {
        acc[name] = g;
      }
    }
    tf.dispose([value, mb.tokens, mb.targets, mb.mask]);
  }
  return { loss, grads: acc };
}

/** One optimizer update on the batch; returns the loss before the update. */
export function lmTrainStep(model: TransformerLM, optimizer: tf.Optimizer, batch: TokenBatch, opts: { microBatch?: number } = {}): number {
  const { loss, grads } = lmGradients(model, batch, opts.microBatch);
  optimizer.applyGradients(grads);
  tf.dispose(grads);
  return loss;
}
