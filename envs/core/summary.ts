import type { Trajectory } from '../../common/trajectory';

/** The per-policy figures reported by `spa envs check` and evaluations. */
export interface EpisodeSummary {
  episodes: number;
  successRate: number;
  meanReward: number;
  meanSteps: number;
  /** Share of steps whose action was executable (grounding accuracy). */
  validity: number;
}

export function summarize(trajectories: readonly Trajectory[]): EpisodeSummary {
  let success = 0;
  let reward = 0;
  let steps = 0;
  let valid = 0;
  for (const t of trajectories) {
    if (t.success) success++;
    reward += t.finalReward;
    steps += t.steps.length;
    for (const s of t.steps) if (s.valid) valid++;
  }
  const n = trajectories.length;
  return {
    episodes: n,
    successRate: n ? success / n : 0,
    meanReward: n ? reward / n : 0,
    meanSteps: n ? steps / n : 0,
    validity: steps ? valid / steps : 0,
  };
}
