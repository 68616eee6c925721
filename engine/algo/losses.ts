/**
 * The TF.js losses: PPO (TRL 0.10.1 `PPOTrainer.loss`), GRPO's clipped surrogate, and the
 * progress estimator's MSE(Σ_t c_t, R). Every function runs in its own tf.tidy, so only the
 * returned tensors survive; inside `tf.variableGrads`, return `.total` (or the PE loss) and
 * `tf.keep` whichever statistics you want to read afterwards, then dispose them.
 * All ops used here have gradients on the wasm backend (no gather / unsortedSegmentSum; masks
 * and comparisons stay off the gradient path).
 */
import * as tf from '@tensorflow/tfjs';
import { PPO_DEFAULTS } from './flags';

/** TRL `masked_mean` over all entries: Σ x·m / Σ m. */
export function maskedMeanTf(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(x, mask)), tf.sum(mask)) as tf.Scalar);
}

/** TRL's `clip_by_value(x, lo, hi)` with tensor bounds centred on `centre`: centre + clip(x − centre, ±r). */
function clipAround(x: tf.Tensor, centre: tf.Tensor, radius: number): tf.Tensor {
  return tf.add(centre, tf.clipByValue(tf.sub(x, centre), -radius, radius));
}

export interface PpoLossInput {
  /** log π(x_{p+1} | x_{≤p}) under the current policy, [B, L]; on the gradient tape. */
  logProbs: tf.Tensor;
  /** The same at the start of the PPO step, [B, L]. */
  oldLogProbs: tf.Tensor;
  /** Whitened advantages, [B, L]. */
  advantages: tf.Tensor;
  /** Current value head outputs (TRL `vpreds`), [B, L]; on the gradient tape. */
  values: tf.Tensor;
  /** Values at the start of the PPO step, V·mask (TRL `values`), [B, L]. */
  oldValues: tf.Tensor;
  /** GAE returns A + V, [B, L]. */
  returns: tf.Tensor;
  /** 1 on action positions, [B, L]. */
  mask: tf.Tensor;
  clip?: number;
  clipValue?: number;
  vfCoef?: number;
  /** When the masked mean ratio exceeds this, all losses are multiplied by 0 (TRL `ratio_threshold`). */
  ratioThreshold?: number;
}

export interface PpoLosses {
  /** policyLoss + vfCoef·valueLoss (0 when skipped). */
  total: tf.Scalar;
  /** masked_mean(max(−A·ρ, −A·clip(ρ, 1±ε))). */
  policyLoss: tf.Scalar;
  /** 0.5·masked_mean(max((V−G)², (V_clip−G)²)). */
  valueLoss: tf.Scalar;
  /** TRL's `approxkl` = 0.5·masked_mean((logπ − logπ_old)²). */
  approxKl: tf.Scalar;
  /** TRL's `policykl` = masked_mean(logπ_old − logπ). */
  policyKl: tf.Scalar;
  /** Share of action positions where the clipped policy term is the larger one. */
  clipFrac: tf.Scalar;
  /** Share of action positions where the clipped value term is the larger one. */
  valueClipFrac: tf.Scalar;
  ratioMean: tf.Scalar;
  /** The ratio threshold fired: the losses are zeroed for this minibatch (Adam still steps, as in TRL). */
  skipped: boolean;
}

