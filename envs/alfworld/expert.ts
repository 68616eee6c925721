/**
 * A belief-based expert in the manner of ALFWorld's handcoded_expert: it knows only what the agent
 * has been told (the receptacle list, the goal sentence, every feedback text) plus general world
 * knowledge (what can go where and where things usually are, catalogue.ts). It never reads the
 * scene. Sub-goal scripts:
 *
 *   put      find(O) → take(O) → goto(R) → [open] → put
 *   clean    find(O) → take(O) → goto(sinkbasin) → clean → goto(R) → [open] → put   (heat, cool alike)
 *   puttwo   the put script twice, into the same R, never re-taking the one already placed
 *   examine  find(O) → take(O) → find(lamp) → use(lamp)
 *
 * find(X) goes to the receptacle where an X was last seen; otherwise it searches receptacles in
 * prior order (most likely per instance first, closed types count double as they cost an `open`),
 * opening closed ones and never closing them (the real SFT trajectories do not close).
 *
 * `AlfworldListedOrderHeuristic` is the same agent searching in the listed (intro) order: the
 * "visit receptacles in listed order" baseline of environments.md 5.2.
 */
import { formatTurn } from '../core/react';
import type { Policy, ResetInfo, StepInfo } from '../core/types';
import { APPLIANCE, LAMP_SURFACES, OPENABLE_TYPES, placementWeight, type LampType } from './catalogue';
import { parseGoal, type GoalSpec } from './goals';
import { isNothingHappens, observationBody, parseReceptacleView, parseTaskMessage } from './observation-parser';
import { numberOfName, typeOfName } from './task';

interface SeenItem {
  name: string;
  type: string;
  num: number;
}

function seenItem(name: string): SeenItem {
  return { name, type: typeOfName(name), num: numberOfName(name) };
}

type LastAction =
  | { kind: 'goto' | 'open' | 'examine'; receptacle: string }
  | { kind: 'take'; object: string; receptacle: string }
  | { kind: 'put'; object: string; receptacle: string }
  | { kind: 'treat' | 'use'; object: string }
  | { kind: 'none' };

export type SearchOrder = 'prior' | 'listed';

/** `in` a container, `on` a surface (thoughts only; the command itself always says `in/on`). */
function preposition(receptacle: string): string {
  const t = typeOfName(receptacle);
  return OPENABLE_TYPES.has(t) || t === 'sinkbasin' || t === 'bathtubbasin' || t === 'garbagecan' || t === 'laundryhamper' ? 'in' : 'on';
}

export class AlfworldExpert implements Policy {
  private receptacles: string[] = [];
  private goal: GoalSpec | null = null;
  /** Contents last seen per receptacle (names with their types); absent = never seen inside. */
  private seen = new Map<string, SeenItem[]>();
  private closed = new Set<string>();
  /** Receptacles at the agent's current spot (a failed `go to` reveals a shared spot). */
  private here = new Set<string>();
  private holding: string | null = null;
  private treated = false;
  private placed: string[] = [];
  private goalReceptacle: string | null = null;
  private last: LastAction = { kind: 'none' };
  private turn = 0;
  private orders = new Map<string, string[]>();
  private ranks = new Map<string, Map<string, number>>();

  constructor(private readonly searchOrder: SearchOrder = 'prior') {}

  begin(observation: string, _info: ResetInfo): void {
    // Only the text: `_info.task` holds the scene, which the agent cannot see.
    const msg = parseTaskMessage(observation);
    this.receptacles = msg.receptacles;
    this.goal = parseGoal(msg.goal);
    this.seen = new Map();
    this.closed = new Set();
    this.here = new Set();
    this.holding = null;
    this.treated = false;
    this.placed = [];
    this.goalReceptacle = null;
    this.last = { kind: 'none' };
    this.turn = 0;
    this.orders = new Map();
    this.ranks = new Map();
  }

  act(lastObservation: string, _lastInfo: StepInfo | null): string {
    this.observe(observationBody(lastObservation));
    const [thought, action] = this.decide();
    this.note(action);
    this.turn++;
    return formatTurn(thought, action);
  }

  // --- belief update ------------------------------------------------------------------------

  private observe(body: string): void {
    const last = this.last;
    const failed = isNothingHappens(body);
    switch (last.kind) {
      case 'goto':
        if (failed) this.here.add(last.receptacle); // already standing there: it shares this spot
        else {
          this.here = new Set([last.receptacle]);
          this.readView(body, last.receptacle);
        }
        break;
      case 'open':
      case 'examine':
        if (!failed) this.readView(body, last.receptacle);
        break;
      case 'take':
        if (!failed) {
          this.holding = last.object;
          this.treated = false;
          const items = this.seen.get(last.receptacle);
          if (items) this.seen.set(last.receptacle, items.filter((o) => o.name !== last.object));
        }
        break;
      case 'put':
        if (!failed) {
          this.holding = null;
          this.placed.push(last.object);
          this.seen.set(last.receptacle, [...(this.seen.get(last.receptacle) ?? []), seenItem(last.object)]);
        }
        break;
      case 'treat':
        if (!failed) this.treated = true;
        break;
      case 'use': // the episode ends when the lamp is on with the object in hand
      case 'none':
        break;
    }
  }

