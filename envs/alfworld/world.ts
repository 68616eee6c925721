/**
 * The ALFWorld state machine (TextWorld PDDL semantics as used by ETO/SPA): a command is executed
 * only if it is, character for character, one of the admissible commands of the current state;
 * anything else is `Nothing happens.` and changes nothing. The goal is checked on the state after
 * every command.
 *
 * Speed: state lives in flat arrays indexed by integer ids. A command is decoded directly (name
 * lookups + the PDDL preconditions, `decode`) instead of being searched in a list, and the sorted
 * admissible list is built only when asked for and only after the state it depends on changed.
 * `decode(c) !== NONE` ⇔ `admissible().includes(c)` is pinned by a test.
 */
import { NOTHING_HAPPENS } from '../core/react';
import { canContain, COOLABLE, CLEANABLE, HEATABLE, PORTABLE_TYPES, TOGGLEABLE_TYPES } from './catalogue';
import { compareDisplayOrder, type AlfworldTask } from './task';
import { compareStrings, sceneModel, type SceneModel } from './scene-model';
import { texts } from './text';

// Command kinds, packed with their arguments into one number: kind + 16·object + 65536·receptacle.
const GOTO = 0;
const OPEN = 1;
const CLOSE = 2;
const TAKE = 3;
const PUT = 4;
const USE = 5;
const HEAT = 6;
const COOL = 7;
const CLEAN = 8;
const EXAMINE_RECEPTACLE = 9;
const EXAMINE_OBJECT = 10;
const INVENTORY = 11;
const LOOK = 12;
const OBJ = 16;
const REC = 16 * 4096;
/** Not a command of the current state. */
const NONE = -1;

export interface WorldOutcome {
  text: string;
  valid: boolean;
  /** The goal holds in the state after this command. */
  won: boolean;
}

export class AlfworldWorld {
  private readonly m: SceneModel;
  private readonly task: AlfworldTask;
  // --- dynamic state (copied from the model's initial state) --------------------------------
  private readonly recOpen: boolean[];
  private readonly recContents: number[][];
  /** Receptacle id holding each object, -1 when in the agent's hand. */
  private readonly objParent: number[];
  private readonly objHot: boolean[];
  private readonly objCool: boolean[];
  private readonly objClean: boolean[];
  private readonly objToggled: boolean[];
  /** -1: the middle of the room (start). */
  private agentLocation = -1;
  private held = -1;
  private won = false;
  /** The sorted admissible list; null after a change that may alter it. */
  private actions: string[] | null = null;

  constructor(task: AlfworldTask) {
    this.task = task;
    const m = sceneModel(task);
    this.m = m;
    this.recOpen = m.initialOpen.slice();
    this.recContents = m.initialContents.map((c) => c.slice());
    this.objParent = m.initialParent.slice();
    this.objHot = m.initialHot.slice();
    this.objCool = m.initialCool.slice();
    this.objClean = m.initialClean.slice();
    this.objToggled = new Array<boolean>(m.objName.length).fill(false);
    this.won = this.goalMet();
  }

  /** `You are in the middle of a room. Looking quickly around you, you see …, and a ….` */
  intro(): string {
    return this.m.introText;
  }

  /** The SPA task message: the intro and the goal joined by a single newline. */
  taskMessage(): string {
    return this.m.introText + '\n' + texts.task(this.task.goal);
  }

  isWon(): boolean {
    return this.won;
  }

  /** The commands executable now, sorted. The same array until the state changes: do not mutate. */
  admissible(): string[] {
    if (this.actions === null) this.actions = this.enumerate();
    return this.actions;
  }

  /** Whether `command` is, exactly, an admissible command of the current state. */
  isAdmissible(command: string): boolean {
    return this.decode(command) !== NONE;
  }

  execute(command: string): WorldOutcome {
    const code = this.decode(command);
    if (code === NONE) return { text: NOTHING_HAPPENS, valid: false, won: this.won };
    const text = this.apply(code);
    this.won = this.goalMet();
    return { text, valid: true, won: this.won };
  }

  // --- preconditions ------------------------------------------------------------------------

