/**
 * Stage "rl": PPO (spa, its ablations, sparse-reward ppo) or GRPO, starting from the SFT
 * policy with the SFT model frozen as the KL reference.
 *   online (default)  each iteration plays fresh rollouts of the current policy: batchSize/groupSize
 *                     training tasks × groupSize rollouts at ppo.temperature, scored by the estimator;
 *                     PPO's ratio and KL are taken of that tempered policy (and reference)
 *   offline           the code's mode: PPO over the stored exploration trajectories, in a fixed
 *                     shuffled order, batchSize per iteration
 * One checkpoint per iteration (policy, value head, Adam, KL coefficient, counters): a resume
 * replays the interrupted iteration exactly, since rollouts are seeded by (seed, iteration).
 * Online, an episode whose environment throws is logged (with its stack) and counted in
 * `charts/env_errors`, and its whole group is left out of the batch (no partial trajectory
 * and no partial group is trained on); the stage fails once more than the allowed share of
 * its planned episodes did.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { methodNeedsEstimator } from '../../../common/run-config';
import type { RunTrajectory } from '../../../common/run-schema';
import type { Trajectory } from '../../../common/trajectory';
import { describeEnvError, EnvErrorBudget } from '../../../envs/core/rollout';
import { Rng } from '../../../envs/core/rng';
import { AdaptiveKLController, FixedKLController, type KlController } from '../../algo/kl-controller';
import { loadLatestCheckpoint } from '../../checkpoint';
import { createValueHead } from '../../model/heads';
import { envFaultLimits, playEpisodes } from '../evaluate';
import type { ScoredBatch } from '../fusion';
import { grpoUpdate } from '../grpo';
import { ppoRows, ppoUpdate } from '../ppo';
import { ProgressEstimator } from '../progress';
import { stepRewardsFor } from './rewards';
import { attributionMetrics } from '../../../common/attribution';
import { rangeTaskIds, rlPoolRange } from '../task-ranges';
import { CHECKPOINTS, loadModel, readStageTrajectories, releaseModel, restoreOptimizerFrom, rolloutMetrics, saveModel, viewOptions, type LoadedModel } from './shared';
import type { StageIo } from './stage-io';

interface RlState {
  iteration: number;
  klCoef: number;
  globalStep: number;
  /** Environment errors so far (absent in checkpoints from before it was counted). */
  envErrors?: number;
}

