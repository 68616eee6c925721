/**
 * The evolving-graph world: the mutable state of one episode over a compiled `Scene`, the
 * deterministic object binder, and each verb's preconditions (`can`) and effects (`apply`)
 * after VirtualHome's `execution.py`, as summarised in docs/environments.md §3.2.
 * `can` is pure, so the admissible list and execution always agree.
 */
import { parseAction, type ParsedAction, type Verb } from './grammar';
import {
  KIND_CHARACTER,
  KIND_DOOR,
  KIND_ITEM,
  KIND_ROOM,
  PAIR_DIRT,
  PAIR_OPEN,
  PAIR_PLUG,
  PAIR_SWITCH,
  P_CAN_OPEN,
  P_CLOTHES,
  P_CUTTABLE,
  P_CUTTING,
  P_DRINKABLE,
  P_EATABLE,
  P_GRABBABLE,
  P_HAS_SWITCH,
  P_LIEABLE,
  P_LOOKABLE,
  P_MOVABLE,
  P_POURABLE,
  P_READABLE,
  P_RECIPIENT,
  P_SITTABLE,
  REL_INSIDE,
  REL_NONE,
  REL_ON,
  S_CLEAN,
  S_CLOSED,
  S_DIRTY,
  S_LYING,
  S_OFF,
  S_ON,
  S_OPEN,
  S_PLUGGED_IN,
  S_PLUGGED_OUT,
  S_SITTING,
  type Scene,
} from './scene';

/** Verbs that only record an event (no state change), and their event codes. */
export const EVENT_VERBS: readonly Verb[] = [
  'drink',
  'look_at',
  'watch',
  'wipe',
  'type_on',
  'wash',
  'rinse',
  'scrub',
  'cut',
  'eat',
  'sleep',
  'wake_up',
  'pour',
  'move',
  'push',
  'pull',
  'touch',
  'point_at',
  'read',
  'squeeze',
];
const EVENT_CODE = new Map<Verb, number>(EVENT_VERBS.map((v, i) => [v, i + 1]));

/** The key of "verb was executed on node". */
export function eventKey(verb: Verb, node: number): number {
  return (EVENT_CODE.get(verb) ?? 0) * 65536 + node;
}

const bindingCache = new WeakMap<object, { scene: Scene; bound: Int32Array }>();

/** class index → node of a binding dictionary (cached per dictionary object). */
function initialBindings(scene: Scene, bindings: Readonly<Record<string, number>>): Int32Array {
  const hit = bindingCache.get(bindings);
  if (hit && hit.scene === scene) return hit.bound;
  const bound = new Int32Array(scene.classNames.length).fill(-1);
  for (const [name, id] of Object.entries(bindings)) {
    const c = scene.classIndex.get(name);
    const i = scene.indexOfId.get(id);
    if (c !== undefined && i !== undefined && scene.cls[i] === c) bound[c] = i;
  }
  bindingCache.set(bindings, { scene, bound });
  return bound;
}

export class World {
  readonly scene: Scene;
  /** Bumped on every change (state, location, binding): caches key on it. */
  version = 0;
  states: Int32Array;
  parent: Int32Array;
  rel: Uint8Array;
  agentRoom: number;
  rh: number;
  lh: number;
  /** What the character sits or lies on (-1 when standing). */
  sitOn: number;
  facing: number;
  /** The last object an executed action used (binding priority 3). */
  lastUsed = -1;
  /** 1 for the nodes statically CLOSE to `lastUsed`. */
  private readonly nearLast: Uint8Array;
  readonly closeFlag: Uint8Array;
  readonly closeList: number[] = [];
  /** class index → bound node (-1 when unbound); pre-seeded with object_id_dict. */
  readonly bound: Int32Array;
  /** `pour X into Y` edges (X INSIDE Y), flattened pairs. */
  readonly pours: number[] = [];
  readonly events = new Set<number>();
  private doorVersion = 0;
  private reachKey = -1;
  private reachMask = 0;