  private here(r: number): boolean {
    return this.m.recLocation[r] === this.agentLocation;
  }

  /** Contents can be seen and reached: a surface, or an open container. */
  private visible(r: number): boolean {
    return !this.m.recOpenable[r] || (this.recOpen[r] as boolean);
  }

  /** heat/cool/clean: the held object fits the appliance standing here (no need to open it). */
  private treatKind(r: number, o: number): number {
    if (o !== this.held || !this.here(r)) return NONE;
    const t = this.m.objType[o] as string;
    switch (this.m.recType[r]) {
      case 'microwave':
        return HEATABLE.has(t) ? HEAT : NONE;
      case 'fridge':
        return COOLABLE.has(t) ? COOL : NONE;
      case 'sinkbasin':
        return CLEANABLE.has(t) ? CLEAN : NONE;
      default:
        return NONE;
    }
  }

  /** Splits `<a><sep><b>` into the ids of object a and receptacle b (-1 if either is unknown). */
  private pair(rest: string, sep: string): [number, number] {
    const i = rest.indexOf(sep);
    if (i < 0) return [-1, -1];
    return [this.m.objByName.get(rest.slice(0, i)) ?? -1, this.m.recByName.get(rest.slice(i + sep.length)) ?? -1];
  }

  /** The packed command if `command` is admissible now, else NONE. */
  private decode(command: string): number {
    if (command === 'look') return LOOK;
    if (command === 'inventory') return INVENTORY;
    const sp = command.indexOf(' ');
    if (sp < 0) return NONE;
    const rest = command.slice(sp + 1);
    switch (command.slice(0, sp)) {
      case 'go': {
        if (!rest.startsWith('to ')) return NONE;
        const r = this.m.recByName.get(rest.slice(3));
        return r !== undefined && !this.here(r) ? GOTO + REC * r : NONE;
      }
      case 'open':
      case 'close': {
        const r = this.m.recByName.get(rest);
        if (r === undefined || !this.here(r) || !this.m.recOpenable[r]) return NONE;
        const opening = command.charCodeAt(0) === 111; // 'o'
        return this.recOpen[r] !== opening ? (opening ? OPEN : CLOSE) + REC * r : NONE;
      }
      case 'take': {
        const [o, r] = this.pair(rest, ' from ');
        if (o < 0 || r < 0 || this.held >= 0 || this.objParent[o] !== r || !this.here(r) || !this.visible(r)) return NONE;
        return PORTABLE_TYPES.has(this.m.objType[o] as string) ? TAKE + OBJ * o + REC * r : NONE;
      }
      case 'put': {
        const [o, r] = this.pair(rest, ' in/on ');
        if (o < 0 || r < 0 || o !== this.held || !this.here(r) || !this.visible(r)) return NONE;
        return canContain(this.m.recType[r] as string, this.m.objType[o] as string) ? PUT + OBJ * o + REC * r : NONE;
      }
      case 'use': {
        const o = this.m.objByName.get(rest);
        if (o === undefined || !TOGGLEABLE_TYPES.has(this.m.objType[o] as string)) return NONE;
        const p = this.objParent[o] as number;
        return p >= 0 && this.here(p) && this.visible(p) ? USE + OBJ * o : NONE;
      }
      case 'heat':
      case 'cool':
      case 'clean': {
        const [o, r] = this.pair(rest, ' with ');
        if (o < 0 || r < 0) return NONE;
        const kind = this.treatKind(r, o);
        const wanted = command.charCodeAt(0) === 104 ? HEAT : command.charCodeAt(1) === 111 ? COOL : CLEAN; // h / co / cl
        return kind === wanted ? kind + OBJ * o + REC * r : NONE;
      }
      case 'examine': {
        const r = this.m.recByName.get(rest);
        if (r !== undefined) return this.here(r) ? EXAMINE_RECEPTACLE + REC * r : NONE;
        const o = this.m.objByName.get(rest);
        if (o === undefined) return NONE;
        if (o === this.held) return EXAMINE_OBJECT + OBJ * o;
        const p = this.objParent[o] as number;
        return p >= 0 && this.here(p) && this.visible(p) ? EXAMINE_OBJECT + OBJ * o : NONE;
      }
      default:
        return NONE;
    }
  }

