/**
 * Which stages a method runs, what each reads, and the slice of the config its cached output
 * depends on (the stage-cache key). Methods of the same environment and seed share the data,
 * SFT, exploration and estimator stages, so a grid of methods trains one SFT model.
 *
 *   sft               data → sft → eval
 *   rft               data → sft → explore → rft → eval
 *   ppo, grpo         data → sft → rl → eval                 (+ explore when offline)
 *   spa-loo/-no-progress  same as ppo
 *   spa, spa-no-grounding data → sft → explore → estimator → rl → eval
 */
import { methodNeedsEstimator, runExplores, type RunConfig } from '../../common/run-config';
import type { StageName } from '../../common/worker-protocol';

/** Bump when a stage's code changes what it produces, so old cache entries are not reused. */
export const STAGE_CODE_VERSION = 2;

export interface PlannedStage {
  stage: StageName;
  /** In the shared stage cache (key from slice + input keys) or in the run folder. */
  cached: boolean;
  slice: unknown;
  /** Stages whose outputs it reads, by the name the stage uses for them. */
  inputs: Record<string, StageName>;
}

export function planStages(c: RunConfig): PlannedStage[] {
  const v = STAGE_CODE_VERSION;
  const view = { prompt: c.prompt, includeAckStep: c.reward.includeAckStep };
  const stages: PlannedStage[] = [
    { stage: 'data', cached: true, slice: { v, env: c.env, expertTasks: c.data.expertTasks }, inputs: {} },
    { stage: 'sft', cached: true, slice: { v, model: c.model, sft: c.sft, seed: c.seed, prompt: c.prompt }, inputs: { data: 'data' } },
  ];
  const explore = runExplores(c);
  if (explore) stages.push({ stage: 'explore', cached: true, slice: { v, explore: c.explore, seed: c.seed, tasks: c.explore.tasks, rolloutTasks: c.data.rolloutTasks }, inputs: { sft: 'sft' } });
  if (methodNeedsEstimator(c.method)) {
    stages.push({ stage: 'estimator', cached: true, slice: { v, estimator: c.estimator, seed: c.seed, view }, inputs: { sft: 'sft', explore: 'explore' } });
  }
  let policy: StageName = 'sft';
  if (c.method === 'rft') {
    stages.push({ stage: 'rft', cached: false, slice: null, inputs: { data: 'data', sft: 'sft', explore: 'explore' } });
    policy = 'rft';
  } else if (c.method !== 'sft') {
    const inputs: Record<string, StageName> = { sft: 'sft' };
    if (explore) inputs.explore = 'explore';
    if (methodNeedsEstimator(c.method)) inputs.estimator = 'estimator';
    stages.push({ stage: 'rl', cached: false, slice: null, inputs });
    policy = 'rl';
  }
  const evalInputs: Record<string, StageName> = { policy };
  if (methodNeedsEstimator(c.method)) evalInputs.estimator = 'estimator';
  stages.push({ stage: 'eval', cached: false, slice: null, inputs: evalInputs });
  return stages;
}

/**
 * What decides a run's results: its config without what none of its stages reads. Only the RL
 * stage reads `ppo` and `grpo`, only exploration `explore`, and only those two `data.rolloutTasks`,
 * so an SFT run stays the same experiment when only the RL recipe changes, and a grid keeps it
 * rather than training it again.
 */
export function runIdentity(c: RunConfig): Partial<RunConfig> {
  const stages = new Set(planStages(c).map((s) => s.stage));
  const { ppo, grpo, explore, ...read } = c;
  const identity: Partial<RunConfig> = { ...read };
  if (stages.has('rl')) Object.assign(identity, { ppo, grpo });
  if (stages.has('explore')) identity.explore = explore;
  // canonicalJson leaves out undefined fields, so this equals a config that never had it.
  if (!stages.has('rl') && !stages.has('explore')) identity.data = { ...c.data, rolloutTasks: undefined };
  return identity;
}
