/**
 * Stage "data": the expert demonstrations of the training tasks (the SFT data) and the
 * tokenizer built from the environment's language. Deterministic; cached across methods.
 */
import { join } from 'node:path';
import { expertTrajectories } from '../../../envs/expert-data';
import { writeFileAtomic } from '../../storage/durable';
import { buildEnvTokenizer } from '../../tokenizer';
import { rolloutMetrics } from './shared';
import type { StageIo } from './stage-io';

export const TOKENIZER_FILE = 'tokenizer.json';

export async function runDataStage(io: StageIo): Promise<void> {
  const c = io.job.config;
  io.begin(0);
  const tok = buildEnvTokenizer(c.env);
  await writeFileAtomic(join(io.job.outDir, TOKENIZER_FILE), JSON.stringify(tok.toJSON()));
  const trajs = [];
  for (const t of expertTrajectories({ env: c.env, split: 'train', count: c.data.expertTasks })) {
    trajs.push(t);
    if (trajs.length % 20 === 0) io.progress(trajs.length, c.data.expertTasks);
  }
  io.trajectories(1, 'expert', trajs);
  io.metric(1, { ...rolloutMetrics(trajs, 'data/expert'), 'data/vocab_size': tok.vocabSize, 'data/expert_tasks': trajs.length });
  io.progress(c.data.expertTasks, c.data.expertTasks);
  io.log(`${trajs.length} expert demonstrations; tokenizer of ${tok.vocabSize} tokens`);
}
