/**
 * Synthetic run data, deterministic in its index: trajectories shaped like the engine's (every
 * step has oracle progress and an estimator contribution, so Replay draws the c_t bars and
 * Σc_t against R) and metric records. Used by `spa bench studio` and by the tests' fake
 * launcher (test/helpers/fake-launcher.ts re-exports `syntheticTrajectory`).
 */
import { TRAJECTORY_SCHEMA } from '../../../common/trajectory';
import type { MetricRecord, RunTrajectory } from '../../../common/run-schema';

export interface SyntheticTrajectoryOptions {
  /** Number of steps; default 2 + n % 4 (2 to 5). */
  steps?: number;
  update?: number;
  stage?: string;
  env?: RunTrajectory['env'];
}

const TASK_TYPES = ['pick', 'clean', 'heat'] as const;

/** Rounded to 3 decimals, like a score written by the estimator. */
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Trajectory number `n`: two in three succeed; step 1 (and every 7th after it) is an invalid
 * action; contributions add up to roughly the final reward, with some steps credited negatively.
 */
export function syntheticTrajectory(n: number, opts: SyntheticTrajectoryOptions = {}): RunTrajectory {
  const env = opts.env ?? 'alfworld';
  const success = n % 3 !== 0;
  const steps = opts.steps ?? 2 + (n % 4);
  const taskType = TASK_TYPES[n % 3] as string;
  const finalReward = success ? 1 : 0;
  return {
    schema: TRAJECTORY_SCHEMA,
    id: `traj-${n}`,
    env,
    split: n % 5 === 0 ? 'seen' : 'train',
    taskId: `${env}/v1/train/${n}`,
    taskType,
    goal: `${taskType} the ${n % 2 ? 'apple' : 'mug'} number ${n}`,
    policy: 'fake',
    seed: n,
    initialObservation: `You are in a room. Your task is to: ${taskType} something.`,
    steps: Array.from({ length: steps }, (_, i) => {
      const valid = i % 7 !== 1;
      return {
        text: `Thought: step ${i}.\nAction: go to place ${i}`,
        thought: `step ${i}.`,
        action: `go to place ${i}`,
        observation: valid ? `Observation: You arrive at place ${i}.` : 'Observation: Nothing happens.',
        valid,
        reward: i === steps - 1 && success ? 1 : 0,
        progress: (i + 1) / steps,
        contribution: valid ? round3((success ? 1 : 0.2) / steps + (((i * 7 + n) % 5) - 2) * 0.02) : -0.05,
      };
    }),
    finalReward,
    success,
    terminated: success,
    truncated: !success,
    ackContribution: 0.05,
    ...(opts.update !== undefined ? { update: opts.update } : {}),
    ...(opts.stage !== undefined ? { stage: opts.stage } : {}),
  };
}

/** The one metric the chart benchmark draws. */
export const SYNTHETIC_METRIC = 'charts/episodic_return';

/** Metric record of update `step`: a slow wave with deterministic noise, 50 ms apart. */
export function syntheticMetricRecord(step: number): MetricRecord {
  return { step, [SYNTHETIC_METRIC]: round3(Math.sin(step / 5000) + ((step * 7919) % 101) / 300), t: 1_700_000_000_000 + step * 50 };
}