export async function runRlStage(io: StageIo): Promise<void> {
  const c = io.job.config;
  const policyLoaded = await loadModel(io.job.inputs.sft as string);
  const reference = policyLoaded.model.clone();
  const policy = policyLoaded.model;
  const tok = policyLoaded.tok;
  const valueHead = createValueHead(policy.config, { seed: `value#${c.seed}` });
  let estimator: LoadedModel | null = null;
  const optimizer: tf.Optimizer = tf.train.adam(c.ppo.lr);
  const vars = c.method === 'grpo' ? policy.trainableVariables() : [...policy.trainableVariables(), ...valueHead.trainableVariables()];
  let state: RlState = { iteration: 0, klCoef: c.ppo.klInit, globalStep: 0 };
  const latest = await loadLatestCheckpoint(join(io.job.outDir, CHECKPOINTS));
  if (latest.checkpoint) {
    for (const w of latest.warnings) io.log(w);
    const ck = latest.checkpoint;
    for (const [name, v] of [...policy.namedWeights(), ...valueHead.namedWeights()]) v.assign(ck.weights[name] as tf.Tensor);
    await restoreOptimizerFrom(ck, optimizer, vars);
    state = ck.trainerState as RlState;
    tf.dispose(Object.values(ck.weights));
    io.log(`resuming after iteration ${state.iteration}`);
  }
  io.begin(state.iteration);
  const kl: KlController & { value: number } = c.ppo.adaptiveKl ? new AdaptiveKLController(state.klCoef, c.ppo.klTarget, c.ppo.klHorizon) : new FixedKLController(state.klCoef);
  try {
    let pe: ProgressEstimator | null = null;
    if (methodNeedsEstimator(c.method)) {
      estimator = await loadModel(io.job.inputs.estimator as string, 'progress');
      if (!estimator.head) throw new Error('the estimator checkpoint has no progress head');
      pe = new ProgressEstimator(estimator.model, estimator.head);
    }
    const view = viewOptions(c);
    const offline = c.ppo.mode === 'offline' ? offlineData(io, c.method === 'grpo') : null;
    const pool = rangeTaskIds(c.env, rlPoolRange(c));
    const groups = c.ppo.batchSize / c.grpo.groupSize;
    const limits = envFaultLimits(c);
    const budget = new EnvErrorBudget(c.ppo.iterations * c.ppo.batchSize, limits.maxErrorRate, state.envErrors ?? 0);
    for (let it = state.iteration; it < c.ppo.iterations && !io.cancelled; it++) {
      const started = performance.now();
      let trajs: Trajectory[];
      let envErrors = 0;
      if (offline) {
        trajs = offline.batch(it, c.ppo.batchSize, c.seed);
      } else {
        const rng = new Rng(`rl-tasks#${c.seed}#${it}`);
        const chosen = rng.shuffle([...pool]).slice(0, groups);
        const tasks = chosen.flatMap((t) => Array.from({ length: c.grpo.groupSize }, () => t));
        const played = playEpisodes(policy, tok, c.env, tasks, {
          layout: c.prompt.layout,
          maxNewTokens: c.prompt.maxNewTokens,
          greedy: false,
          temperature: c.ppo.temperature,
          seed: c.seed * 100_000 + it,
          policyName: `${c.method}-it${it + 1}`,
          stepTimeoutMs: limits.stepTimeoutMs,
        });
        for (const e of played.errors) {
          io.log(describeEnvError(e));
          budget.record(e);
        }
        envErrors = played.errors.length;
        // A group with a failed episode is dropped whole: group baselines (GRPO, LOO) need all of it.
        const failedGroups = new Set(played.errors.map((e) => Math.floor(e.episode / c.grpo.groupSize)));
        trajs = played.trajectories.flatMap((t, i) => (t && !failedGroups.has(Math.floor(i / c.grpo.groupSize)) ? [{ ...t, id: `${t.taskId}#it${it + 1}#g${i % c.grpo.groupSize}` }] : []));
        if (failedGroups.size) io.log(`iteration ${it + 1}: ${failedGroups.size} of ${groups} groups left out after environment errors`);
      }
      const envSteps = trajs.reduce((a, t) => a + t.steps.length, 0);
      const rolloutSeconds = (performance.now() - started) / 1000;
      let losses: Record<string, number> = {};
      let scoredTrajs: Trajectory[] = trajs;
      let extra: Record<string, number> = {};
      if (!trajs.length) {
        io.log(`iteration ${it + 1}: no usable rollouts (every group hit an environment error); no update`);
      } else if (c.method === 'grpo') {
        losses = { ...grpoUpdate(policy, reference, optimizer, tok, trajs, { ...view, epochs: c.ppo.epochs, miniBatchSize: c.ppo.miniBatchSize, miniBatchUnit: c.ppo.miniBatchUnit, clip: c.ppo.clip, klCoef: kl.value, klEstimator: c.grpo.klEstimator, maxGradNorm: c.grpo.maxGradNorm, seed: c.seed * 1000 + it, temperature: c.ppo.temperature }) };
      } else {
        const scored: ScoredBatch = offline?.scored(trajs) ?? stepRewardsFor(c, pe ? { estimator: pe, tok } : null, trajs);
        scoredTrajs = scored.trajectories;
        const rows = ppoRows(tok, scored, { ...view, multiplier: c.reward.stepRewardMultiplier });
        losses = { ...ppoUpdate(policy, valueHead, reference, optimizer, kl, tok, rows, { epochs: c.ppo.epochs, miniBatchSize: c.ppo.miniBatchSize, miniBatchUnit: c.ppo.miniBatchUnit, clip: c.ppo.clip, clipValue: c.ppo.clipValue, vfCoef: c.ppo.vfCoef, gamma: c.ppo.gamma, lambda: c.ppo.lambda, seed: c.seed * 1000 + it, gaeGranularity: c.ppo.gaeGranularity, temperature: c.ppo.temperature }) };
        const sums = scored.stepRewards.map((r) => r.reduce((a, b) => a + b, 0));
        extra = { 'charts/fused_return': sums.reduce((a, b) => a + b, 0) / Math.max(sums.length, 1), ...(attributionMetrics(scoredTrajs) ?? {}) };
      }
      state = { iteration: it + 1, klCoef: kl.value, globalStep: state.globalStep + envSteps, envErrors: budget.errors };
      io.trajectories(it + 1, 'train', scoredTrajs as RunTrajectory[]);
      io.metric(it + 1, {
        ...rolloutMetrics(trajs),
        ...extra,
        ...losses,
        ...(offline ? {} : { 'charts/env_errors': envErrors }),
        global_step: state.globalStep,
        'charts/SPS': envSteps / Math.max(rolloutSeconds, 1e-9),
        'charts/iteration_seconds': (performance.now() - started) / 1000,
      });
      await saveModel({ dir: io.job.outDir, step: it + 1, model: policy, tok, heads: [valueHead], optimizer, trainerState: state });
      io.progress(it + 1, c.ppo.iterations);
    }
    if (state.iteration === 0 && !io.cancelled) await saveModel({ dir: io.job.outDir, step: 0, model: policy, tok, heads: [valueHead], trainerState: state });
  } finally {
    optimizer.dispose();
    reference.dispose();
    valueHead.dispose();
    releaseModel(policyLoaded);
    if (estimator) releaseModel(estimator);
  }
}

/** The exploration set as PPO data (offline mode): scored once (LOO needs every rollout of a task), then batched. */
function offlineData(io: StageIo, raw: boolean) {
  const c = io.job.config;
  const source = methodNeedsEstimator(c.method) ? (io.job.inputs.estimator as string) : (io.job.inputs.explore as string);
  const all = readStageTrajectories(source).filter((t) => !methodNeedsEstimator(c.method) || t.stage === 'explore-scored');
  if (!all.length) throw new Error('offline PPO needs exploration trajectories, and there are none');
  const scoredAll = raw ? null : stepRewardsFor(c, null, all);
  const index = new Map(all.map((t, i) => [t.id, i]));
  return {
    batch(it: number, size: number, seed: number): Trajectory[] {
      const epoch = Math.floor((it * size) / all.length);
      const order = new Rng(`offline#${seed}#${epoch}`).shuffle(all.map((_, i) => i));
      const from = (it * size) % all.length;
      return Array.from({ length: size }, (_, k) => all[order[(from + k) % all.length] as number] as Trajectory);
    },
    scored(batch: readonly Trajectory[]): ScoredBatch {
      if (!scoredAll) throw new Error('unreachable: GRPO does not score');
      const ids = batch.map((t) => index.get(t.id) as number);
      return { trajectories: ids.map((i) => scoredAll.trajectories[i] as Trajectory), stepRewards: ids.map((i) => scoredAll.stepRewards[i] as number[]) };
    },
  };
}