  constructor(scene: Scene, bindings: Readonly<Record<string, number>> = {}) {
    this.scene = scene;
    this.states = scene.initStates.slice();
    this.parent = scene.initParent.slice();
    this.rel = scene.initRel.slice();
    this.agentRoom = scene.initRoom;
    this.rh = scene.initHands[0];
    this.lh = scene.initHands[1];
    this.sitOn = scene.initSitOn;
    this.facing = -1;
    this.closeFlag = new Uint8Array(scene.n);
    this.nearLast = new Uint8Array(scene.n);
    this.bound = initialBindings(scene, bindings).slice();
    if (this.rh >= 0) this.addClose(this.rh);
    if (this.lh >= 0) this.addClose(this.lh);
  }

  // ---------------------------------------------------------------- queries

  isHeld(i: number): boolean {
    return i >= 0 && (this.rh === i || this.lh === i);
  }

  holdsAny(): boolean {
    return this.rh >= 0 || this.lh >= 0;
  }

  freeHand(): boolean {
    return this.rh < 0 || this.lh < 0;
  }

  isSittingOrLying(): boolean {
    return ((this.states[this.scene.character] as number) & (S_SITTING | S_LYING)) !== 0;
  }

  /** The room a node is in now (a door counts as being in the agent's room when it borders it). */
  roomOf(i: number): number {
    const s = this.scene;
    for (let depth = 0; depth < 8; depth++) {
      const k = s.kind[i];
      if (k === KIND_ROOM) return i;
      if (k === KIND_CHARACTER) return this.agentRoom;
      if (k === KIND_DOOR) return s.doorRoom2[i] === this.agentRoom ? this.agentRoom : (s.staticRoom[i] as number);
      if (k === KIND_ITEM) {
        if (this.rh === i || this.lh === i) return this.agentRoom;
        const p = this.parent[i] as number;
        if (p < 0) return s.staticRoom[i] as number;
        i = p;
        continue;
      }
      return s.staticRoom[i] as number;
    }
    return -1;
  }

  /** Inside a closed container (directly or through what it lies on). */
  isHidden(i: number): boolean {
    const s = this.scene;
    for (let depth = 0; depth < 8 && i >= 0; depth++) {
      const p = this.parent[i] as number;
      if (p < 0 || p === s.character) return false;
      if (this.rel[i] === REL_INSIDE && s.pairs[p]! & PAIR_OPEN && this.states[p]! & S_CLOSED) return true;
      i = p;
    }
    return false;
  }

  /** In the agent's room and not inside a closed container (`utils.get_visible_nodes`). */
  isVisible(i: number): boolean {
    return this.roomOf(i) === this.agentRoom && !this.isHidden(i);
  }

  /** Rooms reachable from the agent's room through open doors (a bit mask). */
  reachableRooms(): number {
    const key = this.doorVersion * 65536 + this.agentRoom;
    if (key === this.reachKey) return this.reachMask;
    const s = this.scene;
    let mask = s.roomBit[this.agentRoom] as number;
    for (let grew = true; grew; ) {
      grew = false;
      for (let k = 0; k < s.doors.length; k++) {
        const d = s.doors[k] as number;
        if (this.states[d]! & S_CLOSED) continue;
        const a = s.roomBit[s.staticRoom[d] as number] as number;
        const b = s.doorRoom2[d]! >= 0 ? (s.roomBit[s.doorRoom2[d] as number] as number) : 0;
        if (mask & a && !(mask & b)) {
          mask |= b;
          grew = true;
        } else if (mask & b && !(mask & a)) {
          mask |= a;
          grew = true;
        }
      }
    }
    this.reachKey = key;
    this.reachMask = mask;
    return mask;
  }

