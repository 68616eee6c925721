/**
 * Causal multi-head self-attention over a packed qkv projection.
 *
 * The fast path avoids wasm's slow kernels: rank-3/4 batched matMul (~0.7 GFLOP/s, a
 * naive loop; plain 2-D matMul reaches 10–20), tf.slice/split/unstack (each copies the
 * whole input out of the wasm heap) and big 2-D transposes. It reads qkv into JS once,
 * lays out each (sequence, head) block the way the next product wants it (Q, Kᵀ, V; in
 * the backward Qᵀ, K, Vᵀ, dOᵀ), and runs plain 2-D matMuls per block. The backward is
 * written by hand so that no T×T matrix is ever transposed:
 *   dVᵀ = dOᵀ·P,  dP = dO·Vᵀ,  dS = P ⊙ (dP − rowsum(dP ⊙ P)),  dQ = dS·K,  dKᵀ = Qᵀ·dS.
 * Queries are processed in chunks: chunk [c0, c1) attends keys [0, c1) only, so the fully
 * masked upper-right blocks are never computed (2 chunks: 3/4 of the square, 4: 5/8).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedCausalAttention } from '../../native/fused-ops';
import { fusedKernelsActive } from '../../native/fused-kernels';
import { pulse } from '../../worker/heartbeat';

/** Query rows per chunk (see the header); a tuning knob, exact for any value. */
export const DEFAULT_ATTENTION_CHUNK = 128;

const NEG = -1e9;

/** Additive causal mask of query rows [c0, c1) against keys [0, c1): 0 where visible, −1e9 above the diagonal. */
function chunkMask(c0: number, c1: number): tf.Tensor2D {
  const rows = c1 - c0;
  const vals = new Float32Array(rows * c1);
  for (let i = 0; i < rows; i++) for (let j = c0 + i + 1; j < c1; j++) vals[i * c1 + j] = NEG;
  return tf.tensor2d(vals, [rows, c1]);
}

export interface AttentionShape {
  batch: number;
  seqLen: number;
  nHeads: number;
}

/** Copies block rows [r0, r1) × columns [col, col + w) of a row-major [*, stride] array. */
function block(src: Float32Array, stride: number, r0: number, r1: number, col: number, w: number, scale = 1): Float32Array {
  const out = new Float32Array((r1 - r0) * w);
  for (let i = r0; i < r1; i++) {
    const s = i * stride + col;
    const o = (i - r0) * w;
    for (let j = 0; j < w; j++) out[o + j] = (src[s + j] as number) * scale;
  }
  return out;
}

/** Same block, transposed: [w, r1 − r0]. */
function blockT(src: Float32Array, stride: number, r0: number, r1: number, col: number, w: number, scale = 1): Float32Array {
  const rows = r1 - r0;
  const out = new Float32Array(w * rows);
  for (let i = r0; i < r1; i++) {
    const s = i * stride + col;
    for (let j = 0; j < w; j++) out[j * rows + (i - r0)] = (src[s + j] as number) * scale;
  }
  return out;
}

/**
 * qkv [B·T, 3d] (columns: q | k | v, each head dh = d/H wide) → attention output [B·T, d]
 * (heads concatenated), causal within each sequence.
 */
