/**
 * The environment contract, modelled on Gymnasium's `Env`: `reset` returns the first
 * observation, `step` takes the agent's raw text and returns the 5 fields, `close` is
 * idempotent. Observations are exactly the user turns the agent sees in SPA-RL's
 * conversation ("Observation: …"), so a trajectory can be replayed as a chat.
 */

export const ENV_NAMES = ['alfworld', 'webshop', 'virtualhome'] as const;
export type EnvName = (typeof ENV_NAMES)[number];

/**
 * train: training tasks; seen: new tasks in training layouts / product types;
 * unseen: held-out layouts (ALFWorld, VirtualHome) or held-out product types (WebShop).
 */
export const SPLITS = ['train', 'seen', 'unseen'] as const;
export type Split = (typeof SPLITS)[number];

/** What every generated task carries, whatever the environment. */
export interface TaskBase {
  /** Stable id: `<env>/v<generatorVersion>/<split>/<index>`; always the same task. */
  readonly id: string;
  readonly env: EnvName;
  readonly split: Split;
  readonly index: number;
  /** Task family, e.g. ALFWorld's `put`/`clean`…, WebShop's top category, VirtualHome's title. */
  readonly taskType: string;
  /** Human-readable goal (the instruction the agent is given). */
  readonly goal: string;
}

export interface ResetOptions<TTask extends TaskBase = TaskBase> {
  /** Seeds the episode's randomness (and picks a training task when `task` is omitted). */
  seed?: number;
  /** A task id, or a task object (e.g. one built from a scene description). */
  task?: string | TTask;
}

export interface ResetInfo {
  task: TaskBase;
  /** Oracle progress in [0,1]; diagnostics only, never shown to the agent. */
  progress: number;
  /** Actions executable now, where the original environment exposes them (ALFWorld, WebShop). */
  admissible?: string[];
}

export interface StepInfo {
  /** The action parsed from the agent's text, or null when it had no `Action:`. */
  action: string | null;
  /** The thought parsed from the agent's text ('' when none). */
  thought: string;
  /** Whether the action was executable (grounding accuracy). False for format errors. */
  valid: boolean;
  /** True when the agent's text had no parsable action. */
  formatError: boolean;
  /** Oracle progress in [0,1] (share of sub-goals achieved); never shown to the agent. */
  progress: number;
  /** Whether the task is solved (WebShop: bought a product with reward 1). */
  success: boolean;
  /** Steps taken in this episode, this one included. */
  steps: number;
  /** Actions executable now, where the original environment exposes them. */
  admissible?: string[];
  /** Set by the TimeLimit wrapper when the episode is cut at the step limit. */
  timeLimit?: boolean;
  /** Environment-specific diagnostics (e.g. WebShop's reward breakdown). */
  extra?: Record<string, unknown>;
}

export interface StepResult {
  observation: string;
  reward: number;
  /** The task ended inside the MDP (success, or WebShop's purchase). */
  terminated: boolean;
  /** The episode was cut from outside (step limit). */
  truncated: boolean;
  info: StepInfo;
}

export interface ResetResult {
  observation: string;
  info: ResetInfo;
}

export interface TextEnv<TTask extends TaskBase = TaskBase> {
  readonly name: EnvName;
  /** The step limit of the original SPA-RL configuration. */
  readonly maxSteps: number;
  /** Upper bound on an observation's length in characters (the observation space). */
  readonly maxObservationLength: number;
  reset(options?: ResetOptions<TTask>): ResetResult;
  step(agentText: string): StepResult;
  /** The actions executable in the current state (diagnostics, random-valid baselines). */
  admissibleActions(): string[];
  /** The task of the current episode. */
  currentTask(): TTask;
  close(): void;
}

/** Generates the tasks of one environment deterministically: `(split, index)` → task. */
export interface TaskGenerator<TTask extends TaskBase = TaskBase> {
  readonly env: EnvName;
  /** Bumped whenever a change would make an existing id mean another task. */
  readonly version: number;
  /** How many tasks each split offers (a generator may offer more on request). */
  readonly sizes: Record<Split, number>;
  task(split: Split, index: number): TTask;
}

/** Anything that plays an environment one ReAct turn at a time, from what the agent observes (experts, baselines). */
export interface Policy {
  /** Starts a new episode from the reset observation. */
  begin(observation: string, info: ResetInfo): void;
  /** The next agent turn, `Thought: …\nAction: …`. */
  act(lastObservation: string, lastInfo: StepInfo | null): string;
}

export class ResetNeeded extends Error {
  constructor(message = 'Cannot call env.step() before calling env.reset()') {
    super(message);
    this.name = 'ResetNeeded';
  }
}

export class EpisodeOver extends Error {
  constructor(message = 'The episode is over (terminated or truncated); call env.reset() first') {
    super(message);
    this.name = 'EpisodeOver';
  }
}

export class ClosedEnvironmentError extends Error {
  constructor(message = 'The environment is closed') {
    super(message);
    this.name = 'ClosedEnvironmentError';
  }
}

export class UnknownTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownTaskError';
  }
}
