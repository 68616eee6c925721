/**
 * Per-step inference and reward fusion (method doc §3.5–3.6): the estimator scores each
 * trajectory's steps (c_t), and r_t = α·c_t + β·g_t becomes the step reward PPO places at
 * each step's closing token. The scored trajectories keep c_t and r_t on their steps, so
 * the studio can show them beside the oracle progress.
 */
import type { Trajectory } from '../../common/trajectory';
import { fusedStepRewards, type StepRewardOptions } from '../algo/reward-fusion';
import type { Tokenizer } from '../tokenizer';
import { peSamples, type PeDataOptions, type ProgressEstimator } from './progress';

export interface ScoredBatch {
  trajectories: Trajectory[];
  /** r_t per trajectory, aligned with the training sequences' step ends (the "OK" step first when scored). */
  stepRewards: number[][];
}

/** Scores and fuses a batch (LOO step values need every rollout of a task in the same batch). */
export function scoreAndFuse(
  pe: ProgressEstimator | null,
  tok: Tokenizer,
  trajectories: readonly Trajectory[],
  data: PeDataOptions,
  reward: Required<Pick<StepRewardOptions, 'alpha' | 'beta' | 'stepValueSource'>>,
): ScoredBatch {
  const includeAckStep = data.includeAckStep && data.layout === 'full'; // the compact layout has no "OK" turn
  const scored =
    reward.stepValueSource === 'pe'
      ? (() => {
          if (!pe) throw new Error('scoreAndFuse: stepValueSource "pe" needs a progress estimator');
          return pe.contributions(peSamples(tok, trajectories, { ...data, includeAckStep }), tok.special.pad);
        })()
      : null;
  const stepRewards = fusedStepRewards(
    trajectories.map((t, i) => {
      const s = scored?.[i];
      return { ...t, contributions: s ? [...(s.ack === null ? [] : [s.ack]), ...s.steps] : undefined };
    }),
    { ...reward, includeAckStep },
  );
  const out = trajectories.map((t, i): Trajectory => {
    const s = scored?.[i];
    const r = stepRewards[i] as number[];
    const offset = includeAckStep ? 1 : 0;
    const result: Trajectory = {
      ...t,
      steps: t.steps.map((step, j) => ({ ...step, ...(s ? { contribution: s.steps[j] as number } : {}), fusedReward: r[j + offset] as number })),
    };
    if (s?.ack !== null && s?.ack !== undefined) result.ackContribution = s.ack;
    return result;
  });
  return { trajectories: out, stepRewards };
}
