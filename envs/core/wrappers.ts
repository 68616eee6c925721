import { EpisodeOver, ResetNeeded, type ResetOptions, type ResetResult, type StepResult, type TaskBase, type TextEnv } from './types';

/** Forwards everything to the wrapped environment; wrappers override what they change. */
export class Wrapper<TTask extends TaskBase = TaskBase> implements TextEnv<TTask> {
  constructor(protected readonly env: TextEnv<TTask>) {}
  get name() {
    return this.env.name;
  }
  get maxSteps() {
    return this.env.maxSteps;
  }
  get maxObservationLength() {
    return this.env.maxObservationLength;
  }
  reset(options?: ResetOptions<TTask>): ResetResult {
    return this.env.reset(options);
  }
  step(agentText: string): StepResult {
    return this.env.step(agentText);
  }
  admissibleActions(): string[] {
    return this.env.admissibleActions();
  }
  currentTask(): TTask {
    return this.env.currentTask();
  }
  close(): void {
    this.env.close();
  }
  /** The innermost environment. */
  get unwrapped(): TextEnv<TTask> {
    return this.env instanceof Wrapper ? (this.env as Wrapper<TTask>).unwrapped : this.env;
  }
}

/** Truncates the episode after `limit` steps (ALFWorld 40, WebShop 10, VirtualHome 40). */
export class TimeLimit<TTask extends TaskBase = TaskBase> extends Wrapper<TTask> {
  private elapsed = 0;
  constructor(env: TextEnv<TTask>, readonly limit: number = env.maxSteps) {
    super(env);
  }
  override reset(options?: ResetOptions<TTask>): ResetResult {
    this.elapsed = 0;
    return this.env.reset(options);
  }
  override step(agentText: string): StepResult {
    const result = this.env.step(agentText);
    this.elapsed++;
    if (this.elapsed >= this.limit && !result.terminated) {
      result.truncated = true;
      result.info.timeLimit = true;
    }
    return result;
  }
}

/** Refuses `step` before `reset` and after the episode ended (Gymnasium's OrderEnforcing). */
export class OrderEnforcing<TTask extends TaskBase = TaskBase> extends Wrapper<TTask> {
  private state: 'new' | 'running' | 'over' = 'new';
  override reset(options?: ResetOptions<TTask>): ResetResult {
    const result = this.env.reset(options);
    this.state = 'running';
    return result;
  }
  override step(agentText: string): StepResult {
    if (this.state === 'new') throw new ResetNeeded();
    if (this.state === 'over') throw new EpisodeOver();
    const result = this.env.step(agentText);
    if (result.terminated || result.truncated) this.state = 'over';
    return result;
  }
}
