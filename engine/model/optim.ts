/**
 * Optimizer helpers TF.js lacks: clipping a gradient map by its global norm (PyTorch's
 * clip_grad_norm_, DeepSpeed's gradient_clipping) and the DeepSpeed WarmupLR schedule the
 * SPA-RL progress estimator trains with (method doc §3.4).
 */
import * as tf from '@tensorflow/tfjs';

/** The global L2 norm of a gradient map. */
export function globalNorm(grads: tf.NamedTensorMap): number {
  const sq = tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const v = sq.dataSync()[0] as number;
  sq.dispose();
  return Math.sqrt(v);
}

/**
 * Scales every gradient by min(1, maxNorm / ‖g‖) (the same factor for all, so the direction
 * is kept). Returns new tensors (the caller disposes both maps) and the norm before clipping.
 * Without a maxNorm (null or undefined: no clipping) it returns the map itself, and its norm.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number | null | undefined): { grads: tf.NamedTensorMap; norm: number } {
  const norm = globalNorm(grads);
  if (!maxNorm) return { grads, norm };
  const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  const clipped = tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, scale === 1 ? tf.clone(g) : tf.mul(g, scale)])));
  return { grads: clipped, norm };
}

/**
 * DeepSpeed WarmupLR with its default log shape: the learning-rate factor at 1-based update
 * `update` rises as log(update + 1) / log(warmupUpdates + 1) to 1, then stays there.
 */
export function logWarmupFactor(update: number, warmupUpdates: number): number {
  if (warmupUpdates <= 0 || update >= warmupUpdates) return 1;
  return Math.log(update + 1) / Math.log(warmupUpdates + 1);
}

/**
 * The log-shaped warm-up above, then half a cosine from the full rate toward 0 at update
 * `totalUpdates` (1-based, as `logWarmupFactor`). Ending near 0 makes the trained model an
 * average-like final iterate instead of whatever the last updates at the peak rate left: the
 * progress estimator's sums Σc_t move coherently with every update, so a peak-rate ending leaves
 * them offset from R.
 */
export function logWarmupCosineFactor(update: number, warmupUpdates: number, totalUpdates: number): number {
  if (update <= warmupUpdates) return logWarmupFactor(update, warmupUpdates);
  const progress = (update - 1 - warmupUpdates) / Math.max(1, totalUpdates - warmupUpdates);
  return 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, progress))));
}

/**
 * Hugging Face's cosine schedule with linear warm-up (get_cosine_schedule_with_warmup), the
 * SFT recipe of the code (method doc §3.2: cosine, warmup_ratio 0.03): the factor for the
 * update after `done` updates of `total` rises linearly over the first ⌈ratio · total⌉, then
 * follows half a cosine to 0 at `total`.
 */
export function cosineWarmupFactor(done: number, total: number, warmupRatio: number): number {
  const warmup = Math.ceil(warmupRatio * total);
  if (done < warmup) return done / warmup;
  const progress = (done - warmup) / Math.max(1, total - warmup);
  return 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}

/** Sets an optimizer's learning rate for its next update (TF.js reads it on every applyGradients). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}
