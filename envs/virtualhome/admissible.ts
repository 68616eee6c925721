/**
 * The actions executable now, as the agent would type them (`walk to water glass`). The
 * original exposes no such list; this one serves the random-valid baseline and diagnostics.
 * It resolves each class with the same binder as execution (without recording) and checks the
 * same preconditions (`World.can`), so every listed action succeeds. It is on the random
 * policy's hot path, so it prunes by what can possibly apply: only walking (and turning,
 * pointing, looking) is possible for objects out of reach, and only verbs a node's properties
 * allow are tried on close ones. Strings are built once per scene.
 */
import { actionText, TEMPLATES, type Verb } from './grammar';
import {
  KIND_DOOR,
  KIND_FIXED,
  KIND_ITEM,
  KIND_ROOM,
  PAIR_OPEN,
  PAIR_PLUG,
  PAIR_SWITCH,
  P_CLOTHES,
  P_CUTTABLE,
  P_DRINKABLE,
  P_EATABLE,
  P_GRABBABLE,
  P_HAS_SWITCH,
  P_LIEABLE,
  P_LOOKABLE,
  P_MOVABLE,
  P_READABLE,
  P_RECIPIENT,
  P_SITTABLE,
  type Scene,
} from './scene';
import type { World } from './world';

/** Whether a verb can ever apply to a node, judging by its properties alone. */
function staticallyPossible(verb: Verb, scene: Scene, i: number): boolean {
  const p = scene.props[i] as number;
  const pairs = scene.pairs[i] as number;
  switch (verb) {
    case 'grab':
    case 'squeeze':
    case 'drop':
    case 'put_back':
      return (p & P_GRABBABLE) !== 0;
    case 'open':
    case 'close':
      return (pairs & PAIR_OPEN) !== 0;
    case 'switch_on':
    case 'switch_off':
      return (pairs & PAIR_SWITCH) !== 0;
    case 'plug_in':
    case 'plug_out':
      return (pairs & PAIR_PLUG) !== 0;
    case 'drink':
      return (p & (P_DRINKABLE | P_RECIPIENT)) !== 0;
    case 'read':
      return (p & P_READABLE) !== 0;
    case 'watch':
      return (p & P_LOOKABLE) !== 0;
    case 'sit':
      return (p & P_SITTABLE) !== 0;
    case 'lie':
      return (p & P_LIEABLE) !== 0;
    case 'cut':
      return (p & P_EATABLE) !== 0 && (p & P_CUTTABLE) !== 0;
    case 'eat':
      return (p & P_EATABLE) !== 0;
    case 'type_on':
      return scene.classNames[scene.cls[i] as number] === 'keyboard' || (p & P_HAS_SWITCH) !== 0;
    case 'move':
    case 'push':
    case 'pull':
      return (p & P_MOVABLE) !== 0;
    case 'wear':
    case 'take_off':
      return (p & P_CLOTHES) !== 0;
    case 'greet':
    case 'release':
    case 'walk':
    case 'run':
    case 'find':
      return false;
    default:
      return true; // look_at, turn_to, point_at, wipe, wash, rinse, scrub, touch
  }
}

interface SceneTables {
  /** Per class: [walk, run, find] texts. */
  walkTexts: string[][];
  /** Per class: [turn to, point at, look at, watch] texts. */
  farTexts: string[][];
  /** Per node: the one-argument verbs worth trying when it is close, with their texts (for its class). */
  closeVerbs: Verb[][];
  closeTexts: string[][];
  /** Two-argument texts, built on first use: key (verb * classes + held class) * classes + receptacle class. */
  pairTexts: Map<number, string>;
}

const tables = new WeakMap<Scene, SceneTables>();

const ONE_ARG: readonly Verb[] = TEMPLATES.filter((tpl) => tpl.nargs === 1).map((tpl) => tpl.verb);
/** Class name → the text of each one-argument verb (in ONE_ARG order); shared by all scenes. */
const classTexts = new Map<string, string[]>();

function oneArgTexts(className: string): string[] {
  let t = classTexts.get(className);
  if (!t) {
    t = ONE_ARG.map((v) => actionText(v, [className]));
    classTexts.set(className, t);
  }
  return t;
}

/** `class|props|pairs` → the verbs worth trying on such a node when close, and their texts. */
const closeTables = new Map<string, { verbs: Verb[]; texts: string[] }>();

