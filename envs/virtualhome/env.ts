/**
 * The VirtualHome-style environment: SPA-RL's harness (ReActEnv) over the evolving-graph world.
 * Reset shows `The task is <title> (<description>).`; each action answers with the
 * observation text of a success or `Nothing happens.`; the goal is checked after every step
 * (failed ones included) and gives reward 1 and termination when it holds.
 */
import { ReActEnv, type ActionOutcome } from '../core/base-env';
import { NOTHING_HAPPENS, type ActionStyle } from '../core/react';
import type { Rng } from '../core/rng';
import type { TaskGenerator } from '../core/types';
import { computeAdmissible } from './admissible';
import { virtualhomeGenerator } from './generator';
import { compileGoal, satisfiedCount, type CompiledGoal } from './goal';
import { observationText } from './observation';
import { compileScene } from './scene';
import type { VirtualhomeTask } from './task-types';
import { World } from './world';

/** The reset observation (the only scene information the agent gets). */
export function taskPrompt(task: Pick<VirtualhomeTask, 'title' | 'description'>): string {
  return `The task is ${task.title} (${task.description}).`;
}

const goalCache = new WeakMap<VirtualhomeTask, CompiledGoal>();

export class VirtualhomeEnv extends ReActEnv<VirtualhomeTask> {
  readonly name = 'virtualhome' as const;
  readonly maxSteps = 40;
  /** Generous bound: receptacles hold at most 5 objects, so observations stay near 1,000 chars. */
  readonly maxObservationLength = 4000;
  protected readonly reportsAdmissible = false;
  protected readonly style: ActionStyle = 'household';

  private world: World | null = null;
  private goal: CompiledGoal | null = null;
  private admissibleVersion = -1;
  private admissible: string[] = [];
  private progressVersion = -1;
  private satisfied = 0;

  constructor(generator: TaskGenerator<VirtualhomeTask> = virtualhomeGenerator) {
    super(generator);
  }

  protected begin(task: VirtualhomeTask, _rng: Rng): string {
    const scene = compileScene(task.init_graph);
    this.world = new World(scene, task.object_id_dict);
    let goal = goalCache.get(task);
    if (!goal) {
      goal = compileGoal(task.revised_graph, scene);
      goalCache.set(task, goal);
    }
    this.goal = goal;
    this.admissibleVersion = -1;
    this.progressVersion = -1;
    return taskPrompt(task);
  }

  protected execute(action: string): ActionOutcome {
    const w = this.requireWorld();
    const ok = w.execute(action);
    const text = ok ? observationText(w) : NOTHING_HAPPENS;
    const success = this.solved();
    return { text, valid: ok, reward: success ? 1 : 0, terminated: success, success };
  }

  protected progress(): number {
    const g = this.goal;
    if (!g || g.total === 0) return 0;
    return this.satisfiedNow() / g.total;
  }

  /** Computed once per state (cached until the state changes); each call gets its own copy. */
  admissibleActions(): string[] {
    const w = this.requireWorld();
    if (this.admissibleVersion !== w.version) {
      this.admissible = computeAdmissible(w);
      this.admissibleVersion = w.version;
    }
    return this.admissible.slice();
  }

  private solved(): boolean {
    const g = this.goal;
    return g !== null && g.total > 0 && this.satisfiedNow() === g.total;
  }

  private satisfiedNow(): number {
    const w = this.requireWorld();
    if (this.progressVersion !== w.version) {
      this.satisfied = satisfiedCount(w, this.goal as CompiledGoal);
      this.progressVersion = w.version;
    }
    return this.satisfied;
  }

  private requireWorld(): World {
    if (!this.world) throw new Error('virtualhome: reset() first');
    return this.world;
  }
}
