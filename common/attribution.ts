/**
 * How well a progress estimator's contributions c_t explain a set of scored trajectories. Pure
 * arithmetic shared by the engine (the metrics a run logs) and the report (what it reads back
 * from evaluation episodes).
 */
import type { Trajectory } from './trajectory';

/** Pearson correlation; 0 when either side is constant. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return 0;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

type Scorable = Pick<Trajectory, 'steps' | 'finalReward' | 'ackContribution'>;

/** The trajectories whose every step has a contribution. */
const scoredOnly = <T extends Scorable>(trajs: readonly T[]): T[] => trajs.filter((t) => t.steps.length && t.steps.every((s) => s.contribution !== undefined));

/** Σ_t c_t, including the acknowledgement turn's c_0 when it was scored. */
const contributionSum = (t: Scorable): number => t.steps.reduce((a, s) => a + (s.contribution as number), t.ackContribution ?? 0);

/**
 * How well the estimator attributes: MSE of Σ_t c_t against R, and the correlation of c_t with
 * the environment's oracle progress increments Δp_t = p_t − p_{t−1} over every scored step.
 */
export function attributionMetrics(trajs: readonly Scorable[]): { 'progress/mse': number; 'progress/oracle_corr': number } | null {
  const scored = scoredOnly(trajs);
  if (!scored.length) return null;
  const c: number[] = [];
  const dp: number[] = [];
  let se = 0;
  for (const t of scored) {
    let prev = 0;
    for (const s of t.steps) {
      c.push(s.contribution as number);
      dp.push(s.progress - prev);
      prev = s.progress;
    }
    se += (contributionSum(t) - t.finalReward) ** 2;
  }
  return { 'progress/mse': se / scored.length, 'progress/oracle_corr': pearson(c, dp) };
}

/** Mean R²: the MSE(Σ c_t, R) of an estimator that predicts 0 everywhere (the success rate only when R is 0/1); null for none. */
export function meanSquaredReward(trajs: readonly Pick<Trajectory, 'finalReward'>[]): number | null {
  if (!trajs.length) return null;
  return trajs.reduce((a, t) => a + t.finalReward ** 2, 0) / trajs.length;
}

/**
 * Where MSE(Σ c_t, R) comes from: a shared offset of the sums (bias, mean Σc − mean R) or a poor
 * ranking of outcomes (the correlation of Σc with R). An estimator that ranks well but is offset
 * still adds a per-step constant to SPA's reward, which tilts PPO toward longer or shorter episodes.
 */
export function sumFit(trajs: readonly Scorable[]): { bias: number; sumCorr: number; n: number } | null {
  const scored = scoredOnly(trajs);
  if (!scored.length) return null;
  const sums = scored.map(contributionSum);
  const rewards = scored.map((t) => t.finalReward);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { bias: mean(sums) - mean(rewards), sumCorr: pearson(sums, rewards), n: scored.length };
}
