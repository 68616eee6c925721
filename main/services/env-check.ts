/**
 * `spa envs check`: for each environment and split, the expert's and a random valid
 * policy's figures over freshly generated tasks, plus the contract checker — computed
 * live every time, never read from a file.
 */
import { checkEnv } from '../../envs/core/checker';
import { RandomValidPolicy, rollout } from '../../envs/core/rollout';
import { summarize, type EpisodeSummary } from '../../envs/core/summary';
import { SPLITS, type EnvName, type Split } from '../../envs/core/types';
import { formatTaskId } from '../../envs/core/task-id';
import { ENVIRONMENTS, makeEnv } from '../../envs/registry';
import type { Trajectory } from '../../common/trajectory';

export interface SplitCheck {
  env: EnvName;
  split: Split;
  tasks: number;
  expert: EpisodeSummary;
  random: EpisodeSummary;
  /** Task ids the expert failed (should be empty). */
  expertFailures: string[];
}

export interface ContractCheck {
  env: EnvName;
  stepsChecked: number;
  violations: string[];
}

export interface CheckProgress {
  (done: number, total: number, detail: string): void;
}

export function checkSplit(env: EnvName, split: Split, tasks: number, onTask?: (i: number) => void): SplitCheck {
  const def = ENVIRONMENTS[env];
  const e = makeEnv(env);
  const expertTrajs: Trajectory[] = [];
  const randomTrajs: Trajectory[] = [];
  for (let i = 0; i < tasks; i++) {
    const task = formatTaskId({ env, version: def.generator.version, split, index: i });
    expertTrajs.push(rollout(e, def.createExpert(), { task, seed: i, policyName: 'expert' }));
    randomTrajs.push(rollout(e, new RandomValidPolicy(e, i), { task, seed: i, policyName: 'random-valid' }));
    onTask?.(i + 1);
  }
  e.close();
  return {
    env,
    split,
    tasks,
    expert: summarize(expertTrajs),
    random: summarize(randomTrajs),
    expertFailures: expertTrajs.filter((t) => !t.success).map((t) => t.taskId),
  };
}

export function checkContract(env: EnvName, steps = 1000): ContractCheck {
  const report = checkEnv({ make: () => makeEnv(env), steps, seed: 123 });
  return { env, stepsChecked: report.stepsChecked, violations: report.violations };
}

export interface CheckPlan {
  envs: EnvName[];
  splits?: Split[];
  tasks: number;
}

/** Runs the whole check, yielding each result as soon as it is known. */
export function* runEnvCheck(plan: CheckPlan, progress?: CheckProgress): Generator<SplitCheck | ContractCheck> {
  const splits = plan.splits ?? [...SPLITS];
  const total = plan.envs.length * splits.length * plan.tasks;
  let done = 0;
  for (const env of plan.envs) {
    yield checkContract(env);
    for (const split of splits) {
      const base = done;
      yield checkSplit(env, split, plan.tasks, (i) => progress?.(base + i, total, `${env}/${split}`));
      done = base + plan.tasks;
    }
  }
}
