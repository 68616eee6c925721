/**
 * ALFWorld (TextWorld version, as used by ETO/SPA-RL) behind the SPA-RL ReAct harness: the first
 * user turn is the task message, every later one `Observation: <feedback>`; reward 1 and
 * termination the moment the goal holds, else 0. The step limit (40) is the TimeLimit wrapper's.
 */
import type { ActionOutcome } from '../core/base-env';
import { ReActEnv } from '../core/base-env';
import type { Rng } from '../core/rng';
import type { TaskGenerator } from '../core/types';
import { alfworldGenerator } from './generator';
import { ALFWORLD_MAX_STEPS } from './solvability';
import type { AlfworldTask } from './task';
import { AlfworldWorld } from './world';

export class AlfworldEnv extends ReActEnv<AlfworldTask> {
  readonly name = 'alfworld' as const;
  readonly maxSteps = ALFWORLD_MAX_STEPS;
  /** The longest texts are a 40-receptacle intro (~800 chars) and a crowded countertop. */
  readonly maxObservationLength = 4000;
  protected readonly reportsAdmissible = true;
  protected readonly style = 'household' as const;
  private world: AlfworldWorld | null = null;

  constructor(generator: TaskGenerator<AlfworldTask> = alfworldGenerator) {
    super(generator);
  }

  protected begin(task: AlfworldTask, _rng: Rng): string {
    // The world is fully determined by the task: no episode randomness in TextWorld's ALFWorld.
    this.world = new AlfworldWorld(task);
    return this.world.taskMessage();
  }

  protected execute(action: string): ActionOutcome {
    const out = (this.world as AlfworldWorld).execute(action);
    return { text: out.text, valid: out.valid, reward: out.won ? 1 : 0, terminated: out.won, success: out.won };
  }

  protected progress(): number {
    return this.world ? this.world.progress() : 0;
  }

  admissibleActions(): string[] {
    // A copy: the world's list is its cache and must not be mutated by callers.
    return this.world ? this.world.admissible().slice() : [];
  }
}
