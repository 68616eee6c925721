/**
 * Expert demonstrations: the SFT data of the pipeline, as trajectories (JSONL) and in
 * the SPA-RL / ETO SFT format (a JSON array of {id, conversations}).
 */
import type { Trajectory } from '../common/trajectory';
import { toSftRecord, type SftRecord } from './core/conversation';
import { rollout } from './core/rollout';
import { formatTaskId } from './core/task-id';
import type { EnvName, Split } from './core/types';
import { ENVIRONMENTS, makeEnv } from './registry';

export interface ExpertDataRequest {
  env: EnvName;
  split: Split;
  count: number;
  /** First task index (default 0). */
  start?: number;
}

export function* expertTrajectories(req: ExpertDataRequest): Generator<Trajectory> {
  const def = ENVIRONMENTS[req.env];
  const env = makeEnv(req.env);
  const start = req.start ?? 0;
  try {
    for (let i = start; i < start + req.count; i++) {
      const task = formatTaskId({ env: req.env, version: def.generator.version, split: req.split, index: i });
      yield rollout(env, def.createExpert(), { task, seed: i, policyName: 'expert' });
    }
  } finally {
    env.close();
  }
}

export function toSftDataset(trajectories: readonly Trajectory[]): SftRecord[] {
  return trajectories.map((t, i) => toSftRecord(t, i));
}
