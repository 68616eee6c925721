/**
 * Stage "eval" (method doc §3.9, §5): greedy decoding on the seen and unseen test tasks.
 * Success rate, grounding accuracy (share of valid actions), average final reward and mean
 * steps, overall and per task type. When the run has a progress estimator, it also scores the
 * test trajectories, which nobody trained on: its attribution quality against the oracle
 * progress there is the honest number. An episode whose environment throws is logged (with its
 * stack) and left out of the figures, counted in `charts/env_errors`; the stage fails once more
 * than the allowed share of its episodes did.
 */
import type { Trajectory } from '../../../common/trajectory';
import { describeEnvError, EnvErrorBudget } from '../../../envs/core/rollout';
import { envFaultLimits, playEpisodes } from '../evaluate';
import { scoreAndFuse } from '../fusion';
import { ProgressEstimator } from '../progress';
import { attributionMetrics } from '../../../common/attribution';
import { evaluationRange, rangeTaskIds } from '../task-ranges';
import { loadModel, releaseModel, rolloutMetrics, viewOptions, type LoadedModel } from './shared';
import type { StageIo } from './stage-io';

export function evalMetrics(trajs: readonly Trajectory[], suffix: string): Record<string, number> {
  const m = rolloutMetrics(trajs, 'eval');
  const out: Record<string, number> = {
    [`eval/success_rate${suffix}`]: m['eval/success_rate'] as number,
    [`eval/grounding_accuracy${suffix}`]: m['eval/grounding_accuracy'] as number,
    [`eval/avg_reward${suffix}`]: m['eval/episodic_return'] as number,
    [`eval/mean_steps${suffix}`]: m['eval/episode_length'] as number,
  };
  for (const type of [...new Set(trajs.map((t) => t.taskType))].sort()) {
    const mine = trajs.filter((t) => t.taskType === type);
    out[`eval/success_rate${suffix}/${type}`] = mine.filter((t) => t.success).length / mine.length;
  }
  return out;
}

export async function runEvalStage(io: StageIo): Promise<Record<string, number>> {
  const c = io.job.config;
  io.begin(0);
  const policy = await loadModel(io.job.inputs.policy as string);
  let estimator: LoadedModel | null = null;
  try {
    if (io.job.inputs.estimator) estimator = await loadModel(io.job.inputs.estimator, 'progress');
    const pe = estimator?.head ? new ProgressEstimator(estimator.model, estimator.head) : null;
    const metrics: Record<string, number> = {};
    const all: Trajectory[] = [];
    const splits = (['seen', 'unseen'] as const).map((split) => evaluationRange(c, split));
    const limits = envFaultLimits(c);
    const budget = new EnvErrorBudget(splits.reduce((n, r) => n + r.count, 0), limits.maxErrorRate);
    for (const [i, range] of splits.entries()) {
      if (io.cancelled) break;
      const split = range.split;
      const played = playEpisodes(policy.model, policy.tok, c.env, rangeTaskIds(c.env, range), {
        layout: c.prompt.layout,
        maxNewTokens: c.prompt.maxNewTokens,
        greedy: true,
        seed: 0,
        policyName: `${c.method}-eval`,
        stepTimeoutMs: limits.stepTimeoutMs,
      });
      for (const e of played.errors) {
        io.log(describeEnvError(e));
        budget.record(e);
      }
      let trajs = played.trajectories.flatMap((t) => (t ? [{ ...t, id: `${t.taskId}#eval` }] : []));
      if (pe && trajs.length) trajs = scoreAndFuse(pe, policy.tok, trajs, viewOptions(c), { alpha: c.reward.alpha, beta: c.reward.beta, stepValueSource: 'pe' }).trajectories;
      io.trajectories(1, `eval-${split}`, trajs);
      Object.assign(metrics, evalMetrics(trajs, `_${split}`));
      all.push(...trajs);
      io.progress(i + 1, splits.length);
    }
    Object.assign(metrics, evalMetrics(all, ''));
    const quality = attributionMetrics(all);
    if (quality) {
      metrics['eval/progress_mse'] = quality['progress/mse'];
      metrics['eval/progress_oracle_corr'] = quality['progress/oracle_corr'];
    }
    io.metric(1, { ...metrics, 'charts/env_errors': budget.errors });
    io.log(
      `eval: success seen ${pct(metrics['eval/success_rate_seen'])}, unseen ${pct(metrics['eval/success_rate_unseen'])}; grounding ${pct(metrics['eval/grounding_accuracy'])}`,
    );
    return metrics;
  } finally {
    releaseModel(policy);
    if (estimator) releaseModel(estimator);
  }
}

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
