/**
 * Fills a layout with objects for one task: the target instances (sampled over every receptacle
 * that can hold them, with the placement prior, never already in a goal receptacle), look-alike
 * distractors, everyday clutter, and the layout's fixed lamps and scenery; then numbers the
 * instances of each type in random order, so that the target is not always `… 1`.
 */
import type { Rng } from '../core/rng';
import { LOOK_ALIKES, placementWeight, PORTABLE_TYPES, ROOM_OBJECTS, type RoomType } from './catalogue';
import type { Layout, LayoutReceptacle } from './layouts';
import { compareDisplayOrder, type AlfworldReceptacle } from './task';

/** How many clutter objects a receptacle type usually holds: [min, max, chance of being empty]. */
const CLUTTER: Record<string, readonly [number, number, number]> = {
  countertop: [2, 6, 0],
  diningtable: [2, 6, 0],
  coffeetable: [1, 4, 0.1],
  sidetable: [1, 3, 0.3],
  desk: [1, 4, 0.1],
  dresser: [1, 4, 0.2],
  shelf: [1, 2, 0.5],
  cabinet: [1, 2, 0.55],
  drawer: [1, 2, 0.55],
  fridge: [1, 4, 0.1],
  microwave: [1, 1, 0.6],
  sinkbasin: [1, 2, 0.5],
  stoveburner: [1, 1, 0.6],
  coffeemachine: [1, 1, 0.6],
  garbagecan: [1, 2, 0.4],
  bed: [1, 3, 0.1],
  sofa: [1, 2, 0.3],
  armchair: [1, 2, 0.4],
  ottoman: [1, 1, 0.6],
  toilet: [1, 2, 0.3],
  toiletpaperhanger: [1, 1, 0.5],
  handtowelholder: [1, 1, 0.4],
  towelholder: [1, 1, 0.3],
  bathtubbasin: [1, 1, 0.6],
  cart: [1, 3, 0.1],
  safe: [1, 2, 0.4],
  tvstand: [1, 1, 0.7],
  laundryhamper: [1, 1, 0.5],
};

const clutterTypeLists = new Map<string, string[]>();
const clutterWeightLists = new Map<string, number[]>();

/** The portable everyday objects of a room type. */
function clutterTypesOf(room: RoomType): string[] {
  let list = clutterTypeLists.get(room);
  if (!list) {
    list = ROOM_OBJECTS[room].filter((t) => PORTABLE_TYPES.has(t));
    clutterTypeLists.set(room, list);
  }
  return list;
}

/** Prior weights of the room's clutter types on one receptacle type (pure; memoised). */
function clutterWeights(room: RoomType, receptacleType: string): number[] {
  const key = room + '|' + receptacleType;
  let w = clutterWeightLists.get(key);
  if (!w) {
    w = clutterTypesOf(room).map((t) => placementWeight(t, receptacleType));
    clutterWeightLists.set(key, w);
  }
  return w;
}

export interface PlacementRequest {
  layout: Layout;
  /** Target object type. */
  object: string;
  /** How many target instances. */
  count: number;
  /** Receptacle types the target must not start in (the goal receptacle type). */
  excluded: ReadonlySet<string>;
}

const NO_EXCLUSION: ReadonlySet<string> = new Set();

// Per-instance prior weights of each object type over a layout's receptacles (pure; memoised).
const instanceWeights = new Map<string, number[]>();

function weightsOver(layout: Layout, objectType: string): number[] {
  const key = layout.id + '|' + objectType;
  let w = instanceWeights.get(key);
  if (!w) {
    w = layout.receptacles.map((r) => placementWeight(objectType, r.type));
    instanceWeights.set(key, w);
  }
  return w;
}

/** Picks a receptacle index for one object with the per-instance prior, never one of an excluded type. */
function placeOne(rng: Rng, layout: Layout, objectType: string, excluded: ReadonlySet<string>): number | null {
  let weights = weightsOver(layout, objectType);
  if (excluded.size > 0) weights = weights.map((w, i) => (excluded.has((layout.receptacles[i] as LayoutReceptacle).type) ? 0 : w));
  if (!weights.some((w) => w > 0)) return null;
  return rng.weightedIndex(weights);
}

/** Whether some receptacle of the layout outside `excluded` can hold `objectType`. */
export function canPlace(layout: Layout, objectType: string, excluded: ReadonlySet<string>): boolean {
  for (const t of layout.types) if (!excluded.has(t) && placementWeight(objectType, t) > 0) return true;
  return false;
}

/**
 * The receptacles of the layout with their initial contents (display order), all closed. The
 * draw order is fixed — targets, look-alikes, clutter receptacle by receptacle, numbering — so a
 * task's stream always gives the same scene.
 */
export function placeObjects(rng: Rng, req: PlacementRequest): AlfworldReceptacle[] {
  const { layout } = req;
  const recs = layout.receptacles;
  // Object types per receptacle index, before numbering.
  const contents: string[][] = recs.map(() => []);
  const indexOf = new Map<string, number>(recs.map((r, i) => [r.name, i]));

  for (let i = 0; i < req.count; i++) (contents[placeOne(rng, layout, req.object, req.excluded) as number] as string[]).push(req.object);

  const roomObjects = ROOM_OBJECTS[layout.roomType];
  for (const alike of LOOK_ALIKES[req.object] ?? []) {
    if (!roomObjects.includes(alike) || !rng.chance(0.75)) continue;
    const n = 1 + rng.int(2);
    for (let i = 0; i < n; i++) {
      const r = placeOne(rng, layout, alike, NO_EXCLUSION);
      if (r !== null) (contents[r] as string[]).push(alike);
    }
  }

  // Clutter: everyday objects of the room, never the target type (its count is controlled).
  const clutterTypes = clutterTypesOf(layout.roomType);
  const self = clutterTypes.indexOf(req.object);
  for (let r = 0; r < recs.length; r++) {
    const type = (recs[r] as LayoutReceptacle).type;
    const spec = CLUTTER[type];
    if (!spec || rng.chance(spec[2])) continue;
    let weights = clutterWeights(layout.roomType, type);
    if (self >= 0 && (weights[self] as number) > 0) {
      weights = weights.slice();
      weights[self] = 0;
    }
    if (!weights.some((w) => w > 0)) continue;
    const n = spec[0] + rng.int(spec[1] - spec[0] + 1);
    for (let i = 0; i < n; i++) (contents[r] as string[]).push(clutterTypes[rng.weightedIndex(weights)] as string);
  }
  for (const l of layout.lamps) (contents[indexOf.get(l.receptacle) as number] as string[]).push(l.type);
  for (const s of layout.scenery) (contents[indexOf.get(s.receptacle) as number] as string[]).push(s.type);

  // Number the instances of each type in random order (types in alphabetical order, for stability).
  const counts = new Map<string, number>();
  for (const list of contents) for (const t of list) counts.set(t, (counts.get(t) ?? 0) + 1);
  const numbers = new Map<string, number[]>();
  for (const t of [...counts.keys()].sort()) {
    const n = counts.get(t) as number;
    const seq: number[] = [];
    for (let i = 1; i <= n; i++) seq.push(i);
    numbers.set(t, rng.shuffle(seq));
  }
  return recs.map((r, i) => ({
    name: r.name,
    openable: r.openable,
    open: false,
    location: r.location,
    contents: (contents[i] as string[]).map((t) => t + ' ' + (numbers.get(t) as number[]).pop()).sort(compareDisplayOrder),
  }));
}
