/**
 * Differentiable ops over the fused native kernels (fused-kernels.ts): each is a tf.customGrad
 * whose forward and backward are one kernel call. They compute the same functions as the
 * TF.js formulations in engine/model/ops/ (which call these when fusedKernelsActive()), and
 * are tested against them (test/engine/native/fused-ops.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { pulse } from '../worker/heartbeat';
import { FUSED } from './fused-kernels';

function run(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, number> = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? out : [out];
}

/** Causal multi-head self-attention of a packed qkv [B·T, 3d] → [B·T, d] (see ops/attention.ts). */
export function fusedCausalAttention(qkv: tf.Tensor2D, batch: number, seqLen: number, nHeads: number): tf.Tensor2D {
  const attrs = { batch, seqLen, nHeads };
  const f = tf.customGrad((qkvIn, save) => {
    pulse();
    const [out, lse] = run(FUSED.attention, { qkv: qkvIn as tf.Tensor }, attrs);
    (save as tf.GradSaveFunc)([qkvIn as tf.Tensor, lse!]);
    lse!.dispose();
    return {
      value: out as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, [q, l]: tf.Tensor[]) => {
        pulse();
        return run(FUSED.attentionGrad, { qkv: q!, lse: l!, dy }, attrs)[0]!;
      },
    };
  });
  return f(qkv) as tf.Tensor2D;
}

/** LayerNorm over the last axis of x [N, d] (see ops/layer-norm.ts). */
export function fusedLayerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, eps: number): tf.Tensor2D {
  const f = tf.customGrad((xi, gi, bi, save) => {
    const [y, mean, rstd] = run(FUSED.layerNorm, { x: xi as tf.Tensor, g: gi as tf.Tensor, b: bi as tf.Tensor }, { eps });
    (save as tf.GradSaveFunc)([xi as tf.Tensor, gi as tf.Tensor, mean!, rstd!]);
    tf.dispose([mean!, rstd!]);
    return {
      value: y as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, [xs, gs, m, r]: tf.Tensor[]) => run(FUSED.layerNormGrad, { x: xs!, g: gs!, mean: m!, rstd: r!, dy }),
    };
  });
  return f(x, g, b) as tf.Tensor2D;
}

/** x·σ(1.702·x) (see ops/gelu.ts). */
export function fusedGelu(x: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((xi, save) => {
    (save as tf.GradSaveFunc)([xi as tf.Tensor]);
    return {
      value: run(FUSED.gelu, { x: xi as tf.Tensor })[0] as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, [xs]: tf.Tensor[]) => run(FUSED.geluGrad, { x: xs!, dy })[0]!,
    };
  });
  return f(x) as tf.Tensor2D;
}

/** log softmax(logits)[target] per row: logits [N, V], targets [N] int32 in [0, V) → [N] (see ops/log-probs.ts). */
export function fusedTokenLogProbs(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const f = tf.customGrad((li, save) => {
    pulse();
    const [lp, lse] = run(FUSED.logProbs, { logits: li as tf.Tensor, targets });
    (save as tf.GradSaveFunc)([li as tf.Tensor, targets, lse!]);
    lse!.dispose();
    return {
      value: lp as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor1D, [l, t, z]: tf.Tensor[]) => {
        pulse();
        return run(FUSED.logProbsGrad, { logits: l!, targets: t!, lse: z!, dy })[0]!;
      },
    };
  });
  return f(logits) as tf.Tensor1D;
}
