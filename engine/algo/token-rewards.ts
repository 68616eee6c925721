/**
 * Per-token PPO rewards (StepTool's `StepPPOTrainer.compute_rewards`, method doc 3.7):
 * reward[p] = −β·kl[p] on action tokens, plus step j's reward at the position that closes
 * step j's action, optionally weighted by (T−1−j). Positions follow TRL's shift: position p
 * holds log π(x_{p+1} | x_{≤p}), so `mask[p] = 1` when token p+1 is an action token.
 */
import { METHOD_DEFAULTS, type StepRewardMultiplier } from './flags';

/** A contiguous run of action positions: one agent step. `end` is inclusive. */
export interface Segment {
  start: number;
  end: number;
}

/** Contiguous runs of mask = 1, in order. The code's step boundaries are exactly these runs. */
export function maskSegments(mask: readonly number[]): Segment[] {
  const out: Segment[] = [];
  let start = -1;
  mask.forEach((m, p) => {
    if (m !== 0 && start < 0) start = p;
    if (m === 0 && start >= 0) {
      out.push({ start, end: p - 1 });
      start = -1;
    }
  });
  if (start >= 0) out.push({ start, end: mask.length - 1 });
  return out;
}

/** The closing position of each step: the last position of each mask run. */
export function stepEndPositions(mask: readonly number[]): number[] {
  return maskSegments(mask).map((s) => s.end);
}

/** TRL's `_kl_penalty`: `kl` = logπ − logπ_ref (the default; may be negative), `abs`, `mse` = ½(…)². */
export type KlPenaltyKind = 'kl' | 'abs' | 'mse';

export function klPenalty(logProbs: readonly number[], refLogProbs: readonly number[], kind: KlPenaltyKind = 'kl'): number[] {
  if (logProbs.length !== refLogProbs.length) throw new Error('klPenalty: length mismatch');
  return logProbs.map((lp, p) => {
    const d = lp - (refLogProbs[p] as number);
    return kind === 'kl' ? d : kind === 'abs' ? Math.abs(d) : 0.5 * d * d;
  });
}

/** Step j's weight: 1, or StepTool's (T−1−j) (last step dropped, the "OK" step weighted most). */
export function stepMultiplier(j: number, numSteps: number, multiplier: StepRewardMultiplier): number {
  return multiplier === 'stepToolRemainingSteps' ? numSteps - 1 - j : 1;
}

export interface TokenRewardInput {
  /** Per-position KL estimate, [L]. */
  kl: readonly number[];
  /** The current KL coefficient β. */
  klCoef: number;
  /** Closing position of each step still in the sequence, in order (see `stepEndPositions`). */
  stepEnds: readonly number[];
  /** The fused reward of every step of the trajectory, [T]. */
  stepRewards: readonly number[];
  multiplier?: StepRewardMultiplier;
  /**
   * Action positions, [L]. When given, the KL term is zeroed elsewhere; when omitted it is kept
   * everywhere as in TRL, whose GAE then multiplies rewards by the mask anyway.
   */
  mask?: readonly number[];
}

/**
 * reward[p] = −β·kl[p] (on action tokens) and reward[e_j] += r_j·mult_j. When left truncation
 * removed early steps (`stepEnds.length < stepRewards.length`), steps are matched from the end
 * and T stays the full step count, as in the code's backwards walk over mask segments.
 */
export function tokenRewards(input: TokenRewardInput): number[] {
  const { kl, klCoef, stepEnds, stepRewards, mask } = input;
  const multiplier = input.multiplier ?? METHOD_DEFAULTS.stepRewardMultiplier;
  if (mask && mask.length !== kl.length) throw new Error('tokenRewards: mask and kl lengths differ');
  if (stepEnds.length > stepRewards.length) {
    throw new Error(`tokenRewards: ${stepEnds.length} step ends but only ${stepRewards.length} step rewards`);
  }
  const reward = kl.map((k, p) => (mask && mask[p] === 0 ? 0 : -klCoef * k));
  const T = stepRewards.length;
  const offset = T - stepEnds.length;
  stepEnds.forEach((e, i) => {
    if (!Number.isInteger(e) || e < 0 || e >= reward.length) throw new Error(`tokenRewards: step end ${e} outside [0, ${reward.length})`);
    const j = i + offset;
    reward[e] = (reward[e] as number) + (stepRewards[j] as number) * stepMultiplier(j, T, multiplier);
  });
  return reward;
}

/**
 * One reward per step for `gaeGranularity: 'step'`: the step's own reward (weighted as above)
 * plus the KL penalty summed over that step's action positions. Steps are the mask runs,
 * matched to `stepRewards` from the end as in `tokenRewards`.
 */
export function stepLevelRewards(input: {
  kl: readonly number[];
  klCoef: number;
  mask: readonly number[];
  stepRewards: readonly number[];
  multiplier?: StepRewardMultiplier;
}): number[] {
  const { kl, klCoef, mask, stepRewards } = input;
  const multiplier = input.multiplier ?? METHOD_DEFAULTS.stepRewardMultiplier;
  if (mask.length !== kl.length) throw new Error('stepLevelRewards: mask and kl lengths differ');
  const segments = maskSegments(mask);
  const T = stepRewards.length;
  if (segments.length > T) throw new Error(`stepLevelRewards: ${segments.length} mask runs but only ${T} step rewards`);
  const offset = T - segments.length;
  return segments.map((seg, i) => {
    const j = i + offset;
    let r = (stepRewards[j] as number) * stepMultiplier(j, T, multiplier);
    for (let p = seg.start; p <= seg.end; p++) r -= klCoef * (kl[p] as number);
    return r;
  });
}
