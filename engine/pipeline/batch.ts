/** Padding token sequences into next-token batches, picking minibatch rows out of them, and forward passes over them in chunks. */
import * as tf from '@tensorflow/tfjs';

export interface PackedRows {
  /** Positions per row (longest sequence − 1). */
  L: number;
  inputs: Int32Array;
  targets: Int32Array;
  /** 1 where the next token is a trained (agent-turn) token. */
  mask: Float32Array;
}

/** Right-pads sequences into flat [B, L] inputs (tokens[:-1]), targets (tokens[1:]) and masks (targetMask[1:]). */
export function packRows(rows: readonly { tokens: readonly number[]; targetMask: readonly number[] }[], pad: number): PackedRows {
  const L = Math.max(...rows.map((r) => r.tokens.length)) - 1;
  const inputs = new Int32Array(rows.length * L).fill(pad);
  const targets = new Int32Array(rows.length * L).fill(pad);
  const mask = new Float32Array(rows.length * L);
  rows.forEach((r, b) => {
    inputs.set(r.tokens.slice(0, -1), b * L);
    targets.set(r.tokens.slice(1), b * L);
    mask.set(r.targetMask.slice(1), b * L);
  });
  return { L, inputs, targets, mask };
}

/** The rows `idx` of a flat [B, L] array, as a new flat [idx.length, L] array of the same type. */
export function takeRows<A extends Float32Array | Int32Array>(a: A, idx: readonly number[], L: number): A {
  const out = new (a.constructor as new (n: number) => A)(idx.length * L);
  idx.forEach((b, k) => out.set(a.subarray(b * L, (b + 1) * L), k * L));
  return out;
}

/**
 * Per-position outputs of a forward pass over flat [B, L] rows, `chunk` rows at a time (each chunk
 * in its own tidy), concatenated row-major. A whole batch at once holds B·L·vocab logits and every
 * layer's attention together: PPO's 16 VirtualHome rollouts of 40 turns ran the wasm heap out
 * ("memory access out of bounds"). Rows are independent, so the values are those of one pass.
 */
export function forwardRows(
  rows: { inputs: Int32Array; targets: Int32Array; B: number; L: number },
  chunk: number,
  f: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor[],
): Float32Array[] {
  const { inputs, targets, B, L } = rows;
  const step = Math.max(1, chunk);
  const outs: Float32Array[] = [];
  for (let from = 0; from < B; from += step) {
    const to = Math.min(B, from + step);
    const rowsOf = (a: Int32Array) => tf.tensor2d(a.subarray(from * L, to * L), [to - from, L], 'int32');
    const parts = tf.tidy(() => f(rowsOf(inputs), rowsOf(targets)).map((t) => t.dataSync() as Float32Array));
    parts.forEach((p, k) => (outs[k] ??= new Float32Array(B * L)).set(p, from * L));
  }
  return outs;
}
