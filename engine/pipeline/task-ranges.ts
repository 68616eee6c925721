/**
 * Which tasks each stage plays, as index ranges of the environment's splits:
 *
 *   demonstrations  train [0, expertTasks)                         the SFT data
 *   exploration     train [start, start + explore.tasks)
 *   online RL pool  train [start, start + expertTasks), cut at the end of the split
 *   evaluation      seen and unseen [0, evalTasks), cut at the end of the split (the paper
 *                   preset's 200 evaluates ALFWorld's 140 seen and 134 unseen tasks whole)
 *
 * where start is 0 when `data.rolloutTasks` is 'demonstrated' (the authors' code explores the
 * tasks it fine-tuned on) and expertTasks when it is 'undemonstrated': a small model trained
 * long enough to solve test tasks also memorises its demonstrations, and on those it succeeds
 * every time, leaving the estimator and the RL methods nothing to learn from.
 */
import { formatTaskId } from '../../envs/core/task-id';
import { ENVIRONMENTS } from '../../envs/registry';
import type { EnvName, Split } from '../../envs/core/types';
import type { RunConfig } from '../../common/run-config';

export interface TaskRange {
  split: Split;
  start: number;
  count: number;
}

type RangeConfig = Pick<RunConfig, 'env' | 'data' | 'explore'>;

function rolloutStart(c: RangeConfig): number {
  return c.data.rolloutTasks === 'undemonstrated' ? c.data.expertTasks : 0;
}

export function demonstrationRange(c: RangeConfig): TaskRange {
  return { split: 'train', start: 0, count: c.data.expertTasks };
}

export function explorationRange(c: RangeConfig): TaskRange {
  return { split: 'train', start: rolloutStart(c), count: c.explore.tasks };
}

/** The tasks online PPO and GRPO draw their batches from: as many as there are demonstrations. */
export function rlPoolRange(c: RangeConfig): TaskRange {
  const start = rolloutStart(c);
  const size = ENVIRONMENTS[c.env].generator.sizes.train;
  return { split: 'train', start, count: Math.min(c.data.expertTasks, size - start) };
}

/**
 * The test tasks of a split. The generators would make tasks past a split's size, but those are
 * not the split (WebShop's would share goals with its training tasks), so a split is cut there.
 */
export function evaluationRange(c: RangeConfig, split: Exclude<Split, 'train'>): TaskRange {
  return { split, start: 0, count: Math.min(c.data.evalTasks, ENVIRONMENTS[c.env].generator.sizes[split]) };
}

/** Ids of `count` tasks of a split from index `start`. (No TF.js here: the supervisor checks ranges in the main process.) */
export function taskIds(env: EnvName, split: Split, count: number, start = 0): string[] {
  const version = ENVIRONMENTS[env].generator.version;
  return Array.from({ length: count }, (_, i) => formatTaskId({ env, version, split, index: start + i }));
}

export function rangeTaskIds(env: EnvName, r: TaskRange): string[] {
  return taskIds(env, r.split, r.count, r.start);
}

/** Throws naming the first range that runs past its split, so a config fails before any stage starts. */
export function checkTaskRanges(c: RangeConfig): void {
  const sizes = ENVIRONMENTS[c.env].generator.sizes;
  const ranges: [string, TaskRange][] = [
    ['data.expertTasks', demonstrationRange(c)],
    [c.data.rolloutTasks === 'undemonstrated' ? 'data.expertTasks + explore.tasks' : 'explore.tasks', explorationRange(c)],
  ];
  for (const [field, r] of ranges) {
    const size = sizes[r.split];
    if (r.start + r.count > size) {
      throw new Error(`${field} asks for ${r.split} tasks up to #${r.start + r.count}, but ${c.env}'s ${r.split} split has ${size}`);
    }
  }
}
