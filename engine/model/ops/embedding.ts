/**
 * Token + position embedding lookup with a gradient on every backend.
 *
 * tf.gather has no gradient kernel on wasm (UnsortedSegmentSum is missing) and its forward
 * is ~20 ms for [4096, 128] there; a one-hot matMul costs 2·N·V·d FLOPs each way. The lookup
 * is O(N·d) memory traffic, so it is done in JS: rows are copied out of the tables, and the
 * backward scatter-adds dy into zero tables. Token ids and positions are plain arrays
 * (they need no gradient).
 */
import * as tf from '@tensorflow/tfjs';
import { oneHotFloat } from './one-hot';

/**
 * out[n] = wte[tokens[n]] + wpe[positions[n]] for n < N; returns [N, d].
 * tokens and positions must be in range (checked).
 */
export function embed(tokens: Int32Array, positions: Int32Array, wte: tf.Tensor2D, wpe: tf.Tensor2D): tf.Tensor2D {
  const n = tokens.length;
  if (positions.length !== n) throw new RangeError(`embed: ${n} tokens but ${positions.length} positions`);
  const [vocab, d] = wte.shape;
  const context = wpe.shape[0];
  for (let i = 0; i < n; i++) {
    const t = tokens[i] as number;
    const p = positions[i] as number;
    if (!(t >= 0 && t < vocab)) throw new RangeError(`embed: token id ${t} outside [0, ${vocab})`);
    if (!(p >= 0 && p < context)) throw new RangeError(`embed: position ${p} outside [0, ${context})`);
  }
  const f = tf.customGrad((wteIn, wpeIn) => {
    const te = (wteIn as tf.Tensor).dataSync() as Float32Array;
    const pe = (wpeIn as tf.Tensor).dataSync() as Float32Array;
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const to = (tokens[i] as number) * d;
      const po = (positions[i] as number) * d;
      const o = i * d;
      for (let j = 0; j < d; j++) out[o + j] = (te[to + j] as number) + (pe[po + j] as number);
    }
    return {
      value: tf.tensor2d(out, [n, d]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dte = new Float32Array(vocab * d);
        const dpe = new Float32Array(context * d);
        for (let i = 0; i < n; i++) {
          const to = (tokens[i] as number) * d;
          const po = (positions[i] as number) * d;
          const o = i * d;
          for (let j = 0; j < d; j++) {
            const v = g[o + j] as number;
            dte[to + j] = (dte[to + j] as number) + v;
            dpe[po + j] = (dpe[po + j] as number) + v;
          }
        }
        return [tf.tensor2d(dte, [vocab, d]), tf.tensor2d(dpe, [context, d])];
      },
    };
  });
  return f(wte, wpe) as tf.Tensor2D;
}

/**
 * The same lookup as one-hot products with TF.js's own gradients (the reference; this is the
 * stock way to get an embedding gradient on wasm, at 2·N·V·d FLOPs each way).
 */
export function embedReference(tokens: Int32Array, positions: Int32Array, wte: tf.Tensor2D, wpe: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const tok = oneHotFloat(tf.tensor1d(tokens, 'int32'), wte.shape[0]); // [N, V]
    const pos = oneHotFloat(tf.tensor1d(positions, 'int32'), wpe.shape[0]); // [N, context]
    return tf.add(tf.matMul(tok, wte), tf.matMul(pos, wpe));
  });
}
