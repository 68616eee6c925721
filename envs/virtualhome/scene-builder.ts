/**
 * Builds one task's initial graph on top of an apartment: random initial states (containers
 * closed or open, appliances off and sometimes unplugged, dishes and tables sometimes dirty, at
 * most one closed door), the task's objects in plausible places, distractor objects, and the
 * character's start room. All draws come from the task's `Rng`.
 */
import type { Rng } from '../core/rng';
import type { Apartment } from './apartments';
import { classInfo, type RoomClass } from './catalogue';
import type { Graph, GraphEdge, GraphNode } from './task-types';

export type Rel = 'ON' | 'INSIDE';
/** Where an object may lie: [receptacle class, relation, weight]. */
export type Home = [string, Rel, number];

const KITCHEN_DISH: Home[] = [
  ['kitchen_cabinet', 'INSIDE', 3],
  ['kitchen_counter', 'ON', 2],
  ['table', 'ON', 1],
  ['dishwasher', 'INSIDE', 1],
  ['sink', 'INSIDE', 1],
];
const CUTLERY: Home[] = [
  ['kitchen_cabinet', 'INSIDE', 2],
  ['kitchen_counter', 'ON', 2],
  ['table', 'ON', 1],
  ['sink', 'INSIDE', 0.5],
];
const COLD: Home[] = [
  ['fridge', 'INSIDE', 4],
  ['kitchen_counter', 'ON', 1],
  ['table', 'ON', 1],
];
const READING: Home[] = [
  ['bookshelf', 'ON', 3],
  ['desk', 'ON', 1],
  ['nightstand', 'ON', 1],
  ['table', 'ON', 1],
  ['couch', 'ON', 0.5],
  ['bed', 'ON', 0.5],
  ['filing_cabinet', 'INSIDE', 0.5],
];
const BATH: Home[] = [
  ['bathroom_counter', 'ON', 3],
  ['bathroom_cabinet', 'INSIDE', 2],
  ['sink', 'INSIDE', 0.5],
];
const CLEANING: Home[] = [
  ['kitchen_counter', 'ON', 2],
  ['sink', 'INSIDE', 1],
  ['kitchen_cabinet', 'INSIDE', 1],
  ['bathroom_cabinet', 'INSIDE', 0.5],
];
const CLOTHES: Home[] = [
  ['dresser', 'INSIDE', 3],
  ['closet', 'INSIDE', 3],
  ['bed', 'ON', 1],
  ['chair', 'ON', 0.5],
];

/** The prior over places of every movable class (the expert never sees it). */
export const HOMES: Record<string, Home[]> = {
  water_glass: [...KITCHEN_DISH, ['desk', 'ON', 0.5]],
  cup: [...KITCHEN_DISH, ['desk', 'ON', 0.5]],
  mug: [...KITCHEN_DISH, ['desk', 'ON', 0.5]],
  plate: KITCHEN_DISH,
  bowl: KITCHEN_DISH,
  pot: [
    ['stove', 'ON', 2],
    ['kitchen_cabinet', 'INSIDE', 2],
    ['oven', 'INSIDE', 1],
    ['sink', 'INSIDE', 1],
  ],
  frying_pan: [
    ['stove', 'ON', 2],
    ['kitchen_cabinet', 'INSIDE', 2],
    ['sink', 'INSIDE', 1],
  ],
  fork: CUTLERY,
  spoon: CUTLERY,
  knife: CUTLERY,
  milk: COLD,
  juice: COLD,
  wine: [
    ['fridge', 'INSIDE', 2],
    ['kitchen_cabinet', 'INSIDE', 1],
    ['table', 'ON', 1],
  ],
  ground_coffee: [
    ['kitchen_cabinet', 'INSIDE', 3],
    ['kitchen_counter', 'ON', 2],
  ],
  apple: COLD,
  bananas: COLD,
  carrot: COLD,
  cupcake: COLD,
  bread_slice: [
    ['kitchen_counter', 'ON', 2],
    ['table', 'ON', 1],
    ['fridge', 'INSIDE', 1],
    ['toaster', 'INSIDE', 0.5],
  ],
  cereal: [
    ['kitchen_cabinet', 'INSIDE', 3],
    ['kitchen_counter', 'ON', 1],
    ['table', 'ON', 1],
  ],
  chips: [
    ['kitchen_cabinet', 'INSIDE', 3],
    ['kitchen_counter', 'ON', 1],
    ['table', 'ON', 1],
    ['couch', 'ON', 0.3],
  ],
  cutlets: [
    ['freezer', 'INSIDE', 2],
    ['fridge', 'INSIDE', 2],
  ],
  book: READING,
  magazine: READING,
  newspaper: READING,
  remote_control: [
    ['couch', 'ON', 2],
    ['tvstand', 'ON', 2],
    ['table', 'ON', 1],
  ],
  phone: [
    ['desk', 'ON', 2],
    ['nightstand', 'ON', 2],
    ['table', 'ON', 1],
    ['couch', 'ON', 1],
    ['desk', 'INSIDE', 1],
    ['nightstand', 'INSIDE', 1],
  ],
  toothbrush: BATH,
  toothpaste: BATH,
  soap: [
    ['bathroom_counter', 'ON', 2],
    ['sink', 'INSIDE', 2],
    ['bathroom_cabinet', 'INSIDE', 1],
  ],
  towel: [
    ['towel_rack', 'ON', 3],
    ['bathroom_counter', 'ON', 1],
    ['bathroom_cabinet', 'INSIDE', 1],
    ['closet', 'INSIDE', 1],
  ],
  toilet_paper: [
    ['bathroom_cabinet', 'INSIDE', 1],
    ['bathroom_counter', 'ON', 1],
  ],
  rag: CLEANING,
  sponge: CLEANING,
  dishwashing_liquid: [
    ['kitchen_counter', 'ON', 1],
    ['kitchen_cabinet', 'INSIDE', 1],
  ],
  clothes_shirt: CLOTHES,
  clothes_pants: CLOTHES,
  clothes_jacket: CLOTHES,
  pillow: [
    ['bed', 'ON', 3],
    ['couch', 'ON', 2],
  ],
  orchid: [
    ['table', 'ON', 1],
    ['desk', 'ON', 1],
    ['nightstand', 'ON', 1],
    ['bookshelf', 'ON', 1],
  ],
  photoframe: [
    ['nightstand', 'ON', 1],
    ['desk', 'ON', 1],
    ['bookshelf', 'ON', 1],
    ['tvstand', 'ON', 1],
  ],
  tray: [
    ['kitchen_counter', 'ON', 1],
    ['table', 'ON', 1],
  ],
};

