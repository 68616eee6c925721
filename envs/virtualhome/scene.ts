/**
 * Compiles a task's JSON graph into flat arrays indexed by node position (nodes sorted by id,
 * so "lowest id" is "lowest index"). Compiled once per graph object and shared by every
 * episode on it; the mutable state lives in `World`.
 */
import { PROPERTIES, STATES, type Property } from './catalogue';
import type { Graph } from './task-types';

export const KIND_CHARACTER = 0;
export const KIND_ROOM = 1;
export const KIND_DOOR = 2;
/** Furniture, appliances, fixtures: never move. */
export const KIND_FIXED = 3;
/** GRABBABLE objects: the only nodes whose location changes. */
export const KIND_ITEM = 4;

export const REL_NONE = 0;
export const REL_ON = 1;
export const REL_INSIDE = 2;

/** State pairs a node carries (bit flags). */
export const PAIR_OPEN = 1;
export const PAIR_SWITCH = 2;
export const PAIR_PLUG = 4;
export const PAIR_DIRT = 8;

/** Bit of each state name in a state mask. */
export const STATE_BIT: Readonly<Record<string, number>> = Object.fromEntries(STATES.map((s, i) => [s, 1 << i]));
export const S_CLOSED = 1 << 0;
export const S_OPEN = 1 << 1;
export const S_ON = 1 << 2;
export const S_OFF = 1 << 3;
export const S_PLUGGED_IN = 1 << 4;
export const S_PLUGGED_OUT = 1 << 5;
export const S_CLEAN = 1 << 6;
export const S_DIRTY = 1 << 7;
export const S_SITTING = 1 << 8;
export const S_LYING = 1 << 9;

/** Property bits follow the catalogue's PROPERTIES order. */
const PROPERTY_NAMES: readonly Property[] = PROPERTIES;
/** Bit of each property in a property mask. */
export const PROP_BIT: Readonly<Record<string, number>> = Object.fromEntries(PROPERTY_NAMES.map((p, i) => [p, 1 << i]));
export const P_GRABBABLE = PROP_BIT.GRABBABLE as number;
export const P_CAN_OPEN = PROP_BIT.CAN_OPEN as number;
export const P_HAS_SWITCH = PROP_BIT.HAS_SWITCH as number;
export const P_HAS_PLUG = PROP_BIT.HAS_PLUG as number;
export const P_RECIPIENT = PROP_BIT.RECIPIENT as number;
export const P_DRINKABLE = PROP_BIT.DRINKABLE as number;
export const P_POURABLE = PROP_BIT.POURABLE as number;
export const P_EATABLE = PROP_BIT.EATABLE as number;
export const P_CUTTABLE = PROP_BIT.CUTTABLE as number;
export const P_SITTABLE = PROP_BIT.SITTABLE as number;
export const P_LIEABLE = PROP_BIT.LIEABLE as number;
export const P_LOOKABLE = PROP_BIT.LOOKABLE as number;
export const P_READABLE = PROP_BIT.READABLE as number;
export const P_CLOTHES = PROP_BIT.CLOTHES as number;
export const P_MOVABLE = PROP_BIT.MOVABLE as number;
export const P_CUTTING = PROP_BIT.CUTTING as number;

export function stateMask(states: readonly string[]): number {
  let m = 0;
  for (const s of states) m |= STATE_BIT[s] ?? 0;
  return m;
}

export function stateNames(mask: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < STATES.length; i++) if (mask & (1 << i)) out.push(STATES[i] as string);
  return out;
}

