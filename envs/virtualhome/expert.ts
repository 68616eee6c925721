/**
 * The expert: the task's recipe rendered as natural-language actions (`Walk to dining room`,
 * `Grab water glass`, as in the ICL), reacting to what it observes: it opens a container it
 * sees CLOSED when the object it walked to is not listed, plugs in an appliance it sees
 * PLUGGED_OUT, skips switching what it sees already ON, stands up before walking, and when a
 * walk gives `Nothing happens.` it walks to the door and opens it (the door is one of the
 * gold program's bindings, pre-seeded from `object_id_dict` as in the original). It never reads
 * the world's hidden state. The generator runs this same expert to produce the gold program.
 */
import { formatTurn } from '../core/react';
import { hash32 } from '../core/rng';
import type { Policy, ResetInfo, StepInfo } from '../core/types';
import { spoken } from './catalogue';
import { actionText, type Verb } from './grammar';
import { readObservation, type SeenObservation } from './observation-parse';
import type { RecipeStep, VirtualhomeTask } from './task-types';

/** One expert move: the thought and the action (canonical lower-case text). */
export interface ExpertMove {
  thought: string;
  verb: Verb;
  args: string[];
}

class Stuck extends Error {}

type Run = Generator<ExpertMove, void, SeenObservation>;

const THOUGHTS: Record<string, string[]> = {
  room: ['I should go to the {0} first.', 'The task starts in the {0}, so I will walk there.', 'Let me head to the {0}.'],
  walk: ['I need the {0}, so I will walk to it.', 'Next I should get close to the {0}.', 'I will go to the {0} now.'],
  door: ['Nothing happened, so a door must be closed on the way; I will go to the door.', 'The way seems blocked, so I will walk to the door.'],
  open_door: ['The door is closed, so I will open it.', 'I will open the door to get through.'],
  reveal: ['The {0} is not in sight, so it must be inside the closed {1}; I will open it.', 'I cannot see the {0}; the {1} is closed, so I will open it.'],
  grab: ['The {0} is here, so I will grab it.', 'Now I can take the {0}.', 'I will pick up the {0}.'],
  put: ['I am at the {1}, so I will put the {0} {2} it.', 'Now I can put the {0} {2} the {1}.'],
  open: ['The {0} is closed, so I need to open it first.', 'I have to open the {0} before going on.'],
  close: ['The {0} is open, so I will close it.', 'I should close the {0} now.'],
  plug_in: ['The {0} is unplugged, so I will plug it in first.', 'The {0} needs power; I will plug it in.'],
  plug_out: ['Now I will unplug the {0}.', 'I should plug out the {0}.'],
  switch_on: ['I will switch on the {0}.', 'Now the {0} can be switched on.'],
  switch_off: ['I will switch off the {0}.', 'The {0} is on, so I will switch it off.'],
  stand_up: ['I need to stand up before moving.', 'I will stand up first.'],
  sit: ['I will sit on the {0}.', 'Now I can sit down on the {0}.'],
  lie: ['I will lie on the {0}.', 'Now I can lie down on the {0}.'],
  turn_to: ['I should face the {0}.', 'I will turn to the {0}.'],
  use: ['Now I can {1} the {0}.', 'Everything is ready, so I will {1} the {0}.'],
  sleep: ['I am lying down, so I can sleep now.', 'Time to sleep.'],
  pour: ['I will pour the {0} into the {1}.', 'Now I can pour the {0} into the {1}.'],
  wear: ['I will put on the {0}.', 'Now I can put the {0} on.'],
  clean: ['I will {1} the {0} to clean it.', 'The {0} needs cleaning, so I will {1} it.'],
};

/** Walks through a recipe, one move per observation. */
export class RecipeRunner {
  private readonly run: Run;
  private started = false;
  private turn = 0;
  /** The last observation that followed a successful action. */
  private seen: SeenObservation = { ok: true, listed: new Map(), held: [] };
  private last: SeenObservation = this.seen;
  private sitting = false;
  /** The class the last successful walk went to (so the expert does not walk there twice). */
  private at = '';
  private pendingMove: ExpertMove | null = null;
  /** Set when the recipe cannot continue (the generator then rejects the task). */
  stuck = false;
  done = false;

