/** Padding token sequences into next-token batches, picking minibatch rows out of them, and forward passes over them in chunks. */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../common/run-config';
import type { Rng } from '../../envs/core/rng';

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

/**
 * Rows per forward/backward pass in the RL updates: the memory bound. Eight rows of 512 positions
 * fit the wasm heap; a whole minibatch of VirtualHome trajectories (one row per step) does not.
 */
export const ROWS_PER_PASS = 8;

export type MiniBatchUnit = RunConfig['ppo']['miniBatchUnit'];

/** The group each row is drawn with: its trajectory, or (unit 'row', runs made before ppo.miniBatchUnit) itself. */
export function minibatchGroups(rows: readonly { trajectory: number }[], unit: MiniBatchUnit = 'trajectory'): number[] {
  return rows.map((r, i) => (unit === 'row' ? i : r.trajectory));
}

/**
 * One epoch's minibatches, as row indices: the trajectories shuffled and taken `size` at a time,
 * each minibatch every row of its trajectories. The code's PPO takes one optimizer step per
 * `size` trajectories; our trajectories span a row per step (step-view.ts), and minibatches of
 * rows made the number of steps per iteration grow with episode length (VirtualHome, ~36 turns:
 * 86 Adam steps in an iteration where WebShop took 30 and the recipe 4).
 */
export function trajectoryMinibatches(rowTrajectory: readonly number[], size: number, rng: Rng): number[][] {
  const byTrajectory = new Map<number, number[]>();
  rowTrajectory.forEach((t, row) => {
    const rows = byTrajectory.get(t);
    if (rows) rows.push(row);
    else byTrajectory.set(t, [row]);
  });
  const order = rng.shuffle([...byTrajectory.keys()].sort((a, b) => a - b));
  const step = Math.max(1, size);
  const batches: number[][] = [];
  for (let from = 0; from < order.length; from += step) batches.push(order.slice(from, from + step).flatMap((t) => byTrajectory.get(t) as number[]));
  return batches;
}

/**
 * The gradient of one minibatch, accumulated over passes of ROWS_PER_PASS rows (the authors' code
 * accumulates micro-batches the same way). `loss(rows)` returns a mean over its rows' units
 * (tokens, or rows); weighting each pass by its share of `weights` makes the sum that mean over
 * the whole minibatch. `stats` are the same weighted means of the extra scalars `loss` reports.
 * Tensors `loss` creates are released with its pass.
 */
export function minibatchGradients(
  rows: readonly number[],
  weights: ArrayLike<number>,
  vars: tf.Variable[],
  loss: (rows: number[]) => { total: tf.Scalar; stats: tf.Scalar[] },
): { grads: tf.NamedTensorMap; stats: number[] } {
  const total = rows.reduce((a, r) => a + (weights[r] as number), 0);
  let grads: tf.NamedTensorMap | null = null;
  const stats: number[] = [];
  for (let from = 0; from < rows.length; from += ROWS_PER_PASS) {
    const pass = rows.slice(from, from + ROWS_PER_PASS);
    const share = total > 0 ? pass.reduce((a, r) => a + (weights[r] as number), 0) / total : pass.length / rows.length;
    if (share === 0) continue; // no unit of the mean here: nothing to add
    let kept: tf.Scalar[] = [];
    const passGrads = tf.tidy(() => {
      const { value, grads: g } = tf.variableGrads(() => {
        const out = loss(pass);
        kept = out.stats.map((s) => tf.keep(s));
        return tf.mul(out.total, share) as tf.Scalar;
      }, vars);
      value.dispose();
      return g;
    });
    kept.forEach((s, k) => (stats[k] = (stats[k] ?? 0) + share * (s.dataSync()[0] as number)));
    tf.dispose(kept);
    if (!grads) grads = passGrads;
    else {
      const sum: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(passGrads)) sum[name] = tf.add(grads[name] as tf.Tensor, g);
      tf.dispose([...Object.values(grads), ...Object.values(passGrads)]);
      grads = sum;
    }
  }
  if (!grads) throw new Error('minibatchGradients: no rows with weight');
  return { grads, stats };
}