export interface Scene {
  n: number;
  ids: Int32Array;
  indexOfId: ReadonlyMap<number, number>;
  /** Class index of each node. */
  cls: Int32Array;
  classNames: readonly string[];
  classIndex: ReadonlyMap<string, number>;
  /** Node indices of each class, ascending id. */
  instances: readonly (readonly number[])[];
  props: Int32Array;
  pairs: Uint8Array;
  kind: Uint8Array;
  /** Room of fixed nodes and doors (a door's first room); the fallback room of loose items. */
  staticRoom: Int32Array;
  /** A door's second room (-1 for other nodes). */
  doorRoom2: Int32Array;
  /** Furniture proximity (the graph's CLOSE edges between non-character nodes). */
  staticClose: readonly (readonly number[])[];
  initParent: Int32Array;
  initRel: Uint8Array;
  initStates: Int32Array;
  character: number;
  initRoom: number;
  initHands: [number, number];
  initSitOn: number;
  rooms: Int32Array;
  doors: Int32Array;
  items: Int32Array;
  /** The floor node of each room (by node index; -1 when none). */
  floorOf: Int32Array;
  /** Per room node index: its bit in a room mask (0 for non-rooms). */
  roomBit: Int32Array;
  /** Per class: 1 when every instance is fixed furniture (its room never changes). */
  allFixed: Uint8Array;
  /** `[class * rooms + room slot]` → the lowest fixed instance of the class in that room, or -1. */
  firstInRoom: Int32Array;
  /** Per node: its slot among the rooms (-1 for non-rooms). */
  roomSlot: Int32Array;
}

const cache = new WeakMap<Graph, Scene>();

/** Compiles (or returns the cached compilation of) a graph. */
export function compileScene(graph: Graph): Scene {
  const hit = cache.get(graph);
  if (hit) return hit;
  const scene = build(graph);
  cache.set(graph, scene);
  return scene;
}

