/**
 * LayerNorm over the last axis with a hand-written backward: the autodiff of the
 * mean/variance formula records ~15 elementwise kernels and sums gamma/beta gradients with
 * tf.sum(axis 0), which is slow on wasm; the closed form needs 9 kernels and two ones·dy
 * products.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedLayerNorm } from '../../native/fused-ops';
import { fusedKernelsActive } from '../../native/fused-kernels';
import { sumRows } from './linear';

export const LN_EPS = 1e-5;

/** y = (x − mean) / sqrt(var + eps) · g + b for x [N, d]. */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  if (fusedKernelsActive() && x.size > 0) return fusedLayerNorm(x, g, b, LN_EPS);
  const f = tf.customGrad((xi, gi, bi, save) => {
    const [xhat, rstd, y] = tf.tidy(() => {
      const xs = xi as tf.Tensor2D;
      const xc = tf.sub(xs, tf.mean(xs, -1, true)); // [N, d]
      const r = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), LN_EPS)); // [N, 1]
      const xh = tf.mul(xc, r);
      return [xh, r, tf.add(tf.mul(xh, gi as tf.Tensor1D), bi as tf.Tensor1D)];
    });
    (save as tf.GradSaveFunc)([xhat as tf.Tensor, rstd as tf.Tensor, gi as tf.Tensor]);
    tf.dispose([xhat, rstd]);
    return {
      value: y as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xh, r, gs] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
          const dxhat = tf.mul(dy, gs); // [N, d]
          const inner = tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xh, tf.mean(tf.mul(dxhat, xh), -1, true)));
          return [tf.mul(inner, r), sumRows(tf.mul(dy, xh)), sumRows(dy)];
        }),
    };
  });
  return f(x, g, b) as tf.Tensor2D;
}

export function layerNormReference(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LN_EPS))), g), b);
  });
}
