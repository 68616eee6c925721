/**
 * Expert demonstrations: the SFT data of the pipeline, as trajectories (JSONL) and in
 * the SPA-RL / ETO SFT format (a JSON array of {id, conversations}).
 */
import type { Trajectory } from '../common/trajectory';
import { toSftRecord, type SftRecord } from './core/conversation';
import { rollout } from './core/rollout';
import { formatTaskId, parseTaskId } from './core/task-id';
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
  const version = ENVIRONMENTS[req.env].generator.version;
  const start = req.start ?? 0;
  const tasks = Array.from({ length: req.count }, (_, i) => formatTaskId({ env: req.env, version, split: req.split, index: start + i }));
  yield* expertTrajectoriesOn(req.env, tasks);
}

/** The expert on the given tasks (e.g. the ones a run was evaluated on), each seeded by its index as above. */
export function* expertTrajectoriesOn(envName: EnvName, tasks: readonly string[]): Generator<Trajectory> {
  const def = ENVIRONMENTS[envName];
  const env = makeEnv(envName);
  try {
    for (const task of tasks) yield rollout(env, def.createExpert(), { task, seed: parseTaskId(task).index, policyName: 'expert' });
  } finally {
    env.close();
  }
}

export function toSftDataset(trajectories: readonly Trajectory[]): SftRecord[] {
  return trajectories.map((t, i) => toSftRecord(t, i));
}
