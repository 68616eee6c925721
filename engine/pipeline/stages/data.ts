/**
 * Stage "data": the expert demonstrations of the training tasks (the SFT data) and the
 * tokenizer built from the environment's language. Deterministic (the same trajectories as
 * `spa expert`); cached across methods.
 */
import { join } from 'node:path';
import { collectRollouts, describeEnvError, EnvErrorBudget } from '../../../envs/core/rollout';
import { ENVIRONMENTS } from '../../../envs/registry';
import { createEnv } from '../../worker/env-host';
import { writeFileAtomic } from '../../storage/durable';
import { buildEnvTokenizer } from '../../tokenizer';
import { envFaultLimits } from '../evaluate';
import { demonstrationRange, rangeTaskIds } from '../task-ranges';
import { rolloutMetrics } from './shared';
import type { StageIo } from './stage-io';

export const TOKENIZER_FILE = 'tokenizer.json';

export async function runDataStage(io: StageIo): Promise<void> {
  const c = io.job.config;
  io.begin(0);
  const tok = buildEnvTokenizer(c.env);
  await writeFileAtomic(join(io.job.outDir, TOKENIZER_FILE), JSON.stringify(tok.toJSON()));
  // One fresh environment per task, as the other stages play: an environment that throws costs
  // its own demonstration (logged, counted), and the stage fails only above the error limit.
  const limits = envFaultLimits(c);
  const tasks = rangeTaskIds(c.env, demonstrationRange(c));
  const def = ENVIRONMENTS[c.env];
  const { trajectories: trajs, errors } = collectRollouts(() => createEnv(c.env), () => def.createExpert(), tasks, {
    policyName: 'expert',
    budget: new EnvErrorBudget(tasks.length, limits.maxErrorRate),
    stepTimeoutMs: limits.stepTimeoutMs,
    onError: (e) => io.log(describeEnvError(e)),
    onEpisode: (done) => {
      if (done % 20 === 0) io.progress(done, tasks.length);
    },
  });
  io.trajectories(1, 'expert', trajs);
  io.metric(1, { ...rolloutMetrics(trajs, 'data/expert'), 'data/vocab_size': tok.vocabSize, 'data/expert_tasks': trajs.length, 'charts/env_errors': errors.length });
  io.progress(c.data.expertTasks, c.data.expertTasks);
  io.log(`${trajs.length} expert demonstrations; tokenizer of ${tok.vocabSize} tokens`);
}