function build(graph: Graph): Scene {
  const nodes = graph.nodes.slice().sort((a, b) => a.id - b.id);
  const n = nodes.length;
  const ids = new Int32Array(n);
  const indexOfId = new Map<number, number>();
  const classIndex = new Map<string, number>();
  const classNames: string[] = [];
  const cls = new Int32Array(n);
  const props = new Int32Array(n);
  const pairs = new Uint8Array(n);
  const kind = new Uint8Array(n);
  const initStates = new Int32Array(n);
  let character = -1;
  nodes.forEach((node, i) => {
    ids[i] = node.id;
    indexOfId.set(node.id, i);
    let c = classIndex.get(node.class_name);
    if (c === undefined) {
      c = classNames.length;
      classIndex.set(node.class_name, c);
      classNames.push(node.class_name);
    }
    cls[i] = c;
    let pm = 0;
    for (const p of node.properties) pm |= PROP_BIT[p] ?? 0;
    props[i] = pm;
    const sm = stateMask(node.states);
    initStates[i] = sm;
    let pr = 0;
    if (pm & P_CAN_OPEN) pr |= PAIR_OPEN;
    if (pm & P_HAS_SWITCH) pr |= PAIR_SWITCH;
    if (pm & P_HAS_PLUG) pr |= PAIR_PLUG;
    if (sm & (S_CLEAN | S_DIRTY)) pr |= PAIR_DIRT;
    pairs[i] = pr;
    if (node.class_name === 'character') {
      kind[i] = KIND_CHARACTER;
      character = i;
    } else if (node.category === 'Rooms') kind[i] = KIND_ROOM;
    else if (pm & P_GRABBABLE) kind[i] = KIND_ITEM;
    else kind[i] = KIND_FIXED;
  });
  if (character < 0) throw new Error('virtualhome: the graph has no character node');

  const staticRoom = new Int32Array(n).fill(-1);
  const doorRoom2 = new Int32Array(n).fill(-1);
  const initParent = new Int32Array(n).fill(-1);
  const initRel = new Uint8Array(n);
  const closeLists: number[][] = Array.from({ length: n }, () => []);
  const initHands: [number, number] = [-1, -1];
  let initRoom = -1;
  let initSitOn = -1;
  for (const e of graph.edges) {
    const a = indexOfId.get(e.from_id);
    const b = indexOfId.get(e.to_id);
    if (a === undefined || b === undefined) continue;
    switch (e.relation_type) {
      case 'BETWEEN':
        kind[a] = KIND_DOOR;
        if (staticRoom[a] === -1) staticRoom[a] = b;
        else if (staticRoom[a] !== b) doorRoom2[a] = b;
        break;
      case 'INSIDE':
      case 'ON':
        if (a === character) {
          if (kind[b] === KIND_ROOM) initRoom = b;
          else if (e.relation_type === 'ON') initSitOn = b;
        } else if (kind[b] === KIND_ROOM) {
          if (staticRoom[a] === -1 || kind[a] !== KIND_DOOR) staticRoom[a] = b;
        } else {
          initParent[a] = b;
          initRel[a] = e.relation_type === 'ON' ? REL_ON : REL_INSIDE;
        }
        break;
      case 'CLOSE':
        if (a !== character && b !== character) {
          const la = closeLists[a] as number[];
          const lb = closeLists[b] as number[];
          if (!la.includes(b)) la.push(b);
          if (!lb.includes(a)) lb.push(a);
        }
        break;
      case 'HOLDS_RH':
        if (a === character) initHands[0] = b;
        break;
      case 'HOLDS_LH':
        if (a === character) initHands[1] = b;
        break;
      default:
        break;
    }
  }
  if (initRoom < 0) throw new Error('virtualhome: the character is inside no room');
  // Furniture standing on furniture (a computer on a desk) is close to it.
  for (let i = 0; i < n; i++) {
    const p = initParent[i] as number;
    if (p < 0 || kind[i] === KIND_ITEM || kind[p] === KIND_ITEM) continue;
    const la = closeLists[i] as number[];
    const lb = closeLists[p] as number[];
    if (!la.includes(p)) la.push(p);
    if (!lb.includes(i)) lb.push(i);
  }
  // BETWEEN edges may arrive after INSIDE ones: doors keep their two rooms.
  const rooms: number[] = [];
  const doors: number[] = [];
  const items: number[] = [];
  const roomBit = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (kind[i] === KIND_ROOM) {
      roomBit[i] = 1 << rooms.length;
      rooms.push(i);
    } else if (kind[i] === KIND_DOOR) doors.push(i);
    else if (kind[i] === KIND_ITEM) items.push(i);
  }
  if (rooms.length > 30) throw new Error('virtualhome: at most 30 rooms');
  const floorOf = new Int32Array(n).fill(-1);
  const floorClass = classIndex.get('floor');
  if (floorClass !== undefined) {
    for (let i = n - 1; i >= 0; i--) if (cls[i] === floorClass && (staticRoom[i] as number) >= 0) floorOf[staticRoom[i] as number] = i;
  }
  const instanceLists: number[][] = classNames.map(() => []);
  for (let i = 0; i < n; i++) (instanceLists[cls[i] as number] as number[]).push(i);
  const allFixed = new Uint8Array(classNames.length);
  const nRooms = rooms.length;
  const roomSlot = new Int32Array(n).fill(-1);
  rooms.forEach((r, k) => (roomSlot[r] = k));
  const firstInRoom = new Int32Array(classNames.length * nRooms).fill(-1);
  instanceLists.forEach((list, c) => {
    allFixed[c] = list.every((i) => kind[i] === KIND_FIXED) ? 1 : 0;
    for (const i of list) {
      const r = staticRoom[i] as number;
      if (kind[i] !== KIND_FIXED || r < 0) continue;
      const k = c * nRooms + (roomSlot[r] as number);
      if (firstInRoom[k] === -1) firstInRoom[k] = i;
    }
  });
  return {
    n,
    ids,
    indexOfId,
    cls,
    classNames,
    classIndex,
    instances: instanceLists,
    props,
    pairs,
    kind,
    staticRoom,
    doorRoom2,
    staticClose: closeLists.map((l) => l.sort((x, y) => x - y)),
    initParent,
    initRel,
    initStates,
    character,
    initRoom,
    initHands,
    initSitOn,
    rooms: Int32Array.from(rooms),
    doors: Int32Array.from(doors),
    items: Int32Array.from(items),
    floorOf,
    roomBit,
    allFixed,
    firstInRoom,
    roomSlot,
  };
}
