/**
 * Stage "explore" (method doc §3.2): the SFT policy plays K rollouts of each exploration task
 * at temperature 1; successes and failures are all kept (the estimator needs both). Rollout k
 * of every task is played as one batch, and the stage resumes at the first k not yet written.
 * An episode whose environment throws is logged (with its stack) and left out, counted in
 * `charts/env_errors`; the stage fails once more than the allowed share of its episodes did.
 */
import type { RunTrajectory } from '../../../common/run-schema';
import { describeEnvError, EnvErrorBudget } from '../../../envs/core/rollout';
import { envFaultLimits, playEpisodes } from '../evaluate';
import { join } from 'node:path';
import { explorationRange, rangeTaskIds } from '../task-ranges';
import { loadModel, readRecords, releaseModel, rolloutMetrics } from './shared';
import { STAGE_METRICS, type StageIo } from './stage-io';

export async function runExploreStage(io: StageIo): Promise<void> {
  const c = io.job.config;
  const policy = await loadModel(io.job.inputs.sft as string);
  const K = c.explore.rolloutsPerTask;
  // Each k is its own update, so a resume drops a half-written k and replays it exactly. A k is
  // done once its metric record (written after its trajectories) is in the stage's log.
  const records = readRecords<{ step: number; 'charts/env_errors'?: number }>(join(io.job.outDir, STAGE_METRICS));
  const done = new Set(records.map((r) => r.step));
  let firstK = 0;
  while (done.has(firstK + 1)) firstK++;
  io.begin(firstK);
  const tasks = rangeTaskIds(c.env, explorationRange(c));
  const limits = envFaultLimits(c);
  const earlierErrors = records.filter((r) => r.step <= firstK).reduce((a, r) => a + (r['charts/env_errors'] ?? 0), 0);
  const budget = new EnvErrorBudget(tasks.length * K, limits.maxErrorRate, earlierErrors);
  const all: RunTrajectory[] = [];
  try {
    for (let k = firstK; k < K && !io.cancelled; k++) {
      const played = playEpisodes(policy.model, policy.tok, c.env, tasks, {
        layout: c.prompt.layout,
        maxNewTokens: c.prompt.maxNewTokens,
        greedy: false,
        temperature: c.explore.temperature,
        seed: c.seed * 1000 + k,
        policyName: `explore-k${k}`,
        stepTimeoutMs: limits.stepTimeoutMs,
      });
      for (const e of played.errors) {
        io.log(describeEnvError(e));
        budget.record(e);
      }
      const trajs = played.trajectories.flatMap((t) => (t ? [{ ...t, id: `${t.taskId}#explore#k${k}` }] : []));
      all.push(...trajs);
      io.trajectories(k + 1, 'explore', trajs);
      io.metric(k + 1, { ...rolloutMetrics(trajs, 'explore'), 'charts/env_errors': played.errors.length });
      io.progress(k + 1, K);
    }
    io.log(`explored ${tasks.length} tasks × ${K} rollouts (${all.filter((t) => t.success).length}/${all.length} successful in this attempt)`);
  } finally {
    releaseModel(policy);
  }
}
