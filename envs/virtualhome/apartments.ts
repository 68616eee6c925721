/**
 * Apartments in the style of VirtualHome's TrimmedTestScenes: a bathroom, a bedroom (sometimes
 * two), a `dining_room` that serves as the kitchen and a `home_office` that serves as the living
 * room, joined by doors. Each room holds furniture clusters; members of a cluster are CLOSE to
 * each other (so sitting at the desk keeps the keyboard within reach), and some stand ON others
 * (the computer on the desk, the toaster on a kitchen counter). Apartments are deterministic in
 * their index; what varies between tasks (objects, states) is added by the task generator.
 */
import { classInfo, type RoomClass } from './catalogue';
import { Rng } from '../core/rng';
import type { GraphEdge, GraphNode } from './task-types';

/** A cluster member: a class, how many, whether it stands ON the cluster's first member. */
interface Member {
  cls: string;
  count?: [number, number];
  /** Probability that it exists at all (default 1). */
  p?: number;
  on?: boolean;
}
type Cluster = Member[];

const M = (cls: string, extra: Omit<Member, 'cls'> = {}): Member => ({ cls, ...extra });

/** Furniture every room of a type gets; clusters and counts vary by apartment. */
const ROOM_PLANS: Record<RoomClass, Cluster[]> = {
  dining_room: [
    [M('kitchen_counter'), M('sink'), M('faucet'), M('kitchen_cabinet', { count: [1, 3] }), M('dishwasher')],
    [M('kitchen_counter'), M('toaster', { on: true }), M('coffe_maker', { on: true }), M('microwave', { on: true }), M('kitchen_cabinet', { count: [1, 3] })],
    [M('stove'), M('oven'), M('stovefan', { p: 0.7 })],
    [M('fridge'), M('freezer', { p: 0.6 })],
    [M('table'), M('chair', { count: [2, 4] }), M('bench', { p: 0.25 })],
    [M('garbage_can')],
    [M('light')],
    [M('ceilinglamp')],
    [M('powersocket', { count: [1, 2] })],
    [M('wall', { count: [2, 4] })],
    [M('floor')],
    [M('drawing', { p: 0.4 })],
  ],
  home_office: [
    [M('desk'), M('chair'), M('computer', { on: true }), M('cpuscreen', { on: true }), M('keyboard', { on: true }), M('mouse', { on: true }), M('mousepad', { on: true })],
    [M('couch'), M('table', { p: 0.8 })],
    [M('tvstand'), M('television', { on: true })],
    [M('bookshelf', { count: [1, 2] }), M('radio', { on: true })],
    [M('filing_cabinet', { p: 0.8 })],
    [M('light')],
    [M('ceilinglamp')],
    [M('walllamp', { count: [0, 2] })],
    [M('curtain', { count: [1, 2] })],
    [M('drawing', { count: [0, 2] })],
    [M('powersocket', { count: [1, 2] })],
    [M('wall', { count: [2, 4] })],
    [M('floor')],
    [M('mat', { p: 0.5 })],
  ],
  bedroom: [
    [M('nightstand'), M('tablelamp', { on: true }), M('bed')],
    [M('nightstand', { p: 0.5 })],
    [M('dresser')],
    [M('closet', { p: 0.75 })],
    [M('desk', { p: 0.35 }), M('chair', { p: 0.35 })],
    [M('light')],
    [M('ceilinglamp')],
    [M('curtain', { count: [1, 2] })],
    [M('drawing', { count: [0, 1] })],
    [M('powersocket')],
    [M('wall', { count: [2, 4] })],
    [M('floor')],
    [M('mat', { p: 0.5 })],
  ],
  bathroom: [
    [M('bathroom_counter'), M('sink'), M('faucet')],
    [M('toilet')],
    [M('shower'), M('towel_rack', { p: 0.85 })],
    [M('bathroom_cabinet')],
    [M('light')],
    [M('ceilinglamp')],
    [M('walllamp', { p: 0.5 })],
    [M('curtain', { p: 0.5 })],
    [M('wall', { count: [2, 3] })],
    [M('floor')],
    [M('mat', { p: 0.7 })],
  ],
};

export interface Apartment {
  name: string;
  index: number;
  nodes: GraphNode[];
  /** INSIDE (furniture → room), ON (furniture → furniture), BETWEEN (door → rooms), CLOSE (clusters). */
  edges: GraphEdge[];
  /** Room node ids by class (the second bedroom, when present, is the second entry). */
  rooms: Record<RoomClass, number[]>;
  /** Door ids. */
  doors: number[];
  /** Room id of every furniture node. */
  roomOf: Map<number, number>;
  /** The first id free for task objects. */
  nextId: number;
  /** Node ids by class (furniture, doors, rooms), ascending. */
  byClass: Map<string, number[]>;
}