  /**
   * Every admissible command of the current state, sorted (the same preconditions as `decode`).
   * The `go to` commands come presorted from the model; only the few commands at the agent's spot
   * are sorted, and placed around that block (those before `g`, the block, the rest).
   */
  private enumerate(): string[] {
    const m = this.m;
    const local: string[] = ['inventory', 'look'];
    const held = this.held;
    const heldName = held >= 0 ? (m.objName[held] as string) : '';
    if (this.agentLocation >= 0) {
      for (const r of m.locationReceptacles[this.agentLocation] as number[]) {
        const rname = m.recName[r] as string;
        local.push('examine ' + rname);
        const visible = this.visible(r);
        if (m.recOpenable[r]) local.push((visible ? 'close ' : 'open ') + rname);
        if (held >= 0) {
          const kind = this.treatKind(r, held);
          if (kind !== NONE) local.push((kind === HEAT ? 'heat ' : kind === COOL ? 'cool ' : 'clean ') + heldName + ' with ' + rname);
        }
        if (!visible) continue;
        for (const o of this.recContents[r] as number[]) {
          const oname = m.objName[o] as string;
          const t = m.objType[o] as string;
          local.push('examine ' + oname);
          if (held < 0 && PORTABLE_TYPES.has(t)) local.push('take ' + oname + ' from ' + rname);
          if (TOGGLEABLE_TYPES.has(t)) local.push('use ' + oname);
        }
        if (held >= 0 && canContain(m.recType[r] as string, m.objType[held] as string)) local.push('put ' + heldName + ' in/on ' + rname);
      }
    }
    if (held >= 0) local.push('examine ' + heldName);
    local.sort(compareStrings);
    // The `go to` commands form one block (nothing else starts with `g`), already sorted.
    const out: string[] = [];
    let i = 0;
    while (i < local.length && (local[i] as string) < 'go to ') out.push(local[i++] as string);
    const here = this.agentLocation;
    for (let k = 0; k < m.goToSorted.length; k++) if (m.recLocation[m.goToReceptacle[k] as number] !== here) out.push(m.goToSorted[k] as string);
    while (i < local.length) out.push(local[i++] as string);
    return out;
  }

  // --- effects ------------------------------------------------------------------------------

  private apply(code: number): string {
    const kind = code % OBJ;
    const o = Math.floor(code / OBJ) % 4096;
    const r = Math.floor(code / REC);
    const rname = this.m.recName[r] as string;
    const oname = this.m.objName[o] as string;
    switch (kind) {
      case GOTO:
        this.agentLocation = this.m.recLocation[r] as number;
        this.actions = null;
        return this.describe(r);
      case OPEN:
        this.recOpen[r] = true;
        this.actions = null;
        return texts.open(rname, this.contentNames(r));
      case CLOSE:
        this.recOpen[r] = false;
        this.actions = null;
        return texts.close(rname);
      case TAKE: {
        const c = this.recContents[r] as number[];
        c.splice(c.indexOf(o), 1);
        this.objParent[o] = -1;
        this.held = o;
        this.actions = null;
        return texts.take(oname, rname);
      }
      case PUT: {
        const c = this.recContents[r] as number[];
        let i = 0;
        while (i < c.length && compareDisplayOrder(this.m.objName[c[i] as number] as string, oname) < 0) i++;
        c.splice(i, 0, o);
        this.objParent[o] = r;
        this.held = -1;
        this.actions = null;
        return texts.put(oname, rname);
      }
      case USE:
        this.objToggled[o] = true;
        return texts.use(oname);
      case HEAT:
        this.objHot[o] = true;
        this.objCool[o] = false;
        return texts.heat(oname, rname);
      case COOL:
        this.objCool[o] = true;
        this.objHot[o] = false;
        return texts.cool(oname, rname);
      case CLEAN:
        this.objClean[o] = true;
        return texts.clean(oname, rname);
      case EXAMINE_RECEPTACLE:
        return this.describe(r);
      case EXAMINE_OBJECT:
        return texts.examineObject(oname, this.objHot[o] as boolean, this.objCool[o] as boolean, this.objClean[o] as boolean);
      case INVENTORY:
        return this.held < 0 ? texts.inventoryEmpty : texts.inventory(this.m.objName[this.held] as string);
      case LOOK:
        if (this.agentLocation < 0) return this.m.introText;
        return texts.look((this.m.locationReceptacles[this.agentLocation] as number[]).map((x) => this.m.recName[x] as string));
      default:
        return NOTHING_HAPPENS;
    }
  }

