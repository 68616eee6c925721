/**
 * A float32 one-hot matrix. tfjs-backend-wasm 4.22's OneHot kernel ignores the dtype
 * argument and writes int32 bits, so tf.oneHot(…, 'float32') yields 1.4e-45 instead of 1 on
 * wasm; building it as int32 and casting is correct on every backend.
 */
import * as tf from '@tensorflow/tfjs';

export function oneHotFloat(indices: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(indices, depth), 'float32') as tf.Tensor2D);
}