/** No receptacle gets more than this many objects (keeps observations short). */
const MAX_PER_RECEPTACLE = 5;

export class SceneBuilder {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  private readonly byId = new Map<number, GraphNode>();
  private readonly load = new Map<number, number>();
  /** Item id → [receptacle id, relation]. */
  readonly placement = new Map<number, [number, Rel]>();
  private nextId: number;
  private startRoom = -1;

  constructor(
    readonly apt: Apartment,
    readonly rng: Rng,
  ) {
    // Properties never change: tasks share the apartment's arrays (tasks are immutable data).
    this.nodes = apt.nodes.map((n) => ({ id: n.id, class_name: n.class_name, category: n.category, properties: n.properties, states: [] }));
    this.edges = apt.edges.map((e) => ({ ...e }));
    for (const n of this.nodes) this.byId.set(n.id, n);
    this.nextId = apt.nextId;
    for (const n of this.nodes) this.randomStates(n);
  }

  node(id: number): GraphNode {
    const n = this.byId.get(id);
    if (!n) throw new Error(`virtualhome: no node ${id}`);
    return n;
  }

  /** Furniture ids of a class, optionally in one room type. */
  furniture(cls: string, room?: RoomClass): number[] {
    const ids = this.apt.byClass.get(cls) ?? [];
    if (!room) return ids;
    const roomIds = this.apt.rooms[room];
    return ids.filter((id) => roomIds.includes(this.apt.roomOf.get(id) ?? -1));
  }

  pickFurniture(cls: string, room?: RoomClass): number {
    const ids = this.furniture(cls, room);
    if (ids.length === 0) throw new Error(`virtualhome: ${this.apt.name} has no ${cls}${room ? ` in the ${room}` : ''}`);
    return this.rng.pick(ids);
  }

  /** The member of `cls` in the same furniture cluster as `anchor` (e.g. the desk's chair). */
  clusterMate(anchor: number, cls: string): number {
    const mates = this.edges.filter((e) => e.relation_type === 'CLOSE' && e.from_id === anchor).map((e) => e.to_id);
    const hit = mates.find((id) => this.node(id).class_name === cls);
    if (hit === undefined) throw new Error(`virtualhome: no ${cls} next to node ${anchor}`);
    return hit;
  }

  /** The room node id of a node (furniture or placed item). */
  roomIdOf(id: number): number {
    const placed = this.placement.get(id);
    const roomId = this.apt.roomOf.get(placed ? placed[0] : id);
    if (roomId === undefined) throw new Error(`virtualhome: node ${id} is in no room`);
    return roomId;
  }

  /** The room type of a node (furniture or placed item). */
  roomClassOf(id: number): RoomClass {
    return this.node(this.roomIdOf(id)).class_name as RoomClass;
  }