export function causalAttention(qkv: tf.Tensor2D, shape: AttentionShape, chunk = DEFAULT_ATTENTION_CHUNK): tf.Tensor2D {
  const { batch: B, seqLen: T, nHeads: H } = shape;
  const [n, threeD] = qkv.shape;
  if (n !== B * T || threeD % 3 !== 0) throw new RangeError(`causalAttention: qkv shape [${qkv.shape}] does not match B=${B}, T=${T}`);
  const d = threeD / 3;
  if (d % H !== 0) throw new RangeError(`causalAttention: d=${d} not divisible by ${H} heads`);
  // The native fused kernel (engine/native/fused.c) when it is loaded: one kernel call each way, no JS copies.
  if (fusedKernelsActive() && n > 0) return fusedCausalAttention(qkv, B, T, H);
  const dh = d / H;
  const scale = 1 / Math.sqrt(dh);
  const C = Math.max(1, Math.min(chunk, T));
  const chunks: [number, number][] = [];
  for (let c0 = 0; c0 < T; c0 += C) chunks.push([c0, Math.min(T, c0 + C)]);

  const f = tf.customGrad((qkvIn, save) => {
    const data = (qkvIn as tf.Tensor).dataSync() as Float32Array;
    const masks = chunks.map(([c0, c1]) => chunkMask(c0, c1)); // shared by every (b, h)
    const out = new Float32Array(n * d);
    const probs: tf.Tensor[] = []; // P per (b, h, chunk), saved for the backward
    for (let b = 0; b < B; b++) {
      const r = b * T;
      for (let h = 0; h < H; h++) {
        pulse(); // (sequence, head) blocks: seconds in all at large presets
        for (let c = 0; c < chunks.length; c++) {
          const [c0, c1] = chunks[c]!;
          const p = tf.tidy(() => {
            const q = tf.tensor2d(block(data, threeD, r + c0, r + c1, h * dh, dh, scale), [c1 - c0, dh]);
            const kT = tf.tensor2d(blockT(data, threeD, r, r + c1, d + h * dh, dh), [dh, c1]);
            return tf.softmax(tf.add(tf.matMul(q, kT), masks[c]!)) as tf.Tensor2D; // [c1−c0, c1]
          });
          const o = tf.tidy(() => tf.matMul(p, tf.tensor2d(block(data, threeD, r, r + c1, 2 * d + h * dh, dh), [c1, dh])));
          const ov = o.dataSync() as Float32Array; // [c1−c0, dh]
          o.dispose();
          for (let i = 0; i < c1 - c0; i++) out.set(ov.subarray(i * dh, (i + 1) * dh), (r + c0 + i) * d + h * dh);
          probs.push(p);
        }
      }
    }
    (save as tf.GradSaveFunc)(probs);
    tf.dispose([...probs, ...masks]);
    return {
      value: tf.tensor2d(out, [n, d]),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const g = dy.dataSync() as Float32Array; // [B·T, d]
        const dqkv = new Float32Array(n * threeD);
        let k = 0;
        for (let b = 0; b < B; b++) {
          const r = b * T;
          for (let h = 0; h < H; h++) {
            pulse();
            for (const [c0, c1] of chunks) {
              const p = saved[k++] as tf.Tensor2D;
              const rows = c1 - c0;
              const [dq, dkT, dvT] = tf.tidy(() => {
                const dO = tf.tensor2d(block(g, d, r + c0, r + c1, h * dh, dh), [rows, dh]);
                const dOT = tf.tensor2d(blockT(g, d, r + c0, r + c1, h * dh, dh), [dh, rows]);
                const vT = tf.tensor2d(blockT(data, threeD, r, r + c1, 2 * d + h * dh, dh), [dh, c1]);
                const kk = tf.tensor2d(block(data, threeD, r, r + c1, d + h * dh, dh), [c1, dh]);
                const qT = tf.tensor2d(blockT(data, threeD, r + c0, r + c1, h * dh, dh, scale), [dh, rows]);
                const dP = tf.matMul(dO, vT); // [rows, c1]
                const dS = tf.mul(p, tf.sub(dP, tf.sum(tf.mul(dP, p), -1, true))); // softmax backward
                return [
                  tf.matMul(dS, kk), // dQ_scaled [rows, dh]
                  tf.matMul(qT, dS), // dKᵀ [dh, c1]
                  tf.matMul(dOT, p), // dVᵀ [dh, c1]
                ];
              });
              const dqv = dq!.dataSync() as Float32Array;
              const dkv = dkT!.dataSync() as Float32Array;
              const dvv = dvT!.dataSync() as Float32Array;
              tf.dispose([dq!, dkT!, dvT!]);
              for (let i = 0; i < rows; i++) {
                const o = (r + c0 + i) * threeD + h * dh;
                for (let j = 0; j < dh; j++) dqkv[o + j] = (dqkv[o + j] as number) + (dqv[i * dh + j] as number) * scale;
              }
              for (let j = 0; j < dh; j++) {
                for (let i = 0; i < c1; i++) {
                  const o = (r + i) * threeD + h * dh + j;
                  dqkv[o + d] = (dqkv[o + d] as number) + (dkv[j * c1 + i] as number);
                  dqkv[o + 2 * d] = (dqkv[o + 2 * d] as number) + (dvv[j * c1 + i] as number);
                }
              }
            }
          }
        }
        return tf.tensor2d(dqkv, [n, threeD]);
      },
    };
  });
  return f(qkv) as tf.Tensor2D;
}

/** The textbook formulation with rank-4 batched matMuls and TF.js's own gradients (the reference). */
export function causalAttentionReference(qkv: tf.Tensor2D, shape: AttentionShape): tf.Tensor2D {
  const { batch: B, seqLen: T, nHeads: H } = shape;
  const d = qkv.shape[1] / 3;
  const dh = d / H;
  return tf.tidy(() => {
    const [q, k, v] = tf.split(qkv, 3, 1).map(
      (t) => tf.transpose(tf.reshape(t, [B, T, H, dh]), [0, 2, 1, 3]), // [B, H, T, dh]
    ) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), NEG)); // [T, T]
    const s = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), mask); // [B, H, T, T]
    const o = tf.matMul(tf.softmax(s), v); // [B, H, T, dh]
    return tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [B * T, d]) as tf.Tensor2D; // [B·T, d]
  });
}
