/**
 * Step rewards r_t = α·v_t + β·g_t (method doc 3.6, invariant 4). v_t is the progress
 * estimator's c_t (the method) or the released code's leave-one-out-centred final reward;
 * g_t is grounding, 1 when action t was accepted, with the last step forced to 1.
 * Plain numbers only: the pipeline runs this between PE inference and PPO.
 */
import { METHOD_DEFAULTS, type GroundingSource, type StepValueSource } from './flags';

/** The code's check is a substring match without the full stop (`'Nothing happens' not in human_{j+1}`). */
export const INVALID_ACTION_MARKER = 'Nothing happens';

/** What grounding needs from a trajectory (a structural subset of common/trajectory's `Trajectory`). */
export interface GroundingInput {
  /** The task message: the user turn that answers the "OK" step. */
  readonly initialObservation: string;
  readonly steps: readonly { readonly valid: boolean; readonly observation: string }[];
}

export interface GroundingOptions {
  /** `valid`: the environment's flag (format errors count as invalid); `observation`: code parity. */
  source?: GroundingSource;
  /** Prepend the "OK" acknowledgement as step 0, answered by the task message. */
  includeAckStep?: boolean;
}

/**
 * g_t ∈ {0,1} per step; the last step is always 1. With `includeAckStep` the result has
 * `steps.length + 1` entries and entry 0 is the "OK" turn (the code always gives it 1 because
 * the task message never says "Nothing happens").
 */
export function grounding(traj: GroundingInput, options: GroundingOptions = {}): number[] {
  const source = options.source ?? METHOD_DEFAULTS.groundingSource;
  const includeAck = options.includeAckStep ?? METHOD_DEFAULTS.includeAckStep;
  const accepted = traj.steps.map((s) =>
    source === 'valid' ? s.valid : !s.observation.includes(INVALID_ACTION_MARKER),
  );
  if (includeAck) {
    const ackAccepted = source === 'valid' ? true : !traj.initialObservation.includes(INVALID_ACTION_MARKER);
    accepted.unshift(ackAccepted);
  }
  const g = accepted.map((ok) => (ok ? 1 : 0));
  // The last action has no successor turn in the data, so the code scores it as grounded.
  if (g.length > 0) g[g.length - 1] = 1;
  return g;
}

export interface FusionWeights {
  /** Progress weight α (default 1; 0 = "no progress" ablation). */
  alpha?: number;
  /** Grounding weight β (default 0.5; 0 = "no grounding" ablation). */
  beta?: number;
}

/** r_t = α·v_t + β·g_t, elementwise. */
export function fuseRewards(v: readonly number[], g: readonly number[], weights: FusionWeights = {}): number[] {
  if (v.length !== g.length) throw new Error(`fuseRewards: ${v.length} step values but ${g.length} grounding values`);
  const alpha = weights.alpha ?? METHOD_DEFAULTS.alpha;
  const beta = weights.beta ?? METHOD_DEFAULTS.beta;
  return v.map((vt, t) => alpha * vt + beta * (g[t] as number));
}

/**
 * The released code's step value (rl_data_org.py at ed20087): v_i = R_i − mean(R_k, k ≠ i, same task),
 * the same for every step of trajectory i; a task with a single rollout gives v_i = R_i.
 */
export function looNormalisedFinal(rollouts: readonly { readonly taskId: string; readonly finalReward: number }[]): number[] {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of rollouts) {
    const s = sums.get(r.taskId) ?? { sum: 0, n: 0 };
    s.sum += r.finalReward;
    s.n += 1;
    sums.set(r.taskId, s);
  }
  return rollouts.map((r) => {
    const s = sums.get(r.taskId) as { sum: number; n: number };
    if (s.n === 1) return r.finalReward;
    return r.finalReward - (s.sum - r.finalReward) / (s.n - 1);
  });
}

/** The "final reward only" baseline (sparse PPO): R on the last step, 0 elsewhere. */
export function outcomeStepRewards(numSteps: number, finalReward: number): number[] {
  return Array.from({ length: numSteps }, (_, t) => (t === numSteps - 1 ? finalReward : 0));
}

/** One trajectory as the fusion step sees it. */
export interface FusionTrajectory extends GroundingInput {
  readonly taskId: string;
  readonly finalReward: number;
  /**
   * The PE's c_t, one per step, the "OK" step first when `includeAckStep`. Required for
   * `stepValueSource: 'pe'` (StepRecord.contribution has no slot for the "OK" step).
   */
  readonly contributions?: readonly number[];
}

export interface StepRewardOptions extends FusionWeights {
  stepValueSource?: StepValueSource;
  groundingSource?: GroundingSource;
  includeAckStep?: boolean;
}

/**
 * Fused step rewards for a batch of trajectories (LOO needs the whole batch to see each task's
 * rollouts). Throws when a trajectory's PE values do not cover its steps; the code skips such
 * trajectories (`len(turn_values) ≠ T`), so the caller should filter them first.
 */
export function fusedStepRewards(trajs: readonly FusionTrajectory[], options: StepRewardOptions = {}): number[][] {
  const source = options.stepValueSource ?? METHOD_DEFAULTS.stepValueSource;
  const includeAck = options.includeAckStep ?? METHOD_DEFAULTS.includeAckStep;
  const loo = source === 'looNormalisedFinal' ? looNormalisedFinal(trajs) : null;
  return trajs.map((traj, i) => {
    const g = grounding(traj, { source: options.groundingSource, includeAckStep: includeAck });
    let v: readonly number[];
    if (loo) {
      v = g.map(() => loo[i] as number);
    } else {
      if (!traj.contributions || traj.contributions.length !== g.length) {
        throw new Error(
          `fusedStepRewards: trajectory ${i} (${traj.taskId}) has ${traj.contributions?.length ?? 0} PE values for ${g.length} steps`,
        );
      }
      v = traj.contributions;
    }
    return fuseRewards(v, g, options);
  });
}