  /** Sets a node's states of the pairs touched (e.g. `OFF`, `PLUGGED_OUT`), keeping the others. */
  set(id: number, ...states: string[]): void {
    const node = this.node(id);
    const opposite: Record<string, string> = {
      CLOSED: 'OPEN',
      OPEN: 'CLOSED',
      ON: 'OFF',
      OFF: 'ON',
      PLUGGED_IN: 'PLUGGED_OUT',
      PLUGGED_OUT: 'PLUGGED_IN',
      CLEAN: 'DIRTY',
      DIRTY: 'CLEAN',
    };
    for (const s of states) {
      node.states = node.states.filter((x) => x !== opposite[s] && x !== s);
      node.states.push(s);
    }
  }

  /** Adds an object ON / INSIDE a receptacle; returns its id. */
  addItem(cls: string, recep: number, rel: Rel): number {
    const id = this.nextId++;
    const info = classInfo(cls);
    const node: GraphNode = { id, class_name: cls, category: info.category, properties: info.properties, states: [] };
    this.nodes.push(node);
    this.byId.set(id, node);
    this.randomStates(node);
    this.edges.push({ from_id: id, relation_type: rel, to_id: recep });
    const roomId = this.apt.roomOf.get(recep);
    if (roomId !== undefined) this.edges.push({ from_id: id, relation_type: 'INSIDE', to_id: roomId });
    this.load.set(recep, (this.load.get(recep) ?? 0) + 1);
    this.placement.set(id, [recep, rel]);
    return id;
  }

  /**
   * Places an object by its home prior (or the given homes); receptacles that are full or
   * missing from this apartment are skipped.
   */
  place(cls: string, homes: Home[] = HOMES[cls] ?? [], room?: RoomClass): number {
    const options: { recep: number; rel: Rel; w: number }[] = [];
    for (const [rc, rel, w] of homes) {
      const ids = this.furniture(rc, room).filter((id) => (this.load.get(id) ?? 0) < MAX_PER_RECEPTACLE);
      for (const id of ids) options.push({ recep: id, rel, w: w / ids.length });
    }
    if (options.length === 0) throw new Error(`virtualhome: nowhere to put ${cls} in ${this.apt.name}`);
    const o = options[this.rng.weightedIndex(options.map((x) => x.w))] as (typeof options)[number];
    return this.addItem(cls, o.recep, o.rel);
  }

  /** Adds `k` distractor objects of random classes (the task's classes excluded). */
  addDistractors(k: number, exclude: readonly string[]): void {
    const pool = Object.keys(HOMES).filter((c) => !exclude.includes(c));
    for (let j = 0; j < k; j++) {
      const cls = this.rng.pick(pool);
      try {
        this.place(cls);
      } catch {
        // every receptacle for it is full: skip this distractor
      }
    }
  }

  /** Closes one random door with probability p (the rest stay open). */
  maybeCloseDoor(p: number): number | null {
    if (!this.rng.chance(p) || this.apt.doors.length === 0) return null;
    const door = this.rng.pick(this.apt.doors);
    this.set(door, 'CLOSED');
    return door;
  }

  placeCharacter(room?: number): void {
    const rooms = Object.values(this.apt.rooms).flat();
    this.startRoom = room ?? this.rng.pick(rooms);
  }

  /** The finished graph (nodes by id, edges in a stable order). */
  finish(): Graph {
    if (this.startRoom < 0) this.placeCharacter();
    const character = (this.apt.nodes[0] as GraphNode).id;
    const edges: GraphEdge[] = [{ from_id: character, relation_type: 'INSIDE', to_id: this.startRoom }, ...this.edges];
    // Apartment nodes come in id order and task objects get increasing ids: already sorted.
    return { nodes: this.nodes.slice(), edges };
  }

  /** Initial states drawn from per-class priors. */
  private randomStates(n: GraphNode): void {
    const info = classInfo(n.class_name);
    const r = this.rng;
    const cls = n.class_name;
    const states: string[] = [];
    if (info.pairs.open) {
      if (cls === 'door') states.push('OPEN');
      else states.push(r.chance(cls === 'curtain' || cls === 'toilet' ? 0.5 : 0.6) ? 'CLOSED' : 'OPEN');
    }
    if (info.pairs.switch) states.push(r.chance(cls === 'light' ? 0.35 : 0.1) ? 'ON' : 'OFF');
    if (info.pairs.plug) states.push(cls === 'fridge' || cls === 'freezer' || r.chance(0.85) ? 'PLUGGED_IN' : 'PLUGGED_OUT');
    if (info.pairs.dirt) states.push(r.chance(info.category === 'Kitchenware' ? 0.25 : 0.15) ? 'DIRTY' : 'CLEAN');
    // An appliance that is on is plugged in, and a running appliance with a door is closed.
    if (states.includes('ON') && states.includes('PLUGGED_OUT')) states[states.indexOf('ON')] = 'OFF';
    if (states.includes('ON') && states.includes('OPEN')) states[states.indexOf('OPEN')] = 'CLOSED';
    n.states = states;
  }
}
