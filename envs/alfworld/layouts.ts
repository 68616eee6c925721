/**
 * Room layouts ("scenes"): which receptacles a room has, which instances open, which stand at a
 * shared spot, and where the fixed lamps and scenery are. Like ALFWorld's 120 AI2-THOR floor
 * plans, there are 30 per room type, numbered the same way (kitchens 1–30, living rooms 201–230,
 * bedrooms 301–330, bathrooms 401–430). Eight are held out for the unseen split; the other 112
 * are the training layouts shared by train and seen. A layout is a pure function of its number.
 */
import { Rng } from '../core/rng';
import { LAMP_SURFACES, OPENABLE_TYPES, ROOM_SCENERY, ROOM_TYPES, SOMETIMES_OPEN_SHELF, type LampType, type RoomType } from './catalogue';

export interface LayoutReceptacle {
  readonly name: string;
  readonly type: string;
  readonly openable: boolean;
  readonly location: number;
}

export interface Layout {
  /** `FloorPlan<n>`. */
  readonly id: string;
  readonly roomType: RoomType;
  /** In display order (type ascending, number descending). */
  readonly receptacles: readonly LayoutReceptacle[];
  readonly lamps: ReadonlyArray<{ readonly type: LampType; readonly receptacle: string }>;
  readonly scenery: ReadonlyArray<{ readonly type: string; readonly receptacle: string }>;
  /** Receptacle types present, for quick validity checks. */
  readonly types: ReadonlySet<string>;
}

export const ROOM_NUMBER_BASE: Record<RoomType, number> = { kitchen: 0, livingroom: 200, bedroom: 300, bathroom: 400 };

/**
 * Held-out floor plans (the unseen split): ALFWorld's four (10, 219, 308, 424) and one more per
 * room type, picked so that each pair's sizes straddle the room type's median.
 */
export const UNSEEN_FLOOR_PLANS: readonly number[] = [10, 27, 219, 225, 308, 313, 403, 424];

/** Share of cabinets/drawers that are open shelves (`On the drawer 1, you see …`). */
const OPEN_SHELF_RATE = 0.2;
/** Chance, per type with ≥2 instances, that one adjacent pair of cabinets/drawers shares a spot. */
const COLOCATED_PAIR_RATE = 0.25;
const MAX_RECEPTACLES = 40;

type CountSpec = readonly [type: string, present: number, min: number, max: number, skew: number];

/**
 * Receptacle counts per room type: [type, chance present, min, max, skew]. A count is
 * min + ⌊(max−min+1)·u^skew⌋, so skew > 1 favours small counts. Tuned to the per-room tables of
 * environments.md 1.6 (kitchen median ≈ 22 with the StoveBurner/CoffeeMachine/Toaster the real
 * intros add, living room ≈ 12, bedroom ≈ 13, bathroom ≈ 9–10).
 */
const ROOM_SPECS: Record<RoomType, readonly CountSpec[]> = {
  kitchen: [
    ['cabinet', 1, 3, 20, 1.7],
    ['countertop', 1, 1, 3, 1.3],
    ['drawer', 0.83, 1, 12, 1.7],
    ['diningtable', 0.53, 1, 2, 2.5],
    ['shelf', 0.17, 1, 4, 1.5],
    ['fridge', 1, 1, 1, 1],
    ['microwave', 1, 1, 1, 1],
    ['sinkbasin', 1, 1, 2, 4],
    ['stoveburner', 1, 2, 6, 1],
    ['coffeemachine', 0.9, 1, 1, 1],
    ['toaster', 0.8, 1, 1, 1],
    ['garbagecan', 0.95, 1, 1, 1],
    ['sidetable', 0.2, 1, 1, 1],
    ['safe', 0.05, 1, 1, 1],
  ],
  livingroom: [
    ['sofa', 1, 1, 2, 4],
    ['armchair', 0.9, 1, 2, 1.5],
    ['coffeetable', 0.83, 1, 2, 4],
    ['sidetable', 0.8, 1, 3, 1.5],
    ['drawer', 0.77, 1, 8, 1.6],
    ['diningtable', 0.47, 1, 1, 1],
    ['tvstand', 0.4, 1, 1, 1],
    ['shelf', 0.4, 1, 10, 1.6],
    ['dresser', 0.33, 1, 1, 1],
    ['garbagecan', 0.3, 1, 1, 1],
    ['ottoman', 0.2, 1, 1, 1],
    ['cabinet', 0.2, 1, 4, 1.5],
    ['safe', 0.1, 1, 1, 1],
    ['desk', 0.07, 1, 1, 1],
  ],
  bedroom: [
    ['bed', 1, 1, 2, 5],
    ['drawer', 0.93, 1, 10, 1.3],
    ['desk', 0.63, 1, 1, 1],
    ['shelf', 0.63, 1, 8, 1.5],
    ['sidetable', 0.63, 1, 2, 1.5],
    ['dresser', 0.5, 1, 1, 1],
    ['garbagecan', 0.5, 1, 1, 1],
    ['armchair', 0.25, 1, 1, 1],
    ['laundryhamper', 0.3, 1, 1, 1],
    ['cabinet', 0.1, 1, 4, 1.5],
    ['diningtable', 0.05, 1, 1, 1],
    ['safe', 0.13, 1, 1, 1],
  ],
  bathroom: [
    ['sinkbasin', 0.9, 1, 2, 1.5],
    ['countertop', 0.83, 1, 1, 1],
    ['toilet', 0.95, 1, 1, 1],
    ['bathtubbasin', 0.7, 1, 1, 1],
    ['cabinet', 0.5, 1, 6, 1.2],
    ['garbagecan', 0.7, 1, 1, 1],
    ['drawer', 0.37, 1, 8, 1.5],
    ['shelf', 0.2, 1, 3, 1.5],
    ['cart', 0.15, 1, 1, 1],
    ['handtowelholder', 0.95, 1, 2, 3],
    ['toiletpaperhanger', 0.95, 1, 1, 1],
    ['towelholder', 0.9, 1, 1, 1],
  ],
};