  /** What `go to` and `examine` show: closed, open with contents, or a surface with contents. */
  private describe(r: number): string {
    const name = this.m.recName[r] as string;
    if (!this.m.recOpenable[r]) return texts.surface(name, this.contentNames(r));
    return this.recOpen[r] ? texts.openReceptacle(name, this.contentNames(r)) : texts.closedReceptacle(name);
  }

  private contentNames(r: number): string[] {
    return (this.recContents[r] as number[]).map((o) => this.m.objName[o] as string);
  }

  // --- goal and progress --------------------------------------------------------------------

  private inGoalReceptacle(o: number): boolean {
    const p = this.objParent[o] as number;
    return p >= 0 && this.m.recType[p] === this.task.receptacle;
  }

  /** The state the task asks for (clean/hot/cool); always true for the other types. */
  private hasState(o: number): boolean {
    switch (this.task.taskType) {
      case 'clean':
        return this.objClean[o] as boolean;
      case 'heat':
        return this.objHot[o] as boolean;
      case 'cool':
        return this.objCool[o] as boolean;
      default:
        return true;
    }
  }

  /** Most target objects in one goal receptacle instance (puttwo needs two in the same one). */
  private maxInOneGoalReceptacle(): number {
    let best = 0;
    for (const r of this.m.goalReceptacles) {
      let n = 0;
      for (const o of this.recContents[r] as number[]) if (this.m.objType[o] === this.task.object) n++;
      if (n > best) best = n;
    }
    return best;
  }

  /** A lamp of the goal type is on and stands at the agent's spot. */
  private lampOnHere(): boolean {
    for (const l of this.m.lamps) {
      const p = this.objParent[l] as number;
      if (this.objToggled[l] && p >= 0 && this.here(p)) return true;
    }
    return false;
  }

  private holdsTarget(): boolean {
    return this.held >= 0 && this.m.objType[this.held] === this.task.object;
  }

  private goalMet(): boolean {
    switch (this.task.taskType) {
      case 'examine':
        return this.holdsTarget() && this.lampOnHere();
      case 'puttwo':
        return this.maxInOneGoalReceptacle() >= 2;
      default:
        for (const o of this.m.targets) if (this.inGoalReceptacle(o) && this.hasState(o)) return true;
        return false;
    }
  }

  /**
   * Oracle progress: the share of the task's sub-goals that hold in the current state (README,
   * "Progress"). Equals 1 exactly when the goal holds.
   */
  progress(): number {
    const holding = this.holdsTarget();
    switch (this.task.taskType) {
      case 'put':
        return ((holding || this.won ? 1 : 0) + (this.won ? 1 : 0)) / 2;
      case 'clean':
      case 'heat':
      case 'cool': {
        let placed = false;
        let treated = holding && this.hasState(this.held);
        for (const o of this.m.targets) {
          if (!this.inGoalReceptacle(o)) continue;
          placed = true;
          if (this.hasState(o)) treated = true;
        }
        return ((holding || placed ? 1 : 0) + (treated ? 1 : 0) + (this.won ? 1 : 0)) / 3;
      }
      case 'puttwo': {
        const m = this.maxInOneGoalReceptacle();
        return ((holding || m >= 1 ? 1 : 0) + (m >= 1 ? 1 : 0) + (m >= 2 || (m >= 1 && holding) ? 1 : 0) + (m >= 2 ? 1 : 0)) / 4;
      }
      case 'examine': {
        let toggled = false;
        for (const l of this.m.lamps) if (this.objToggled[l]) toggled = true;
        return ((holding ? 1 : 0) + (toggled ? 1 : 0) + (this.won ? 1 : 0)) / 3;
      }
    }
  }
}
