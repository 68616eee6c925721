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
  /**
   * Wall-time limit of one `step` in ms (default: none). A step that returns after it ends the
   * episode as truncated, with `meta.reason = 'timeout'`. A step that never returns cannot be
   * stopped from inside its thread; the supervisor's heartbeat watchdog kills that worker.
   */
  stepTimeoutMs?: number;
  /** The clock for `stepTimeoutMs` (default Date.now). */
  now?: () => number;
  /** Called after every step (the training worker's liveness pulse). */
  onStep?: () => void;
}

/** Why an episode ended early, in `Trajectory.meta` (absent for normal episodes). */
export interface StepTimeoutMeta {
  reason: 'timeout';
  /** The step (1-based) that took too long. */
  step: number;
  stepMs: number;
  limitMs: number;
}

/** The record of a step slower than its limit, or null (within it, or no limit). Shared by every play loop. */
export function stepTimeout(step: number, stepMs: number, limitMs: number | undefined): StepTimeoutMeta | null {
  return limitMs !== undefined && stepMs > limitMs ? { reason: 'timeout', step, stepMs, limitMs } : null;
}

/** Plays one episode and records it as a trajectory. */
export function rollout(env: TextEnv, policy: Policy, options: RolloutOptions): Trajectory {
  const seed = options.seed ?? 0;
  const reset = env.reset({ seed, ...(options.task !== undefined ? { task: options.task } : {}) });
  policy.begin(reset.observation, reset.info);
  const steps: StepRecord[] = [];
  const limit = options.maxSteps ?? env.maxSteps;
  const now = options.now ?? Date.now;
  let observation = reset.observation;
  let info: StepInfo | null = null;
  let finalReward = 0;
  let success = false;
  let terminated = false;
  let truncated = false;
  let timeout: StepTimeoutMeta | null = null;
  for (let t = 0; t < limit; t++) {
    const text = policy.act(observation, info);
    const started = options.stepTimeoutMs === undefined ? 0 : now();
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
    options.onStep?.();
    if (options.stepTimeoutMs !== undefined && !terminated) {
      timeout = stepTimeout(t + 1, now() - started, options.stepTimeoutMs);
      if (timeout) {
        truncated = true;
        break;
      }
    }
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
    ...(timeout ? { meta: { ...timeout } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Environments that throw. An exception from `reset` or `step` ends that episode only: it is
// recorded (with its stack, for the run log), left out of the data (a partial trajectory is
// never trained on), and counted against an error budget; the run fails, saying so, once the
// errors exceed the budget's share of the planned episodes (Inspect's fail_on_error = 0.1).

/** The share of a stage's planned episodes that may fail before the stage fails (10 %). */
export const DEFAULT_MAX_ENV_ERROR_RATE = 0.1;

export interface EnvErrorRecord {
  /** Position of the episode in the batch it was played in. */
  episode: number;
  taskId: string;
  seed: number;
  phase: 'reset' | 'step';
  /** Steps completed before the exception (the failing step is `step + 1`). */
  step: number;
  name: string;
  message: string;
  stack?: string;
}

/** An exception thrown by an environment, as an error record. */
export function envErrorRecord(error: unknown, where: Omit<EnvErrorRecord, 'name' | 'message' | 'stack'>): EnvErrorRecord {
  const e = error instanceof Error ? error : new Error(String(error));
  return { ...where, name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

/** One paragraph for a run log: where it happened, then the stack trace. */
export function describeEnvError(e: EnvErrorRecord): string {
  const where = e.phase === 'reset' ? 'reset' : `step ${e.step + 1}`;
  const head = `environment error in ${where} of ${e.taskId} (seed ${e.seed}); episode excluded: ${e.name}: ${e.message}`;
  return e.stack ? `${head}\n${e.stack}` : head;
}

export class EnvErrorRateExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvErrorRateExceeded';
  }
}

/**
 * Counts environment errors against `maxRate` × the planned episodes of a stage. `record`
 * throws EnvErrorRateExceeded (a clear, user-facing message) when the count goes over.
 */
export class EnvErrorBudget {
  private count: number;
  constructor(
    readonly planned: number,
    readonly maxRate: number = DEFAULT_MAX_ENV_ERROR_RATE,
    /** Errors of earlier attempts (a resumed stage). */
    errorsSoFar = 0,
  ) {
    if (!(maxRate >= 0 && maxRate <= 1)) throw new RangeError(`the environment error limit must be in [0, 1], got ${maxRate}`);
    this.count = errorsSoFar;
  }

  get errors(): number {
    return this.count;
  }

  /** Errors allowed in all. */
  get allowed(): number {
    return Math.floor(this.maxRate * this.planned + 1e-9);
  }

  record(e: EnvErrorRecord): void {
    this.count++;
    if (this.count > this.allowed) {
      const pct = (x: number) => `${(100 * x).toFixed(1).replace(/\.0$/, '')} %`;
      throw new EnvErrorRateExceeded(
        `too many environment errors: ${this.count} of ${this.planned} planned episodes failed (${pct(this.count / Math.max(this.planned, 1))}, the limit is ${pct(this.maxRate)}). ` +
          `Last: ${e.phase === 'reset' ? 'reset' : `step ${e.step + 1}`} of ${e.taskId} threw ${e.name}: ${e.message}`,
      );
    }
  }
}

export interface CheckedRollout {
  /** The episode, or null when the environment threw (it is then in `error`). */
  trajectory: Trajectory | null;
  error: EnvErrorRecord | null;
}

/**
 * `rollout`, with the environment's exceptions caught and recorded instead of thrown (the
 * policy's own exceptions are bugs and still throw). The environment may be in any state
 * after it threw: use a fresh one for the next episode.
 */
export function rolloutChecked(env: TextEnv, policy: Policy, options: RolloutOptions & { episode?: number }): CheckedRollout {
  let phase: 'reset' | 'step' = 'reset';
  let steps = 0;
  const guarded: TextEnv = {
    get name() {
      return env.name;
    },
    get maxSteps() {
      return env.maxSteps;
    },
    get maxObservationLength() {
      return env.maxObservationLength;
    },
    reset: (o) => {
      phase = 'reset';
      const r = guard(() => env.reset(o));
      phase = 'step';
      return r;
    },
    step: (text) => {
      const r = guard(() => env.step(text));
      steps++;
      return r;
    },
    admissibleActions: () => guard(() => env.admissibleActions()),
    currentTask: () => env.currentTask(),
    close: () => env.close(),
  };
  let thrown: { error: unknown } | null = null;
  function guard<T>(f: () => T): T {
    try {
      return f();
    } catch (error) {
      thrown = { error };
      throw error;
    }
  }
  try {
    return { trajectory: rollout(guarded, policy, options), error: null };
  } catch (error) {
    if (thrown === null || (thrown as { error: unknown }).error !== error) throw error;
    let task = typeof options.task === 'string' ? options.task : options.task?.id;
    if (task === undefined) {
      try {
        task = env.currentTask().id;
      } catch {
        task = `${env.name} (task picked by seed ${options.seed ?? 0})`;
      }
    }
    return { trajectory: null, error: envErrorRecord(error, { episode: options.episode ?? 0, taskId: task, seed: options.seed ?? 0, phase, step: steps }) };
  }
}

export interface CollectOptions {
  policyName: string;
  /** The episode's seed (default: its index). */
  seedOf?: (episode: number) => number;
  /** Counts errors and fails the collection above its limit (default: a 10 % budget of the tasks). */
  budget?: EnvErrorBudget;
  onError?: (e: EnvErrorRecord) => void;
  stepTimeoutMs?: number;
  onStep?: () => void;
  /** Called after each episode with the number done (progress). */
  onEpisode?: (done: number) => void;
}

/**
 * Plays one episode per task with a scripted policy (expert, random-valid), each in a fresh
 * environment, surviving environments that throw: errored episodes are recorded and left out.
 */
export function collectRollouts(
  make: () => TextEnv,
  policyFor: (env: TextEnv, episode: number) => Policy,
  tasks: readonly (string | TaskBase)[],
  opts: CollectOptions,
): { trajectories: Trajectory[]; errors: EnvErrorRecord[] } {
  const budget = opts.budget ?? new EnvErrorBudget(tasks.length);
  const trajectories: Trajectory[] = [];
  const errors: EnvErrorRecord[] = [];
  tasks.forEach((task, episode) => {
    const env = make();
    try {
      const r = rolloutChecked(env, policyFor(env, episode), {
        task,
        seed: opts.seedOf?.(episode) ?? episode,
        policyName: opts.policyName,
        episode,
        ...(opts.stepTimeoutMs !== undefined ? { stepTimeoutMs: opts.stepTimeoutMs } : {}),
        ...(opts.onStep ? { onStep: opts.onStep } : {}),
      });
      if (r.trajectory) trajectories.push(r.trajectory);
      if (r.error) {
        errors.push(r.error);
        opts.onError?.(r.error);
        budget.record(r.error);
      }
    } finally {
      try {
        env.close();
      } catch {
        // A broken environment may fail to close too; the episode is already accounted for.
      }
    }
    opts.onEpisode?.(episode + 1);
  });
  return { trajectories, errors };
}