  constructor(private readonly recipe: readonly RecipeStep[]) {
    this.run = this.steps();
  }

  /** The next move, given the observation that answered the previous one (null at the start). */
  next(observation: string | null): ExpertMove | null {
    if (this.done || this.stuck) return null;
    let r: IteratorResult<ExpertMove, void>;
    try {
      if (!this.started) {
        this.started = true;
        r = this.run.next(this.seen);
      } else {
        const seen = readObservation(observation ?? '');
        this.remember(seen);
        r = this.run.next(seen);
      }
    } catch (e) {
      if (!(e instanceof Stuck)) throw e;
      this.stuck = true;
      return null;
    }
    if (r.done) {
      this.done = true;
      return null;
    }
    this.turn++;
    this.pendingMove = r.value;
    return r.value;
  }

  private remember(seen: SeenObservation): void {
    this.last = seen;
    const m = this.pendingMove;
    if (!seen.ok || !m) return;
    this.seen = seen;
    if (m.verb === 'walk') this.at = m.args[0] ?? '';
    if (m.verb === 'sit' || m.verb === 'lie') this.sitting = true;
    if (m.verb === 'stand_up') this.sitting = false;
  }

  private move(kind: string, verb: Verb, args: string[], words: string[] = args.map(spoken)): ExpertMove {
    const options = THOUGHTS[kind] as string[];
    const template = options[(this.turn + hash32(args.join(' '))) % options.length] as string;
    let thought = template;
    words.forEach((w, i) => {
      thought = thought.split(`{${i}}`).join(w);
    });
    return { thought, verb, args };
  }

  private *steps(): Run {
    for (const step of this.recipe) yield* this.perform(step);
  }

  private holding(cls: string): boolean {
    return this.seen.held.includes(cls);
  }

  private listed(cls: string): boolean {
    return this.seen.listed.has(cls);
  }

  private hasState(cls: string, state: string): boolean {
    return (this.seen.listed.get(cls) ?? []).includes(state);
  }

  /** Walks to a room or object; on `Nothing happens.` opens the door on the way once. */
  private *walk(cls: string, kind: 'room' | 'walk'): Run {
    if (this.sitting) {
      yield this.move('stand_up', 'stand_up', []);
      if (!this.last.ok) throw new Stuck();
    }
    yield this.move(kind, 'walk', [cls]);
    if (this.last.ok) return;
    yield this.move('door', 'walk', ['door']);
    if (!this.last.ok || !this.hasState('door', 'CLOSED')) throw new Stuck();
    yield this.move('open_door', 'open', ['door']);
    if (!this.last.ok) throw new Stuck();
    yield this.move(kind, 'walk', [cls]);
    if (!this.last.ok) throw new Stuck();
  }

  /**
   * Gets close to an object (unless it is held, already walked to, or reachable from the seat);
   * with `reveal`, opens the closed container it turns out to be in.
   */
  private *approach(cls: string, reveal: boolean): Run {
    if (this.holding(cls)) return;
    if (this.at === cls && this.listed(cls)) return;
    if (this.sitting && this.listed(cls)) return;
    yield* this.walk(cls, 'walk');
    if (!reveal || this.listed(cls)) return;
    const container = [...this.seen.listed.entries()].find(([name, states]) => name !== cls && states.includes('CLOSED'));
    if (!container) throw new Stuck();
    yield this.move('reveal', 'open', [container[0]], [spoken(cls), spoken(container[0])]);
    if (!this.last.ok || !this.listed(cls)) throw new Stuck();
  }

  /**
   * Opens a container seen CLOSED. Observations print the union of the states of every listed
   * instance of a class (the original's quirk), so `CLOSED and OPEN` may mean ours is open:
   * then a failed open is fine.
   */
  private *openIfClosed(cls: string): Run {
    if (!this.hasState(cls, 'CLOSED')) return;
    const maybeOpen = this.hasState(cls, 'OPEN');
    yield this.move('open', 'open', [cls]);
    if (!this.last.ok && !maybeOpen) throw new Stuck();
  }

  /** Yields one action that must succeed. */
  private *must(kind: string, verb: Verb, args: string[], words?: string[]): Run {
    yield this.move(kind, verb, args, words);
    if (!this.last.ok) throw new Stuck();
  }