  /** Whether `ancestor` is somewhere under `i`'s location chain (prevents put cycles). */
  private isUnder(i: number, ancestor: number): boolean {
    for (let depth = 0; depth < 8 && i >= 0; depth++) {
      if (i === ancestor) return true;
      i = this.parent[i] as number;
    }
    return false;
  }

  // ---------------------------------------------------------------- binding

  /**
   * Which node a class name means now, without recording it: the bound id, else an instance
   * close to the agent, else one on/inside/close to the last-used object, else one in the
   * agent's room, else the lowest id (the original picks a random instance at this point).
   */
  resolve(c: number): number {
    const b = this.bound[c] as number;
    if (b >= 0) return b;
    const inst = this.scene.instances[c] as readonly number[];
    if (inst.length === 1) return inst[0] as number;
    const m = inst.length;
    for (let k = 0; k < m; k++) if (this.closeFlag[inst[k] as number]) return inst[k] as number;
    const last = this.lastUsed;
    if (last >= 0) {
      for (let k = 0; k < m; k++) {
        const i = inst[k] as number;
        if (this.parent[i] === last || this.nearLast[i]) return i;
      }
    }
    const s = this.scene;
    if (s.allFixed[c]) {
      const first = s.firstInRoom[c * s.rooms.length + (s.roomSlot[this.agentRoom] as number)] as number;
      return first >= 0 ? first : (inst[0] as number);
    }
    for (let k = 0; k < m; k++) if (this.roomOf(inst[k] as number) === this.agentRoom) return inst[k] as number;
    return inst[0] as number;
  }

  /** Resolves and records a binding (`specific_objects`), as `change_obj_index` does. */
  bind(c: number): number {
    const i = this.resolve(c);
    if (this.bound[c] !== i) {
      this.bound[c] = i;
      this.version++;
    }
    return i;
  }

  // ---------------------------------------------------------------- execution

  /** Parses, binds and executes an action; true when it succeeded. */
  execute(action: string): boolean {
    const parsed = parseAction(action);
    return parsed !== null && this.executeParsed(parsed);
  }

  /** The bound node indices of a parsed action's arguments, or null when a class is missing. */
  bindArgs(parsed: ParsedAction): number[] | null {
    const out: number[] = [];
    let ok = true;
    for (const name of parsed.args) {
      const c = this.scene.classIndex.get(name);
      if (c === undefined) ok = false;
      else out.push(this.bind(c));
    }
    return ok ? out : null;
  }

  executeParsed(parsed: ParsedAction): boolean {
    const args = this.bindArgs(parsed);
    if (args === null) return false;
    const a = args[0] ?? -1;
    const b = args[1] ?? -1;
    if (!this.can(parsed.verb, a, b)) return false;
    this.apply(parsed.verb, a, b);
    this.version++;
    if (b >= 0) this.setLastUsed(b);
    else if (a >= 0) this.setLastUsed(a);
    return true;
  }

  private setLastUsed(i: number): void {
    const s = this.scene;
    if (this.lastUsed >= 0) {
      const old = s.staticClose[this.lastUsed] as readonly number[];
      for (let k = 0; k < old.length; k++) this.nearLast[old[k] as number] = 0;
    }
    this.lastUsed = i;
    const near = s.staticClose[i] as readonly number[];
    for (let k = 0; k < near.length; k++) this.nearLast[near[k] as number] = 1;
  }

