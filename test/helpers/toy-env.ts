/**
 * A tiny environment on the real ReActEnv harness, for testing the core: press "inc"
 * `target` times, then "done". Like Gymnasium's GenericTestEnv, behaviour can be injected.
 */
import { ReActEnv, type ActionOutcome } from '../../envs/core/base-env';
import { NOTHING_HAPPENS } from '../../envs/core/react';
import type { Rng } from '../../envs/core/rng';
import { formatTaskId } from '../../envs/core/task-id';
import type { Split, TaskBase, TaskGenerator } from '../../envs/core/types';
import { UnknownTaskError } from '../../envs/core/types';

export interface ToyTask extends TaskBase {
  target: number;
}

export const toyGenerator: TaskGenerator<ToyTask> = {
  env: 'alfworld',
  version: 1,
  sizes: { train: 10, seen: 5, unseen: 5 },
  task(split: Split, index: number): ToyTask {
    if (!Number.isInteger(index) || index < 0) throw new UnknownTaskError(`bad index ${index}`);
    const target = 2 + (index % 3) + (split === 'unseen' ? 3 : 0);
    return { id: formatTaskId({ env: 'alfworld', version: 1, split, index }), env: 'alfworld', split, index, taskType: 'count', goal: `count to ${target}`, target };
  },
};

export class ToyEnv extends ReActEnv<ToyTask> {
  readonly name = 'alfworld' as const;
  readonly maxSteps = 6;
  readonly maxObservationLength = 200;
  protected readonly reportsAdmissible = true;
  protected readonly style = 'household' as const;
  count = 0;
  target = 0;
  noise = 0;

  constructor(private readonly hooks: { execute?: (action: string) => ActionOutcome | undefined } = {}) {
    super(toyGenerator);
  }
  protected begin(task: ToyTask, rng: Rng): string {
    this.count = 0;
    this.target = task.target;
    this.noise = rng.int(1000);
    return `Count to ${task.target}. (noise ${this.noise})`;
  }
  protected execute(action: string): ActionOutcome {
    const injected = this.hooks.execute?.(action);
    if (injected) return injected;
    if (action === 'inc' && this.count < this.target) {
      this.count++;
      return { text: `Count is ${this.count}.`, valid: true, reward: 0, terminated: false, success: false };
    }
    if (action === 'done' && this.count === this.target) return { text: 'Well done.', valid: true, reward: 1, terminated: true, success: true };
    return { text: NOTHING_HAPPENS, valid: false, reward: 0, terminated: false, success: false };
  }
  protected progress(): number {
    return this.count / (this.target + 1);
  }
  admissibleActions(): string[] {
    return this.count < this.target ? ['inc'] : ['done'];
  }
}