  private readView(body: string, r: string): void {
    const view = parseReceptacleView(body, r);
    if (!view) return;
    if (view.closed) this.closed.add(r);
    else {
      this.closed.delete(r);
      this.seen.set(r, view.items.map(seenItem));
    }
  }

  // --- decisions ----------------------------------------------------------------------------

  private decide(): [string, string] {
    const g = this.goal;
    if (!g) return ['I cannot read the task, so I will look around.', 'look'];
    const o = g.object;
    if (g.taskType === 'examine') {
      if (!this.holding) return this.findAndTake(o);
      const lamp = g.toggle as string;
      const at = this.whereSeen(lamp);
      if (at) {
        if (this.here.has(at)) return [this.pick([`Now I can turn on the ${lamp} to look at the ${o}.`, `I will switch on the ${lamp} and examine the ${o} under it.`]), `use ${this.lampName(at, lamp)}`];
        return this.go(at, [`I have the ${o}; the ${lamp} is at the ${at}, so I will go there.`, `Next I will bring the ${o} to the ${lamp} at the ${at}.`]);
      }
      return this.explore(lamp, `I need to find a ${lamp} to look at the ${o} under it.`);
    }
    if (!this.holding) {
      if (this.placed.length === 1) return this.findAndTake(o, `One ${o} is in place; now I need to find another one.`);
      return this.findAndTake(o);
    }
    const held = this.holding;
    if ((g.taskType === 'heat' || g.taskType === 'cool' || g.taskType === 'clean') && !this.treated) {
      const verb = g.taskType;
      const app = this.firstOfType(APPLIANCE[g.taskType]);
      if (this.here.has(app)) return [this.pick([`I will ${verb} the ${held} with the ${app}.`, `Now I can ${verb} the ${held} using the ${app}.`]), `${verb} ${held} with ${app}`];
      return this.go(app, [`Now I need to ${verb} the ${held}, so I will go to the ${app}.`, `To ${verb} the ${held}, I will go to the ${app}.`]);
    }
    const target = this.chooseGoalReceptacle(g.receptacle as string);
    if (this.here.has(target)) {
      if (this.closed.has(target)) return [this.pick([`The ${target} is closed, so I will open it.`, `I will open the ${target} first.`]), `open ${target}`];
      if (!this.seen.has(target)) return [`The ${target} is right here, so I will look at it.`, `examine ${target}`];
      return [this.pick([`I will put the ${held} ${preposition(target)} the ${target}.`, `Now I can place the ${held} ${preposition(target)} the ${target}.`]), `put ${held} in/on ${target}`];
    }
    return this.go(target, [`Now I will take the ${held} to the ${target}.`, `Next, I need to put the ${held} ${preposition(target)} the ${target}, so I will go there.`]);
  }

  /** Takes a visible X, goes to where one was seen, or searches for one. */
  private findAndTake(type: string, searchThought?: string): [string, string] {
    const at = this.whereSeen(type);
    if (at) {
      const obj = this.availableIn(at, type) as string;
      if (this.here.has(at)) return [this.pick([`I see a ${obj} here, so I will take it.`, `There is a ${obj} at the ${at}; I will pick it up.`]), `take ${obj} from ${at}`];
      return this.go(at, [`I saw a ${type} at the ${at}, so I will go back there.`, `I remember a ${type} at the ${at}; I will go there.`]);
    }
    return this.explore(type, searchThought);
  }

  /** Moves on to the next receptacle to search for `type`, opening or examining it once there. */
  private explore(type: string, thought?: string): [string, string] {
    const next = this.searchOrderFor(type).find((r) => !this.seen.has(r));
    if (!next) return ['I have looked everywhere; I will look around again.', 'look'];
    if (this.here.has(next)) {
      if (this.closed.has(next)) return [this.pick([`The ${next} is closed, so I will open it.`, `I will open the ${next} to see what is inside.`]), `open ${next}`];
      return [`The ${next} is right here, so I will look at it.`, `examine ${next}`];
    }
    const usual = [`I need to find a ${type}. The ${next} is a likely place, so I will go there.`, `A ${type} may be at the ${next}; let me check it.`, `I have not found a ${type} yet, so I will look at the ${next} next.`];
    return this.go(next, thought ? [thought, ...usual.slice(1)] : usual);
  }

  private go(r: string, thoughts: string[]): [string, string] {
    return [this.pick(thoughts), `go to ${r}`];
  }

  private pick(options: readonly string[]): string {
    return options[this.turn % options.length] as string;
  }

