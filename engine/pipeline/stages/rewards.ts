/**
 * Step rewards per method, for a batch of rollouts (method doc §3.6 and the baselines):
 *   spa, spa-no-grounding  r_t = α·c_t + β·g_t with c_t from the progress estimator (β = 0 for no-grounding)
 *   spa-loo                v_t = R_i − mean(R_k, k ≠ i, same task) (the released code's value), fused with β·g_t
 *   spa-no-progress        the progress term replaced by the outcome: R on the last step, plus β·g_t
 *   ppo                    sparse: R on the last step, 0 elsewhere (no grounding term)
 * "OK" is step 0 when the layout scores it (full layout, includeAckStep).
 */
import type { RunConfig } from '../../../common/run-config';
import type { Trajectory } from '../../../common/trajectory';
import { fusedStepRewards, grounding, outcomeStepRewards } from '../../algo/reward-fusion';
import type { Tokenizer } from '../../tokenizer';
import { scoreAndFuse, type ScoredBatch } from '../fusion';
import type { ProgressEstimator } from '../progress';
import { viewOptions } from './shared';

/**
 * `pe` scores the batch now (online); null with an estimator method fuses the c_t already
 * stored on the steps (offline: the estimator stage scored the exploration set).
 */
export function stepRewardsFor(c: RunConfig, pe: { estimator: ProgressEstimator; tok: Tokenizer } | null, trajs: readonly Trajectory[]): ScoredBatch {
  const view = viewOptions(c);
  const { alpha, beta } = c.reward;
  switch (c.method) {
    case 'spa':
    case 'spa-no-grounding': {
      if (pe) return scoreAndFuse(pe.estimator, pe.tok, trajs, view, { alpha, beta, stepValueSource: c.reward.stepValueSource });
      const stepRewards = fusedStepRewards(
        trajs.map((t) => {
          if (t.steps.some((s) => s.contribution === undefined)) throw new Error(`trajectory ${t.id} has no stored contributions`);
          return { ...t, contributions: [...(view.includeAckStep ? [t.ackContribution ?? 0] : []), ...t.steps.map((s) => s.contribution as number)] };
        }),
        { alpha, beta, stepValueSource: c.reward.stepValueSource, includeAckStep: view.includeAckStep },
      );
      return withFused(trajs, stepRewards, view.includeAckStep);
    }
    case 'spa-loo':
      return withFused(trajs, fusedStepRewards(trajs, { alpha, beta, stepValueSource: 'looNormalisedFinal', includeAckStep: view.includeAckStep }), view.includeAckStep);
    case 'spa-no-progress':
    case 'ppo': {
      const withGrounding = c.method === 'spa-no-progress';
      const stepRewards = trajs.map((t) => {
        const g = grounding(t, { includeAckStep: view.includeAckStep });
        const outcome = outcomeStepRewards(g.length, t.finalReward);
        return outcome.map((r, j) => r + (withGrounding ? beta * (g[j] as number) : 0));
      });
      return withFused(trajs, stepRewards, view.includeAckStep);
    }
    default:
      throw new Error(`method ${c.method} has no step rewards (it does not run PPO)`);
  }
}

/** Stores r_t on each step (the "OK" step's reward, when scored, has no step record). */
function withFused(trajs: readonly Trajectory[], stepRewards: number[][], includeAckStep: boolean): ScoredBatch {
  const offset = includeAckStep ? 1 : 0;
  const trajectories = trajs.map((t, i) => ({ ...t, steps: t.steps.map((s, j) => ({ ...s, fusedReward: (stepRewards[i] as number[])[j + offset] as number })) }));
  return { trajectories, stepRewards };
}
