/**
 * y = x·W (+ b) with a hand-written backward that uses only plain 2-D matMul.
 *
 * tf.matMul's own gradient uses the transposeA/transposeB forms, which run 10–20× slower
 * than a plain product on wasm (docs/toolchain.md §5). Here every product is
 * "transpose explicitly, then matMul(a, b)".
 *
 * The weight gradient xᵀ·dy contracts over N, so one [N, k] activation is always the
 * right-hand operand, and tfjs-wasm packs the right-hand operand for XNNPACK on every call
 * with a new tensor (~17 ns per element: 35 ms for [4096, 512], more than the product
 * itself; weights are packed once and cached). So the narrower of x and dy is the one
 * packed, the wider is transposed: xᵀ·dy when din ≥ dout, (dyᵀ·x)ᵀ otherwise. Bias
 * gradients are ones[1, N]·dy or a row sum of dyᵀ: a column sum over N (tf.sum axis 0) is
 * ~40× slower on wasm.
 *
 * With the native kernels loaded (engine/native/), matMul's transposes are free, and the
 * gradients are the plain transposeA/B products instead.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedKernelsActive } from '../../native/fused-kernels';
import { pulse } from '../../worker/heartbeat';

/** Row-block height of the two-step transpose. */
const TRANSPOSE_BLOCK = 128;

/**
 * Transpose of a 2-D tensor; a reshape when one side is 1 (same memory order). Tall
 * matrices go in two cache-friendly steps: transpose each block of 128 rows
 * ([R/128, 128, C] → [R/128, C, 128]), then move the blocks ([C, R/128, 128], contiguous
 * runs of 128). On wasm this is ~2× faster than the one-step kernel (9 vs 20 ms for
 * [4096, 512]).
 */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  const [r, c] = x.shape;
  if (r === 1 || c === 1) return tf.reshape(x, [c, r]);
  if (r <= TRANSPOSE_BLOCK || r % TRANSPOSE_BLOCK !== 0) return tf.transpose(x);
  return tf.tidy(() => {
    const blocks = tf.transpose(tf.reshape(x, [r / TRANSPOSE_BLOCK, TRANSPOSE_BLOCK, c]), [0, 2, 1]); // [R/128, C, 128]
    return tf.reshape(tf.transpose(blocks, [1, 0, 2]), [c, r]) as tf.Tensor2D; // [C, R/128, 128] = [C, R]
  });
}

/** ones[1, N] · m: the sum of m's rows as a [cols] vector. */
export function sumRows(m: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(tf.matMul(tf.ones([1, m.shape[0]]), m), [m.shape[1]]));
}

function linearGrads(x: tf.Tensor2D, w: tf.Tensor2D, dy: tf.Tensor2D, withBias: boolean): tf.Tensor[] {
  // With the native kernels loaded, matMul's transposes are free (absorbed by the GEMM's packing).
  if (fusedKernelsActive()) {
    return tf.tidy(() => {
      const grads = [tf.matMul(dy, w, false, true), tf.matMul(x, dy, true, false)]; // dx [N, din], dw [din, dout]
      return withBias ? [...grads, sumRows(dy)] : grads;
    });
  }
  return tf.tidy(() => {
    const [din, dout] = w.shape;
    const dx = tf.matMul(dy, transpose2d(w)); // [N, din]
    let dw: tf.Tensor2D;
    let db: tf.Tensor1D | null = null;
    // Cost in units of N (measured on wasm): transposing [N, k] ~ 0.5·k with transpose2d
    // (free when k = 1), packing [N, k] as the right operand ~ 1.2·k.
    const transposeX = (din === 1 ? 0 : 0.5 * din) + 1.2 * dout;
    const transposeDy = (dout === 1 ? 0 : 0.5 * dout) + 1.2 * din;
    if (transposeX <= transposeDy) {
      dw = tf.matMul(transpose2d(x), dy); // [din, N]·[N, dout]
      if (withBias) db = sumRows(dy);
    } else {
      const dyT = transpose2d(dy); // [dout, N]
      dw = transpose2d(tf.matMul(dyT, x)); // ([dout, N]·[N, din])ᵀ
      if (withBias) db = tf.sum(dyT, -1); // a row sum is fast
    }
    return db ? [dx, dw, db] : [dx, dw];
  });
}

/** y = x·W + b for x [N, din], W [din, dout], b [dout]. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  // Every layer passes here, forward and backward: a whole-batch pass that holds the thread for
  // seconds still tells the supervisor it is alive (engine/worker/heartbeat.ts).
  pulse();
  if (b) {
    const f = tf.customGrad((xi, wi, bi, save) => {
      const [xs, ws, bs] = [xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D];
      (save as tf.GradSaveFunc)([xs, ws]);
      return {
        value: tf.tidy(() => tf.add(tf.matMul(xs, ws), bs)) as tf.Tensor2D,
        gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
          pulse();
          return linearGrads(saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D, dy, true);
        },
      };
    });
    return f(x, w, b) as tf.Tensor2D;
  }
  const f = tf.customGrad((xi, wi, save) => {
    const [xs, ws] = [xi as tf.Tensor2D, wi as tf.Tensor2D];
    (save as tf.GradSaveFunc)([xs, ws]);
    return {
      value: tf.matMul(xs, ws) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        pulse();
        return linearGrads(saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D, dy, false);
      },
    };
  });
  return f(x, w) as tf.Tensor2D;
}

/** The same function with TF.js's built-in gradients (the reference). */
export function linearReference(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  return b ? tf.add(tf.matMul(x, w), b) : tf.matMul(x, w);
}