function roomTypeOf(floorPlan: number): RoomType {
  if (floorPlan >= 1 && floorPlan <= 30) return 'kitchen';
  if (floorPlan >= 201 && floorPlan <= 230) return 'livingroom';
  if (floorPlan >= 301 && floorPlan <= 330) return 'bedroom';
  if (floorPlan >= 401 && floorPlan <= 430) return 'bathroom';
  throw new RangeError(`No floor plan ${floorPlan}`);
}

function sampleCounts(room: RoomType, rng: Rng): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [type, present, min, max, skew] of ROOM_SPECS[room]) {
    if (!rng.chance(present)) continue;
    counts.set(type, min + Math.floor((max - min + 1) * Math.pow(rng.next(), skew)));
  }
  // Stoves have 4 burners, sometimes 2 or 6 (the real intros list `stoveburner 4 … 1`).
  if (counts.has('stoveburner')) counts.set('stoveburner', rng.pick([4, 4, 4, 4, 4, 4, 2, 6]));
  // Too many: trim the bulk types (cabinets, drawers, shelves) one at a time.
  let total = 0;
  for (const n of counts.values()) total += n;
  for (const bulk of ['cabinet', 'drawer', 'shelf']) {
    while (total > MAX_RECEPTACLES && (counts.get(bulk) ?? 0) > 2) {
      counts.set(bulk, (counts.get(bulk) as number) - 1);
      total--;
    }
  }
  return counts;
}

function buildLayout(floorPlan: number): Layout {
  const roomType = roomTypeOf(floorPlan);
  const rng = new Rng(`alfworld/layout/FloorPlan${floorPlan}`);
  const counts = sampleCounts(roomType, rng);

  // Living rooms and bedrooms need a surface for a lamp (examine tasks happen there).
  const needsLamp = roomType === 'livingroom' || roomType === 'bedroom';
  if (needsLamp && !LAMP_SURFACES.desklamp.some((t) => counts.has(t))) counts.set('sidetable', 1);

  const receptacles: LayoutReceptacle[] = [];
  const types = [...counts.keys()].sort();
  for (const type of types) {
    const n = counts.get(type) as number;
    // Same-spot pairs: `<type> k` stands where `<type> k+1` does (environments.md 5.1 item 6).
    let shared = -1;
    if (SOMETIMES_OPEN_SHELF.has(type) && n >= 2 && rng.chance(COLOCATED_PAIR_RATE)) shared = 1 + rng.int(n - 1);
    for (let k = n; k >= 1; k--) {
      const openable = OPENABLE_TYPES.has(type) && !(SOMETIMES_OPEN_SHELF.has(type) && rng.chance(OPEN_SHELF_RATE));
      // Listed in display order (numbers descending), so `k + 1` is the one pushed just before.
      const location = k === shared ? (receptacles[receptacles.length - 1] as LayoutReceptacle).location : receptacles.length;
      receptacles.push({ name: `${type} ${k}`, type, openable, location });
    }
  }

  const present = (allowed: readonly string[]) => receptacles.filter((r) => allowed.includes(r.type));
  const lamps: Array<{ type: LampType; receptacle: string }> = [];
  if (needsLamp) {
    const wantDesk = rng.chance(0.75);
    const wantFloor = rng.chance(0.45) || !wantDesk;
    if (wantDesk || present(LAMP_SURFACES.floorlamp).length === 0) {
      lamps.push({ type: 'desklamp', receptacle: rng.pick(present(LAMP_SURFACES.desklamp)).name });
    }
    if (wantFloor && present(LAMP_SURFACES.floorlamp).length > 0) {
      lamps.push({ type: 'floorlamp', receptacle: rng.pick(present(LAMP_SURFACES.floorlamp)).name });
    }
  }
  const scenery: Array<{ type: string; receptacle: string }> = [];
  for (const s of ROOM_SCENERY[roomType]) {
    const spots = present(s.on);
    if (spots.length > 0 && rng.chance(0.6)) scenery.push({ type: s.type, receptacle: rng.pick(spots).name });
  }
  return { id: `FloorPlan${floorPlan}`, roomType, receptacles, lamps, scenery, types: new Set(types) };
}

// Layouts are pure functions of their number; memoised because every task needs one.
const cache = new Map<number, Layout>();

export function layout(floorPlan: number): Layout {
  let l = cache.get(floorPlan);
  if (!l) {
    l = buildLayout(floorPlan);
    cache.set(floorPlan, l);
  }
  return l;
}

function allFloorPlans(): number[] {
  const out: number[] = [];
  for (const room of ROOM_TYPES) for (let i = 1; i <= 30; i++) out.push(ROOM_NUMBER_BASE[room] + i);
  return out;
}

/** The 112 training floor plans (train and seen). */
export const TRAIN_FLOOR_PLANS: readonly number[] = allFloorPlans().filter((n) => !UNSEEN_FLOOR_PLANS.includes(n));