/** TRL 0.10.1 PPO loss; all means are masked means over the action positions of the minibatch. */
export function ppoLosses(input: PpoLossInput): PpoLosses {
  const clip = input.clip ?? PPO_DEFAULTS.clip;
  const clipValue = input.clipValue ?? PPO_DEFAULTS.clipValue;
  const vfCoef = input.vfCoef ?? PPO_DEFAULTS.vfCoef;
  const ratioThreshold = input.ratioThreshold ?? PPO_DEFAULTS.ratioThreshold;
  const { logProbs, oldLogProbs, advantages, values, oldValues, returns, mask } = input;
  return tf.tidy(() => {
    const vClipped = clipAround(values, oldValues, clipValue);
    const vfLosses1 = tf.square(tf.sub(values, returns));
    const vfLosses2 = tf.square(tf.sub(vClipped, returns));
    let valueLoss = tf.mul(0.5, maskedMeanTf(tf.maximum(vfLosses1, vfLosses2), mask)) as tf.Scalar;
    const valueClipFrac = maskedMeanTf(tf.cast(tf.greater(vfLosses2, vfLosses1), 'float32'), mask);

    const logRatio = tf.sub(logProbs, oldLogProbs);
    const ratio = tf.exp(logRatio);
    const negAdv = tf.neg(advantages);
    const pgLosses = tf.mul(negAdv, ratio);
    const pgLosses2 = tf.mul(negAdv, tf.clipByValue(ratio, 1 - clip, 1 + clip));
    let policyLoss = maskedMeanTf(tf.maximum(pgLosses, pgLosses2), mask);
    const clipFrac = maskedMeanTf(tf.cast(tf.greater(pgLosses2, pgLosses), 'float32'), mask);

    let total = tf.add(policyLoss, tf.mul(vfCoef, valueLoss)) as tf.Scalar;
    const ratioMean = maskedMeanTf(ratio, mask);
    // A host read, but TRL takes `.item()` here too; comparisons cannot sit on the gradient path.
    const skipped = (ratioMean.dataSync()[0] as number) > ratioThreshold;
    if (skipped) {
      policyLoss = tf.mul(policyLoss, 0) as tf.Scalar;
      valueLoss = tf.mul(valueLoss, 0) as tf.Scalar;
      total = tf.mul(total, 0) as tf.Scalar;
    }
    const approxKl = tf.mul(0.5, maskedMeanTf(tf.square(logRatio), mask)) as tf.Scalar;
    const policyKl = maskedMeanTf(tf.neg(logRatio), mask);
    return { total, policyLoss, valueLoss, approxKl, policyKl, clipFrac, valueClipFrac, ratioMean, skipped };
  });
}

export interface GrpoLossInput {
  /** [B, L], on the gradient tape. */
  logProbs: tf.Tensor;
  /** [B, L] at sampling time. */
  oldLogProbs: tf.Tensor;
  /** [B] (one per trajectory, broadcast over its tokens) or [B, L]. */
  advantages: tf.Tensor;
  /** [B, L]. */
  mask: tf.Tensor;
  /** Reference policy (π_base) log-probs, [B, L]; when given, klCoef·KL is added. */
  refLogProbs?: tf.Tensor;
  clip?: number;
  /** β of the KL term (DeepSeekMath / TRL GRPOTrainer's original default 0.04). */
  klCoef?: number;
  /** 'k3' (default) or 'lowVarKl': k3 with verl's clamps (GRPO_LOW_VAR_KL_CLAMP). */
  klEstimator?: 'k3' | 'lowVarKl';
  /** `sequence`: mean over tokens of each sequence, then over sequences (DeepSeekMath); `token`: one mean over all tokens. */
  aggregation?: 'sequence' | 'token';
}

export interface GrpoLosses {
  total: tf.Scalar;
  policyLoss: tf.Scalar;
  /** Mean k3 estimate of KL(π‖π_ref); 0 without a reference. */
  kl: tf.Scalar;
  clipFrac: tf.Scalar;
  ratioMean: tf.Scalar;
}

/**
 * verl's `low_var_kl` (core_algos.kl_penalty): the log-ratio is clamped before exp and the k3
 * estimate after it. A clamped token contributes a constant, so its gradient is zero rather than
 * e^d: a token 10 nats under the reference gives k3 = e¹⁰ − 11 ≈ 2·10⁴ (at rollout temperature 0.3,
 * WebShop seed 1's mean k3 reached 4787 nats per token before its agent collapsed).
 */
export const GRPO_LOW_VAR_KL_CLAMP = { logRatio: 20, estimate: 10 } as const;

/**
 * GRPO: per token −min(ρA, clip(ρ)A) + β·(e^{ref−logπ} − (ref−logπ) − 1), the unbiased, non-negative
 * k3 KL estimator of DeepSeekMath; no value function.
 */