function newNode(id: number, cls: string): GraphNode {
  const info = classInfo(cls);
  return { id, class_name: cls, category: info.category, properties: info.properties, states: [] };
}

/** Builds apartment `index` (deterministic). */
export function buildApartment(index: number): Apartment {
  const rng = new Rng(`virtualhome/v1/apartment/${index}`);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const roomOf = new Map<number, number>();
  let nextId = 1;
  nodes.push(newNode(nextId++, 'character'));

  const roomList: RoomClass[] = ['bathroom', 'bedroom', 'dining_room', 'home_office'];
  if (rng.chance(0.3)) roomList.push('bedroom');
  const order = rng.shuffle(roomList);
  const rooms: Record<RoomClass, number[]> = { bathroom: [], bedroom: [], dining_room: [], home_office: [] };
  const roomIds: number[] = [];
  for (const r of order) {
    const id = nextId++;
    nodes.push(newNode(id, r));
    rooms[r].push(id);
    roomIds.push(id);
  }

  // Furniture, room by room (room order shuffled above), clusters shuffled inside each room.
  const furnishedRooms = new Set<number>();
  for (const r of order) {
    const roomId = (rooms[r] as number[]).find((id) => !furnishedRooms.has(id)) as number;
    furnishedRooms.add(roomId);
    const second = (rooms[r] as number[]).indexOf(roomId) > 0;
    for (const cluster of rng.shuffle(ROOM_PLANS[r])) {
      const members: number[] = [];
      let base = -1;
      for (const m of cluster) {
        if (m.p !== undefined && !rng.chance(m.p)) continue;
        // A second bedroom is smaller: its optional furniture is rarer.
        if (second && m.p !== undefined && !rng.chance(0.5)) continue;
        const [lo, hi] = m.count ?? [1, 1];
        const k = rng.range(lo, hi);
        for (let j = 0; j < k; j++) {
          const id = nextId++;
          nodes.push(newNode(id, m.cls));
          roomOf.set(id, roomId);
          edges.push({ from_id: id, relation_type: 'INSIDE', to_id: roomId });
          if (m.on && base >= 0) edges.push({ from_id: id, relation_type: 'ON', to_id: base });
          if (base < 0) base = id;
          members.push(id);
        }
      }
      // Everything in a cluster is CLOSE to everything else in it (both directions, as in the scenes).
      if (cluster.length > 1) {
        for (const a of members) for (const b of members) if (a !== b) edges.push({ from_id: a, relation_type: 'CLOSE', to_id: b });
      }
    }
  }

  // Doors: a random spanning tree over the rooms, plus sometimes one extra door (a cycle).
  const doors: number[] = [];
  const connected = [roomIds[0] as number];
  const pending = rng.shuffle(roomIds.slice(1));
  const addDoor = (a: number, b: number) => {
    const id = nextId++;
    nodes.push(newNode(id, 'door'));
    edges.push({ from_id: id, relation_type: 'BETWEEN', to_id: a }, { from_id: id, relation_type: 'BETWEEN', to_id: b });
    doors.push(id);
    const jamb = nextId++;
    nodes.push(newNode(jamb, 'doorjamb'));
    roomOf.set(jamb, a);
    edges.push({ from_id: jamb, relation_type: 'INSIDE', to_id: a });
  };
  for (const room of pending) {
    // Hubs are common: prefer connecting to the home office or the first room.
    const hub = (rooms.home_office[0] as number) ?? connected[0];
    const to = connected.includes(hub) && rng.chance(0.5) ? hub : rng.pick(connected);
    addDoor(to, room);
    connected.push(room);
  }
  if (roomIds.length >= 4 && rng.chance(0.35)) {
    const a = rng.pick(roomIds);
    const b = rng.pick(roomIds.filter((x) => x !== a));
    addDoor(a, b);
  }
  const byClass = new Map<string, number[]>();
  for (const n of nodes) byClass.set(n.class_name, [...(byClass.get(n.class_name) ?? []), n.id]);
  return { name: `apartment_${String(index).padStart(2, '0')}`, index, nodes, edges, rooms, doors, roomOf, nextId, byClass };
}

const memo = new Map<number, Apartment>();

/** The apartment, built once per process (callers must not mutate it). */
export function apartment(index: number): Apartment {
  let a = memo.get(index);
  if (!a) {
    a = buildApartment(index);
    memo.set(index, a);
  }
  return a;
}
