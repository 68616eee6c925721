/**
 * Seeded weight initialisation that does not depend on the backend: values are drawn in JS
 * (sfc32 + Box–Muller, envs/core/rng) from a seed string per weight, so the same config and
 * seed give bit-identical initial weights on wasm, cpu and native TensorFlow.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../envs/core/rng';

/** N(0, std²) values of the given shape, from the seed string. */
export function normalValues(size: number, std: number, seed: string): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    // Box–Muller: two independent normals per pair of uniforms; 1 − u keeps log() finite.
    const u1 = 1 - rng.next();
    const u2 = rng.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2) * std;
    if (i + 1 < size) out[i + 1] = r * Math.sin(2 * Math.PI * u2) * std;
  }
  return out;
}

export function normalTensor(shape: number[], std: number, seed: string): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(normalValues(size, std, seed), shape, 'float32');
}