  /** Preconditions (pure). `a`/`b` are node indices (-1 when absent). */
  can(verb: Verb, a: number, b: number): boolean {
    const s = this.scene;
    const ch = s.character;
    const cstate = this.states[ch] as number;
    switch (verb) {
      case 'stand_up':
      case 'sleep':
      case 'wake_up':
        return (cstate & (S_SITTING | S_LYING)) !== 0;
      case 'release':
        return false; // the template has no argument but the script action needs one
      case 'greet':
        return false; // there is nobody to greet
      default:
        break;
    }
    if (a < 0 || a === ch) return false;
    const ka = s.kind[a];
    if (verb === 'walk' || verb === 'run' || verb === 'find') {
      if (cstate & (S_SITTING | S_LYING)) return false;
      const reach = this.reachableRooms();
      if (ka === KIND_DOOR) {
        const r2 = s.doorRoom2[a] as number;
        return (reach & (s.roomBit[s.staticRoom[a] as number] as number)) !== 0 || (r2 >= 0 && (reach & (s.roomBit[r2] as number)) !== 0);
      }
      const room = this.roomOf(a);
      return room >= 0 && (reach & (s.roomBit[room] as number)) !== 0;
    }
    if (ka === KIND_ROOM) return false;
    if (this.isHidden(a)) return false;
    return this.canOnVisible(verb, a, b);
  }

  /**
   * The verb-specific part of `can`, for `a` an object (not the character, not a room) that is
   * not inside a closed container. The admissible list calls it directly on close objects.
   */
  canOnVisible(verb: Verb, a: number, b: number): boolean {
    const s = this.scene;
    const ch = s.character;
    const cstate = this.states[ch] as number;
    const pa = s.props[a] as number;
    const sa = this.states[a] as number;
    const close = this.closeFlag[a] === 1;
    const held = this.rh === a || this.lh === a;
    switch (verb) {
      case 'grab':
        return (pa & P_GRABBABLE) !== 0 && close && !held && this.parent[a] !== ch && this.freeHand();
      case 'open':
        return (s.pairs[a]! & PAIR_OPEN) !== 0 && close && this.freeHand() && (sa & S_CLOSED) !== 0 && (sa & S_ON) === 0;
      case 'close':
        return (s.pairs[a]! & PAIR_OPEN) !== 0 && close && (sa & S_OPEN) !== 0;
      case 'put_on':
      case 'put_in': {
        if (!held || b < 0 || b === a || b === ch || s.kind[b] === KIND_ROOM || this.isHeld(b)) return false;
        if (!this.closeFlag[b] || this.isHidden(b) || this.isUnder(b, a)) return false;
        if (verb === 'put_in' && s.props[b]! & P_CAN_OPEN && !(this.states[b]! & S_OPEN)) return false;
        return true;
      }
      case 'pour':
        return held && ((pa & (P_POURABLE | P_DRINKABLE)) !== 0) && b >= 0 && b !== a && (s.props[b]! & P_RECIPIENT) !== 0 && this.closeFlag[b] === 1 && !this.isHidden(b);
      case 'switch_on':
        return (s.pairs[a]! & PAIR_SWITCH) !== 0 && close && (sa & S_OFF) !== 0 && (sa & S_PLUGGED_OUT) === 0;
      case 'switch_off':
        return (s.pairs[a]! & PAIR_SWITCH) !== 0 && close && (sa & S_ON) !== 0;
      case 'plug_in':
        return (s.pairs[a]! & PAIR_PLUG) !== 0 && close && this.freeHand() && (sa & S_PLUGGED_OUT) !== 0;
      case 'plug_out':
        return (s.pairs[a]! & PAIR_PLUG) !== 0 && close && this.freeHand() && (sa & S_PLUGGED_IN) !== 0;
      case 'drink':
        return held && (pa & (P_DRINKABLE | P_RECIPIENT)) !== 0;
      case 'read':
        return held && (pa & P_READABLE) !== 0;
      case 'look_at':
        return this.facing === a && this.roomOf(a) === this.agentRoom;
      case 'watch':
        return (pa & P_LOOKABLE) !== 0 && this.facing === a && this.roomOf(a) === this.agentRoom;
      case 'turn_to':
      case 'point_at':
        return this.roomOf(a) === this.agentRoom;
      case 'sit':
        return (pa & P_SITTABLE) !== 0 && close && (cstate & (S_SITTING | S_LYING)) === 0;
      case 'lie':
        return (pa & P_LIEABLE) !== 0 && close && (cstate & (S_SITTING | S_LYING)) === 0;
      case 'wipe':
        return close && ((this.rh >= 0 && this.rh !== a) || (this.lh >= 0 && this.lh !== a));
      case 'wash':
      case 'rinse':
      case 'scrub':
      case 'touch':
        return close;
      case 'cut':
        return close && (pa & P_EATABLE) !== 0 && (pa & P_CUTTABLE) !== 0 && this.holdsCutting();
      case 'eat':
        return close && (pa & P_EATABLE) !== 0;
      case 'type_on':
        return close && (s.classNames[s.cls[a] as number] === 'keyboard' || (pa & P_HAS_SWITCH) !== 0);
      case 'move':
      case 'push':
      case 'pull':
        return close && (pa & P_MOVABLE) !== 0 && !held;
      case 'squeeze':
        return close && (pa & P_GRABBABLE) !== 0;
      case 'drop':
        return held && (s.floorOf[this.agentRoom] as number) >= 0;
      case 'put_back': {
        const home = s.initParent[a] as number;
        if (!held || home < 0 || !this.closeFlag[home]) return false;
        return !(s.initRel[a] === REL_INSIDE && s.props[home]! & P_CAN_OPEN && !(this.states[home]! & S_OPEN));
      }
      case 'wear':
        return held && (pa & P_CLOTHES) !== 0;
      case 'take_off':
        return this.parent[a] === ch && this.freeHand();
      default:
        return false;
    }
  }