  /** Records the action about to be issued so that the next observation can be read against it. */
  private note(action: string): void {
    const w = action.split(' ');
    if (action.startsWith('go to ')) this.last = { kind: 'goto', receptacle: action.slice(6) };
    else if (w[0] === 'open' || w[0] === 'examine') this.last = { kind: w[0], receptacle: action.slice(w[0].length + 1) };
    else if (w[0] === 'take') {
      const i = action.indexOf(' from ');
      this.last = { kind: 'take', object: action.slice(5, i), receptacle: action.slice(i + 6) };
    } else if (w[0] === 'put') {
      const i = action.indexOf(' in/on ');
      this.last = { kind: 'put', object: action.slice(4, i), receptacle: action.slice(i + 7) };
    } else if (w[0] === 'heat' || w[0] === 'cool' || w[0] === 'clean') this.last = { kind: 'treat', object: action.slice(w[0].length + 1, action.indexOf(' with ')) };
    else if (w[0] === 'use') this.last = { kind: 'use', object: action.slice(4) };
    else this.last = { kind: 'none' };
  }

  // --- memory queries -----------------------------------------------------------------------

  /** An object of `type` seen in `r` that is not one we already placed (lowest number first). */
  private availableIn(r: string, type: string): string | null {
    const items = this.seen.get(r);
    if (!items || r === this.goalReceptacle) return null; // what is in the goal receptacle stays there
    let best: SeenItem | null = null;
    for (const o of items) {
      if (o.type !== type || this.placed.includes(o.name)) continue;
      if (best === null || o.num < best.num) best = o;
    }
    return best ? best.name : null;
  }

  /** Where an available object of `type` was seen: here first, then the earliest in search order. */
  private whereSeen(type: string): string | null {
    for (const r of this.here) if (this.availableIn(r, type)) return r;
    const rank = this.searchRankFor(type);
    let best: string | null = null;
    for (const r of this.seen.keys()) {
      if (this.availableIn(r, type) && (best === null || (rank.get(r) as number) < (rank.get(best) as number))) best = r;
    }
    return best;
  }

  private lampName(r: string, lamp: string): string {
    return this.availableIn(r, lamp) as string;
  }

  private firstOfType(type: string): string {
    return this.receptacles.find((r) => typeOfName(r) === type) ?? `${type} 1`;
  }

  /** The instance of R to fill: one here, else one already open/seen, else a surface, else the lowest number. */
  private chooseGoalReceptacle(type: string): string {
    if (this.goalReceptacle) return this.goalReceptacle;
    const candidates = this.receptacles.filter((r) => typeOfName(r) === type);
    let choice: string;
    if (this.searchOrder === 'listed') choice = candidates[0] as string;
    else {
      const rank = (r: string) => (this.here.has(r) ? 0 : this.seen.has(r) ? 1 : 2);
      choice = candidates.slice().sort((a, b) => rank(a) - rank(b) || numberOfName(a) - numberOfName(b))[0] as string;
    }
    this.goalReceptacle = choice;
    return choice;
  }

  /**
   * Receptacles in the order to search for `type`. Prior order: the chance that one instance holds
   * it (catalogue.ts's placement prior), halved for types that usually need an `open`; receptacles
   * that cannot hold it come last; ties by type name, then lower number first.
   */
  private searchOrderFor(type: string): string[] {
    let order = this.orders.get(type);
    if (order) return order;
    const recs = this.receptacles;
    if (this.searchOrder === 'listed') order = recs.slice();
    else {
      const isLamp = type === 'desklamp' || type === 'floorlamp';
      // A goal never starts satisfied: the object is not already in a receptacle of the goal type.
      const goalType = this.goal?.object === type ? this.goal.receptacle : null;
      const types = recs.map(typeOfName);
      const nums = recs.map(numberOfName);
      const score = types.map((t) => {
        if (t === goalType) return 0;
        const w = isLamp ? (LAMP_SURFACES[type as LampType].includes(t) ? 1 : 0) : placementWeight(type, t);
        return w / (OPENABLE_TYPES.has(t) ? 2 : 1);
      });
      const idx = recs.map((_, i) => i);
      idx.sort((a, b) => {
        const d = (score[b] as number) - (score[a] as number);
        if (d !== 0) return d;
        const ta = types[a] as string;
        const tb = types[b] as string;
        if (ta !== tb) return ta < tb ? -1 : 1;
        return (nums[a] as number) - (nums[b] as number);
      });
      order = idx.map((i) => recs[i] as string);
    }
    this.orders.set(type, order);
    return order;
  }

  /** Position of each receptacle in the search order for `type`. */
  private searchRankFor(type: string): Map<string, number> {
    let rank = this.ranks.get(type);
    if (!rank) {
      rank = new Map(this.searchOrderFor(type).map((r, i) => [r, i]));
      this.ranks.set(type, rank);
    }
    return rank;
  }
}

/** The "visit receptacles in listed order" baseline: the expert's agent without the placement prior. */
export class AlfworldListedOrderHeuristic extends AlfworldExpert {
  constructor() {
    super('listed');
  }
}
