import { Rng } from './rng';
import { parseTaskId } from './task-id';
import {
  ClosedEnvironmentError,
  ResetNeeded,
  UnknownTaskError,
  type EnvName,
  type ResetOptions,
  type ResetResult,
  type StepResult,
  type TaskBase,
  type TaskGenerator,
  type TextEnv,
} from './types';
import { HOUSEHOLD_FORMAT_ERROR, WEBSHOP_FORMAT_ERROR, observationPrefix, parseTurn, type ActionStyle } from './react';

/** What an environment's world does with one parsed action. */
export interface ActionOutcome {
  /** Feedback text without the `Observation:` prefix (e.g. `Nothing happens.`). */
  text: string;
  /** Executable in the current state (grounding accuracy). */
  valid: boolean;
  reward: number;
  terminated: boolean;
  success: boolean;
  extra?: Record<string, unknown>;
}

/**
 * Shared harness of the three environments: ReAct parsing, the exact format-error
 * replies, observation prefixes, task resolution and step counting. A world implements
 * only `begin` (first observation), `execute` (one action), `progress` and
 * `admissibleActions`. Step limits and call-order checks live in wrappers (wrappers.ts).
 */
export abstract class ReActEnv<TTask extends TaskBase> implements TextEnv<TTask> {
  abstract readonly name: EnvName;
  abstract readonly maxSteps: number;
  abstract readonly maxObservationLength: number;
  /** Whether `info.admissible` is reported (the original exposes it: ALFWorld, WebShop). */
  protected abstract readonly reportsAdmissible: boolean;
  protected abstract readonly style: ActionStyle;

  private task: TTask | null = null;
  private steps = 0;
  private closed = false;

  constructor(protected readonly generator: TaskGenerator<TTask>) {}

  /** Sets up the world for `task`; returns the first user message, verbatim. */
  protected abstract begin(task: TTask, rng: Rng): string;
  /** Executes one parsed action (already stripped). */
  protected abstract execute(action: string): ActionOutcome;
  /** Oracle progress in [0,1] of the current state. */
  protected abstract progress(): number;
  abstract admissibleActions(): string[];

  reset(options: ResetOptions<TTask> = {}): ResetResult {
    if (this.closed) throw new ClosedEnvironmentError();
    const seed = options.seed ?? 0;
    const task = this.resolveTask(options.task, seed);
    this.task = task;
    this.steps = 0;
    const observation = this.begin(task, new Rng(`${task.id}#${seed}`));
    const info: ResetResult['info'] = { task, progress: this.progress() };
    if (this.reportsAdmissible) info.admissible = this.admissibleActions();
    return { observation, info };
  }

  step(agentText: string): StepResult {
    if (this.closed) throw new ClosedEnvironmentError();
    if (!this.task) throw new ResetNeeded();
    this.steps++;
    const turn = parseTurn(agentText, this.style);
    let result: StepResult;
    if (turn.action === null) {
      result = {
        observation: this.style === 'webshop' ? WEBSHOP_FORMAT_ERROR : HOUSEHOLD_FORMAT_ERROR,
        reward: 0,
        terminated: false,
        truncated: false,
        info: { action: null, thought: turn.thought, valid: false, formatError: true, progress: this.progress(), success: false, steps: this.steps },
      };
    } else {
      const out = this.execute(turn.action);
      result = {
        observation: observationPrefix(this.style) + out.text,
        reward: out.reward,
        terminated: out.terminated,
        truncated: false,
        info: {
          action: turn.action,
          thought: turn.thought,
          valid: out.valid,
          formatError: false,
          progress: this.progress(),
          success: out.success,
          steps: this.steps,
        },
      };
      if (out.extra) result.info.extra = out.extra;
    }
    if (this.reportsAdmissible && !result.terminated) result.info.admissible = this.admissibleActions();
    return result;
  }

  currentTask(): TTask {
    if (!this.task) throw new UnknownTaskError('No task yet: call reset() first');
    return this.task;
  }

  close(): void {
    this.closed = true;
  }

  private resolveTask(task: string | TTask | undefined, seed: number): TTask {
    if (task === undefined) {
      const n = this.generator.sizes.train;
      return this.generator.task('train', new Rng(`pick#${seed}`).int(n));
    }
    if (typeof task !== 'string') return task;
    const parts = parseTaskId(task);
    if (parts.env !== this.name) throw new UnknownTaskError(`Task "${task}" belongs to ${parts.env}, not ${this.name}`);
    if (parts.version !== this.generator.version) {
      throw new UnknownTaskError(`Task "${task}" was made by ${this.name} generator v${parts.version}; this build has v${this.generator.version}`);
    }
    // The generators can make tasks past a split's end, but those are not the split (WebShop's
    // would share goals with its training tasks), so an id there is refused.
    const size = this.generator.sizes[parts.split];
    if (parts.index >= size) throw new UnknownTaskError(`Task "${task}" is past the end of ${this.name}'s ${parts.split} split (${size} tasks: 0–${size - 1})`);
    return this.generator.task(parts.split, parts.index);
  }
}