  private holdsCutting(): boolean {
    const p = this.scene.props;
    return (this.rh >= 0 && (p[this.rh]! & P_CUTTING) !== 0) || (this.lh >= 0 && (p[this.lh]! & P_CUTTING) !== 0);
  }

  /** Effects; call only after `can` returned true. */
  apply(verb: Verb, a: number, b: number): void {
    const s = this.scene;
    const ch = s.character;
    switch (verb) {
      case 'walk':
      case 'run':
      case 'find':
        this.walkTo(a);
        return;
      case 'grab':
      case 'take_off': // taking clothes off puts them in a hand, like grabbing
        if (this.rh < 0) this.rh = a;
        else this.lh = a;
        this.parent[a] = -1;
        this.rel[a] = REL_NONE;
        this.addClose(a);
        return;
      case 'open':
        this.setPair(a, S_OPEN, S_CLOSED);
        if (s.kind[a] === KIND_DOOR) this.doorVersion++;
        return;
      case 'close':
        this.setPair(a, S_CLOSED, S_OPEN);
        if (s.kind[a] === KIND_DOOR) this.doorVersion++;
        return;
      case 'put_on':
      case 'put_in':
        this.release(a);
        this.parent[a] = b;
        this.rel[a] = verb === 'put_on' ? REL_ON : REL_INSIDE;
        return;
      case 'put_back':
        this.release(a);
        this.parent[a] = s.initParent[a] as number;
        this.rel[a] = s.initRel[a] as number;
        return;
      case 'drop':
        this.release(a);
        this.parent[a] = s.floorOf[this.agentRoom] as number;
        this.rel[a] = REL_ON;
        return;
      case 'wear':
        this.release(a);
        this.parent[a] = ch;
        this.rel[a] = REL_ON;
        return;
      case 'switch_on':
        this.setPair(a, S_ON, S_OFF);
        return;
      case 'switch_off':
        this.setPair(a, S_OFF, S_ON);
        return;
      case 'plug_in':
        this.setPair(a, S_PLUGGED_IN, S_PLUGGED_OUT);
        return;
      case 'plug_out':
        this.setPair(a, S_PLUGGED_OUT, S_PLUGGED_IN);
        if (s.pairs[a]! & PAIR_SWITCH && this.states[a]! & S_ON) this.setPair(a, S_OFF, S_ON); // unplugged appliances go off
        return;
      case 'sit':
        this.states[ch] = (this.states[ch] as number) | S_SITTING;
        this.sitOn = a;
        return;
      case 'lie':
        this.states[ch] = (this.states[ch] as number) | S_LYING;
        this.sitOn = a;
        return;
      case 'stand_up':
        this.states[ch] = (this.states[ch] as number) & ~(S_SITTING | S_LYING);
        this.sitOn = -1;
        return;
      case 'turn_to':
        this.facing = a;
        return;
      case 'wipe':
      case 'wash':
      case 'rinse':
      case 'scrub':
        if (s.pairs[a]! & PAIR_DIRT && this.states[a]! & S_DIRTY) this.setPair(a, S_CLEAN, S_DIRTY);
        this.events.add(eventKey(verb, a));
        return;
      case 'pour': {
        let present = false;
        for (let k = 0; k < this.pours.length; k += 2) if (this.pours[k] === a && this.pours[k + 1] === b) present = true;
        if (!present) this.pours.push(a, b);
        this.events.add(eventKey(verb, a));
        return;
      }
      case 'sleep':
      case 'wake_up':
        this.events.add(eventKey(verb, ch));
        return;
      default:
        this.events.add(eventKey(verb, a));
        return;
    }
  }

