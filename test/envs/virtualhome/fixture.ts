/**
 * A small hand-made apartment for exact-text tests: dining room, home office, bathroom; the
 * office–bathroom door is closed. Ids are fixed so tests can name them.
 */
import { CATALOGUE } from '../../../envs/virtualhome/catalogue';
import type { Graph, GraphEdge, GraphNode, RevisedGraph, VirtualhomeTask } from '../../../envs/virtualhome/task-types';

export const ID = {
  character: 1,
  dining_room: 2,
  home_office: 3,
  bathroom: 4,
  doorDiningOffice: 10,
  doorOfficeBath: 11,
  table: 20,
  diningChair1: 21,
  diningChair2: 22,
  fridge: 23,
  kitchen_counter: 24,
  kitchenSink: 25,
  kitchenFaucet: 26,
  kitchen_cabinet: 27,
  diningFloor: 28,
  couch: 30,
  tvstand: 31,
  television: 32,
  officeLight: 33,
  officeChair: 34,
  officeFloor: 35,
  toilet: 40,
  bathSink: 41,
  water_glass: 50,
  milk: 51,
  knife: 52,
  bread_slice: 53,
  plate: 54,
  book: 55,
  clothes_shirt: 56,
  juice: 57,
  cup: 58,
  dirtyCup: 59,
} as const;

function node(id: number, cls: string, states: string[] = []): GraphNode {
  const info = CATALOGUE[cls];
  if (!info) throw new Error(`no class ${cls}`);
  return { id, class_name: cls, category: info.category, properties: [...info.properties], states };
}

export function fixtureGraph(start: number = ID.home_office): Graph {
  const nodes: GraphNode[] = [
    node(ID.character, 'character'),
    node(ID.dining_room, 'dining_room'),
    node(ID.home_office, 'home_office'),
    node(ID.bathroom, 'bathroom'),
    node(ID.doorDiningOffice, 'door', ['OPEN']),
    node(ID.doorOfficeBath, 'door', ['CLOSED']),
    node(ID.table, 'table', ['CLEAN']),
    node(ID.diningChair1, 'chair'),
    node(ID.diningChair2, 'chair'),
    node(ID.fridge, 'fridge', ['CLOSED', 'PLUGGED_IN']),
    node(ID.kitchen_counter, 'kitchen_counter', ['DIRTY']),
    node(ID.kitchenSink, 'sink'),
    node(ID.kitchenFaucet, 'faucet', ['OFF']),
    node(ID.kitchen_cabinet, 'kitchen_cabinet', ['CLOSED']),
    node(ID.diningFloor, 'floor'),
    node(ID.couch, 'couch'),
    node(ID.tvstand, 'tvstand'),
    node(ID.television, 'television', ['OFF', 'PLUGGED_OUT']),
    node(ID.officeLight, 'light', ['OFF']),
    node(ID.officeChair, 'chair'),
    node(ID.officeFloor, 'floor'),
    node(ID.toilet, 'toilet', ['CLOSED']),
    node(ID.bathSink, 'sink'),
    node(ID.water_glass, 'water_glass', ['CLEAN']),
    node(ID.milk, 'milk'),
    node(ID.knife, 'knife', ['CLEAN']),
    node(ID.bread_slice, 'bread_slice'),
    node(ID.plate, 'plate', ['DIRTY']),
    node(ID.book, 'book'),
    node(ID.clothes_shirt, 'clothes_shirt'),
    node(ID.juice, 'juice'),
    node(ID.cup, 'cup', ['CLEAN']),
    node(ID.dirtyCup, 'cup', ['DIRTY']),
  ];
  const inside = (from: number, to: number): GraphEdge => ({ from_id: from, relation_type: 'INSIDE', to_id: to });
  const on = (from: number, to: number): GraphEdge => ({ from_id: from, relation_type: 'ON', to_id: to });
  const close = (a: number, b: number): GraphEdge[] => [
    { from_id: a, relation_type: 'CLOSE', to_id: b },
    { from_id: b, relation_type: 'CLOSE', to_id: a },
  ];
  const edges: GraphEdge[] = [
    inside(ID.character, start),
    { from_id: ID.doorDiningOffice, relation_type: 'BETWEEN', to_id: ID.dining_room },
    { from_id: ID.doorDiningOffice, relation_type: 'BETWEEN', to_id: ID.home_office },
    { from_id: ID.doorOfficeBath, relation_type: 'BETWEEN', to_id: ID.home_office },
    { from_id: ID.doorOfficeBath, relation_type: 'BETWEEN', to_id: ID.bathroom },
    ...[ID.table, ID.diningChair1, ID.diningChair2, ID.fridge, ID.kitchen_counter, ID.kitchenSink, ID.kitchenFaucet, ID.kitchen_cabinet, ID.diningFloor].map((f) =>
      inside(f, ID.dining_room),
    ),
    ...[ID.couch, ID.tvstand, ID.television, ID.officeLight, ID.officeChair, ID.officeFloor].map((f) => inside(f, ID.home_office)),
    ...[ID.toilet, ID.bathSink].map((f) => inside(f, ID.bathroom)),
    on(ID.television, ID.tvstand),
    ...close(ID.table, ID.diningChair1),
    ...close(ID.table, ID.diningChair2),
    ...close(ID.kitchenSink, ID.kitchenFaucet),
    on(ID.water_glass, ID.table),
    inside(ID.milk, ID.fridge),
    on(ID.knife, ID.kitchen_counter),
    on(ID.bread_slice, ID.kitchen_counter),
    inside(ID.plate, ID.kitchen_cabinet),
    on(ID.book, ID.couch),
    on(ID.clothes_shirt, ID.officeChair),
    on(ID.juice, ID.table),
    inside(ID.cup, ID.kitchenSink),
    on(ID.dirtyCup, ID.table),
  ];
  return { nodes, edges };
}

const EMPTY_GOAL: RevisedGraph = { nodes: [], revised_nodes: [], revised_add_edges: [], events: [] };

/** A task on the fixture graph with the given goal. */
export function fixtureTask(goal: Partial<RevisedGraph>, opts: { title?: string; description?: string; start?: number; bindings?: Record<string, number> } = {}): VirtualhomeTask {
  const title = opts.title ?? 'Drink';
  const description = opts.description ?? 'Drink water';
  return {
    id: 'virtualhome/v1/train/0',
    env: 'virtualhome',
    split: 'train',
    index: 0,
    taskType: title,
    goal: description,
    title,
    description,
    apartment: 'fixture',
    init_graph: fixtureGraph(opts.start),
    revised_graph: { ...EMPTY_GOAL, ...goal },
    object_id_dict: opts.bindings ?? {},
    program: [],
    recipe: [],
  };
}