  private *perform(step: RecipeStep): Run {
    switch (step.op) {
      case 'go':
        yield* this.walk(step.room, 'room');
        return;
      case 'fetch':
        if (this.holding(step.obj)) return;
        yield* this.approach(step.obj, true);
        yield* this.must('grab', 'grab', [step.obj]);
        return;
      case 'put':
        yield* this.approach(step.recep, false);
        if (step.rel === 'in') yield* this.openIfClosed(step.recep);
        yield* this.must('put', step.rel === 'in' ? 'put_in' : 'put_on', [step.obj, step.recep], [spoken(step.obj), spoken(step.recep), step.rel === 'in' ? 'in' : 'on']);
        return;
      case 'switch':
        yield* this.approach(step.obj, true);
        if (step.to === 'on') {
          if (this.hasState(step.obj, 'PLUGGED_OUT')) yield* this.must('plug_in', 'plug_in', [step.obj]);
          if (!this.hasState(step.obj, 'ON')) yield* this.must('switch_on', 'switch_on', [step.obj]);
        } else if (this.hasState(step.obj, 'ON')) yield* this.must('switch_off', 'switch_off', [step.obj]);
        return;
      case 'unplug':
        yield* this.approach(step.obj, true);
        if (this.hasState(step.obj, 'PLUGGED_IN')) yield* this.must('plug_out', 'plug_out', [step.obj]);
        return;
      case 'open':
        yield* this.approach(step.obj, true);
        yield* this.openIfClosed(step.obj);
        return;
      case 'close':
        yield* this.approach(step.obj, true);
        if (this.hasState(step.obj, 'OPEN')) yield* this.must('close', 'close', [step.obj]);
        return;
      case 'sit':
      case 'lie':
        if (this.sitting) yield* this.must('stand_up', 'stand_up', []);
        yield* this.approach(step.obj, false);
        yield* this.must(step.op, step.op, [step.obj]);
        return;
      case 'clean':
        yield* this.approach(step.obj, true);
        yield* this.must('clean', step.verb, [step.obj], [spoken(step.obj), step.verb]);
        return;
      case 'pour':
        yield* this.approach(step.recep, true);
        yield* this.must('pour', 'pour', [step.obj, step.recep]);
        return;
      case 'wear':
        yield* this.must('wear', 'wear', [step.obj]);
        return;
      case 'use':
        yield* this.use(step.verb, step.obj);
        return;
    }
  }

  private *use(verb: string, obj: string | undefined): Run {
    if (verb === 'sleep' || obj === undefined) {
      yield* this.must('sleep', 'sleep', []);
      return;
    }
    const engineVerb = verb.split(' ').join('_') as Verb;
    if (verb === 'watch' || verb === 'look at') {
      if (!this.sitting && !this.listed(obj)) yield* this.walk(obj, 'walk');
      yield* this.must('turn_to', 'turn_to', [obj]);
    } else if (verb !== 'drink' && verb !== 'read') {
      yield* this.approach(obj, true);
    }
    yield* this.must('use', engineVerb, [obj], [spoken(obj), verb]);
  }
}

/** The move as the agent's turn: `Thought: …\nAction: Walk to dining room`. */
export function renderMove(m: ExpertMove): string {
  const text = actionText(m.verb, m.args);
  return formatTurn(m.thought, text.charAt(0).toUpperCase() + text.slice(1));
}

/** Acts only on the task's recipe (class names) and the observations it receives. */
export class VirtualhomeExpert implements Policy {
  private runner: RecipeRunner | null = null;
  private first = true;

  begin(_observation: string, info: ResetInfo): void {
    const task = info.task as VirtualhomeTask;
    this.runner = new RecipeRunner(task.recipe);
    this.first = true;
  }

  act(lastObservation: string, _lastInfo: StepInfo | null): string {
    if (!this.runner) throw new Error('VirtualhomeExpert.act() before begin()');
    const m = this.runner.next(this.first ? null : lastObservation);
    this.first = false;
    // Past the end of the recipe (which should not happen: the goal holds by then), do nothing.
    return m ? renderMove(m) : formatTurn('I have done what the task asks.', 'Release');
  }
}