  private setPair(i: number, on: number, off: number): void {
    this.states[i] = ((this.states[i] as number) & ~off) | on;
  }

  /** Frees the hand holding `a` (the object stays close to the agent). */
  private release(a: number): void {
    if (this.rh === a) this.rh = -1;
    else if (this.lh === a) this.lh = -1;
  }

  /** Adds a node to the close set, keeping `closeList` in ascending index (= id) order. */
  addClose(i: number): void {
    if (this.closeFlag[i]) return;
    this.closeFlag[i] = 1;
    const list = this.closeList;
    let k = list.length;
    list.push(i);
    while (k > 0 && (list[k - 1] as number) > i) {
      list[k] = list[k - 1] as number;
      k--;
    }
    list[k] = i;
  }

  private clearClose(): void {
    for (const i of this.closeList) this.closeFlag[i] = 0;
    this.closeList.length = 0;
  }

  /**
   * Walk/run/find: the agent ends INSIDE the target's room; for an object it ends CLOSE to it,
   * to what lies on or in it, to the furniture near it (static CLOSE edges) and, when the object
   * is inside a container, to that container. Held objects come along.
   */
  private walkTo(a: number): void {
    const s = this.scene;
    this.clearClose();
    if (this.rh >= 0) this.addClose(this.rh);
    if (this.lh >= 0) this.addClose(this.lh);
    if (s.kind[a] === KIND_ROOM) {
      // Worn clothes stay with the agent too.
      for (let k = 0; k < s.items.length; k++) if (this.parent[s.items[k] as number] === s.character) this.addClose(s.items[k] as number);
      this.agentRoom = a;
      this.facing = -1;
      return;
    }
    if (s.kind[a] === KIND_DOOR) {
      const r2 = s.doorRoom2[a] as number;
      const r1 = s.staticRoom[a] as number;
      const reach = this.reachableRooms();
      this.agentRoom = r1 === this.agentRoom || r2 === this.agentRoom ? this.agentRoom : reach & (s.roomBit[r1] as number) ? r1 : r2;
    } else {
      this.agentRoom = this.roomOf(a);
    }
    this.facing = a;
    this.addClose(a);
    for (let k = 0; k < s.items.length; k++) {
      const i = s.items[k] as number;
      if (this.parent[i] === a || this.parent[i] === s.character) this.addClose(i);
    }
    const near = s.staticClose[a] as readonly number[];
    for (let k = 0; k < near.length; k++) this.addClose(near[k] as number);
    // The containers it is inside (through whatever it lies on): the agent can reach their doors.
    for (let i = a, depth = 0; depth < 8; depth++) {
      const p = this.parent[i] as number;
      if (p < 0 || p === s.character) break;
      if (this.rel[i] === REL_INSIDE) this.addClose(p);
      i = p;
    }
  }
}