export function grpoLoss(input: GrpoLossInput): GrpoLosses {
  const clip = input.clip ?? PPO_DEFAULTS.clip;
  const klCoef = input.klCoef ?? 0.04;
  const aggregation = input.aggregation ?? 'sequence';
  const { logProbs, oldLogProbs, mask, refLogProbs } = input;
  return tf.tidy(() => {
    const adv = input.advantages.rank === 1 ? tf.reshape(input.advantages, [-1, 1]) : input.advantages; // [B, 1] or [B, L]
    const ratio = tf.exp(tf.sub(logProbs, oldLogProbs));
    const negAdv = tf.neg(adv);
    const pg1 = tf.mul(negAdv, ratio);
    const pg2 = tf.mul(negAdv, tf.clipByValue(ratio, 1 - clip, 1 + clip));
    const pgPerToken = tf.maximum(pg1, pg2); // [B, L]
    const klPerToken = refLogProbs
      ? tf.tidy(() => {
          if (input.klEstimator !== 'lowVarKl') {
            const d = tf.sub(refLogProbs, logProbs);
            return tf.sub(tf.sub(tf.exp(d), d), 1);
          }
          const { logRatio, estimate } = GRPO_LOW_VAR_KL_CLAMP;
          const d = tf.clipByValue(tf.sub(refLogProbs, logProbs), -logRatio, logRatio);
          return tf.clipByValue(tf.sub(tf.sub(tf.exp(d), d), 1), -estimate, estimate);
        })
      : tf.zerosLike(logProbs);
    const perToken = tf.add(pgPerToken, tf.mul(klCoef, klPerToken));
    const aggregate = (x: tf.Tensor): tf.Scalar =>
      aggregation === 'token'
        ? maskedMeanTf(x, mask)
        : // Σ_t x·m / max(Σ_t m, 1) per sequence, then the mean over sequences.
          (tf.mean(tf.div(tf.sum(tf.mul(x, mask), 1), tf.maximum(tf.sum(mask, 1), 1))) as tf.Scalar);
    return {
      total: aggregate(perToken),
      policyLoss: aggregate(pgPerToken),
      kl: aggregate(klPerToken),
      clipFrac: maskedMeanTf(tf.cast(tf.greater(pg2, pg1), 'float32'), mask),
      ratioMean: maskedMeanTf(ratio, mask),
    };
  });
}

/**
 * Σ_t c_t per trajectory: [N] step scalars → [B] predictions. A constant one-hot [B, N] times
 * the broadcast row, summed over N: mul and sum have gradients on wasm, where
 * unsortedSegmentSum/gather have none.
 */
export function trajectorySums(stepScalars: tf.Tensor, segmentIds: readonly number[], numTrajectories: number): tf.Tensor1D {
  const n = segmentIds.length;
  if (stepScalars.size !== n) throw new Error(`trajectorySums: ${stepScalars.size} step scalars but ${n} segment ids`);
  const oneHot = new Float32Array(numTrajectories * n);
  segmentIds.forEach((b, t) => {
    if (!Number.isInteger(b) || b < 0 || b >= numTrajectories) throw new Error(`trajectorySums: segment id ${b} outside [0, ${numTrajectories})`);
    oneHot[b * n + t] = 1;
  });
  return tf.tidy(() => {
    const selector = tf.tensor2d(oneHot, [numTrajectories, n]); // [B, N]
    const row = tf.reshape(stepScalars, [1, n]); // [1, N]
    return tf.sum(tf.mul(selector, row), 1) as tf.Tensor1D; // [B]
  });
}

/** L_PE = mean_b (Σ_{t∈b} c_t − R_b)² (nn.MSELoss over the batch of trajectories). */
export function progressEstimatorLoss(
  stepScalars: tf.Tensor,
  segmentIds: readonly number[],
  finalRewards: tf.Tensor | readonly number[],
): tf.Scalar {
  return tf.tidy(() => {
    const target = finalRewards instanceof tf.Tensor ? tf.reshape(finalRewards, [-1]) : tf.tensor1d([...finalRewards]); // [B]
    const predictions = trajectorySums(stepScalars, segmentIds, target.shape[0] as number); // [B]
    return tf.mean(tf.square(tf.sub(predictions, target))) as tf.Scalar;
  });
}

/** The PE script's `compute_metrics`: MSE, MAE and the share with |ŷ − R| ≤ 0.1. */
export function peMetrics(predictions: readonly number[], targets: readonly number[]): { mse: number; mae: number; accuracy: number } {
  if (predictions.length !== targets.length || predictions.length === 0) throw new Error('peMetrics: need matching, non-empty arrays');
  const errs = predictions.map((p, i) => p - (targets[i] as number));
  const n = errs.length;
  return {
    mse: errs.reduce((a, e) => a + e * e, 0) / n,
    mae: errs.reduce((a, e) => a + Math.abs(e), 0) / n,
    accuracy: errs.filter((e) => Math.abs(e) <= 0.1).length / n,
  };
}

/**
 * 1 − Var(target − pred) / Var(target) over the masked entries (population variances, as
 * CleanRL's `explained_variance`); NaN when the targets have no variance.
 */
export function explainedVariance(pred: readonly number[], target: readonly number[], mask?: readonly number[]): number {
  if (pred.length !== target.length) throw new Error('explainedVariance: length mismatch');
  const keep = (i: number): boolean => !mask || mask[i] !== 0;
  const ys = target.filter((_, i) => keep(i));
  const rs = target.map((y, i) => y - (pred[i] as number)).filter((_, i) => keep(i));
  const variance = (xs: number[]): number => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
  };
  const varY = variance(ys);
  return varY === 0 || ys.length === 0 ? Number.NaN : 1 - variance(rs) / varY;
}