function tablesOf(scene: Scene): SceneTables {
  let t = tables.get(scene);
  if (t) return t;
  const closeVerbs: Verb[][] = [];
  const closeTexts: string[][] = [];
  for (let i = 0; i < scene.n; i++) {
    const name = scene.classNames[scene.cls[i] as number] as string;
    // Nodes of a class nearly always share properties: compute each signature once per process.
    const key = `${name}|${scene.props[i]}|${scene.pairs[i]}`;
    let entry = closeTables.get(key);
    if (!entry) {
      const texts = oneArgTexts(name);
      entry = { verbs: [], texts: [] };
      for (let k = 0; k < ONE_ARG.length; k++) {
        if (!staticallyPossible(ONE_ARG[k] as Verb, scene, i)) continue;
        entry.verbs.push(ONE_ARG[k] as Verb);
        entry.texts.push(texts[k] as string);
      }
      closeTables.set(key, entry);
    }
    closeVerbs.push(entry.verbs);
    closeTexts.push(entry.texts);
  }
  t = {
    walkTexts: scene.classNames.map((c) => (['walk', 'run', 'find'] as Verb[]).map((v) => oneArgTexts(c)[ONE_ARG.indexOf(v)] as string)),
    farTexts: scene.classNames.map((c) => (['turn_to', 'point_at', 'look_at', 'watch'] as Verb[]).map((v) => oneArgTexts(c)[ONE_ARG.indexOf(v)] as string)),
    closeVerbs,
    closeTexts,
    pairTexts: new Map(),
  };
  tables.set(scene, t);
  return t;
}

const ZERO_ARG: readonly [Verb, string][] = (['stand_up', 'sleep', 'wake_up'] as Verb[]).map((v) => [v, actionText(v, [])]);
const TWO_ARG_VERBS: readonly Verb[] = ['put_on', 'put_in', 'pour'];

// Scratch buffers reused across calls (the list is recomputed on most random-policy steps);
// the result is a copy of `scratch`, so it keeps its capacity between calls.
const scratch: string[] = [];
let resolved = new Int32Array(64);
const heldClasses: number[] = [];
const closeClasses: number[] = [];

export function computeAdmissible(w: World): string[] {
  const s = w.scene;
  const t = tablesOf(s);
  const out = scratch;
  out.length = 0;
  for (const [v, text] of ZERO_ARG) if (w.can(v, -1, -1)) out.push(text);
  const sitting = w.isSittingOrLying();
  const reach = sitting ? 0 : w.reachableRooms();
  const nClasses = s.classNames.length;
  if (resolved.length < nClasses) resolved = new Int32Array(nClasses * 2);
  heldClasses.length = 0;
  closeClasses.length = 0;
  const agentRoom = w.agentRoom;
  const bound = w.bound;
  const instances = s.instances;
  for (let c = 0; c < nClasses; c++) {
    const b = bound[c] as number;
    const inst = instances[c] as readonly number[];
    const i = b >= 0 ? b : inst.length === 1 ? (inst[0] as number) : w.resolve(c);
    resolved[c] = i;
    if (i === s.character) continue;
    const kind = s.kind[i];
    // Fixed furniture never moves and is never inside a closed container.
    const room = kind === KIND_FIXED ? (s.staticRoom[i] as number) : kind === KIND_ROOM ? i : w.roomOf(i);
    // walk / run / find share one precondition.
    let walkable: boolean;
    if (kind === KIND_DOOR) {
      const r2 = s.doorRoom2[i] as number;
      walkable = (reach & (s.roomBit[s.staticRoom[i] as number] as number)) !== 0 || (r2 >= 0 && (reach & (s.roomBit[r2] as number)) !== 0);
    } else walkable = room >= 0 && (reach & (s.roomBit[room] as number)) !== 0;
    if (walkable) {
      const wt = t.walkTexts[c] as string[];
      out.push(wt[0] as string, wt[1] as string, wt[2] as string);
    }
    if (kind === KIND_ROOM || (kind === KIND_ITEM && w.isHidden(i))) continue;
    if (w.closeFlag[i]) {
      if (kind === KIND_ITEM && w.isHeld(i)) heldClasses.push(c);
      closeClasses.push(c);
      const verbs = t.closeVerbs[i] as Verb[];
      const texts = t.closeTexts[i] as string[];
      for (let k = 0; k < verbs.length; k++) if (w.canOnVisible(verbs[k] as Verb, i, -1)) out.push(texts[k] as string);
    } else if (room === agentRoom) {
      const ft = t.farTexts[c] as string[];
      out.push(ft[0] as string, ft[1] as string);
      if (w.facing === i) {
        out.push(ft[2] as string);
        if (s.props[i]! & P_LOOKABLE) out.push(ft[3] as string);
      }
    }
  }
  // Two-argument actions: a held object (as its class resolves) with each close receptacle.
  for (const c of heldClasses) {
    const x = resolved[c] as number;
    for (const d of closeClasses) {
      const y = resolved[d] as number;
      for (let k = 0; k < TWO_ARG_VERBS.length; k++) {
        const v = TWO_ARG_VERBS[k] as Verb;
        if (!w.can(v, x, y)) continue;
        const key = (k * nClasses + c) * nClasses + d;
        let text = t.pairTexts.get(key);
        if (text === undefined) {
          text = actionText(v, [s.classNames[c] as string, s.classNames[d] as string]);
          t.pairTexts.set(key, text);
        }
        out.push(text);
      }
    }
  }
  return out.slice();
}
