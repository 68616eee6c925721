import { TRAJECTORY_SCHEMA, type StepRecord, type Trajectory } from '../../common/trajectory';
import { Rng } from './rng';
import type { Policy, ResetInfo, StepInfo, TaskBase, TextEnv } from './types';


/**
 * A uniformly random policy over the currently executable actions: the "random valid"
 * baseline that tells whether tasks are too easy.
 */
export class RandomValidPolicy implements Policy {
  private readonly rng: Rng;
  constructor(
    private readonly env: TextEnv,
    seed: number,
  ) {
    this.rng = new Rng(`random-valid#${seed}`);
  }
  begin(_observation: string, _info: ResetInfo): void {}
  act(_observation: string, lastInfo: StepInfo | null): string {
    const actions = lastInfo?.admissible ?? this.env.admissibleActions();
    const action = actions.length ? this.rng.pick(actions) : 'look';
    return `Thought: I will try this.\nAction: ${action}`;
  }
}

export interface RolloutOptions {
  seed?: number;
  /** A task id, or a task object (e.g. one built from an ALFWorld scene description). */
  task?: string | TaskBase;
  policyName: string;
  /** Stop early after this many steps (defaults to the env's limit; the TimeLimit wrapper also applies). */
  maxSteps?: number;
}

/** Plays one episode and records it as a trajectory. */
export function rollout(env: TextEnv, policy: Policy, options: RolloutOptions): Trajectory {
  const seed = options.seed ?? 0;
  const reset = env.reset({ seed, ...(options.task !== undefined ? { task: options.task } : {}) });
  policy.begin(reset.observation, reset.info);
  const steps: StepRecord[] = [];
  const limit = options.maxSteps ?? env.maxSteps;
  let observation = reset.observation;
  let info: StepInfo | null = null;
  let finalReward = 0;
  let success = false;
  let terminated = false;
  let truncated = false;
  for (let t = 0; t < limit; t++) {
    const text = policy.act(observation, info);
    const result = env.step(text);
    observation = result.observation;
    info = result.info;
    steps.push({
      text,
      thought: result.info.thought,
      action: result.info.action,
      observation,
      valid: result.info.valid,
      reward: result.reward,
      progress: result.info.progress,
    });
    finalReward = result.reward;
    success = result.info.success;
    terminated = result.terminated;
    truncated = result.truncated || (t === limit - 1 && !result.terminated);
    if (terminated || result.truncated) break;
  }
  const task = reset.info.task;
  return {
    schema: TRAJECTORY_SCHEMA,
    id: `${task.id}#${options.policyName}#${seed}`,
    env: task.env,
    split: task.split,
    taskId: task.id,
    taskType: task.taskType,
    goal: task.goal,
    policy: options.policyName,
    seed,
    initialObservation: reset.observation,
    steps,
    finalReward: terminated ? finalReward : 0,
    success,
    terminated,
    truncated,
  };
}
