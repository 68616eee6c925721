/**
 * The task record: plain JSON that holds the whole scene, so that a recorded task can be replayed
 * anywhere without the generator.
 */
import type { TaskBase } from '../core/types';
import type { RoomType } from './catalogue';
import type { AlfworldTaskType } from './goals';

/** One receptacle instance of the scene. */
export interface AlfworldReceptacle {
  /** `<type> <n>`, e.g. `cabinet 3`. */
  readonly name: string;
  /** Per instance: some cabinets and drawers are open shelves. */
  readonly openable: boolean;
  /** Initial state (only meaningful when openable). */
  readonly open: boolean;
  /** Receptacles with the same location id stand at one spot (`go to` the other one → `Nothing happens.`). */
  readonly location: number;
  /** Object names (`<type> <n>`) initially in/on it. */
  readonly contents: readonly string[];
}

export interface AlfworldTask extends TaskBase {
  readonly env: 'alfworld';
  readonly taskType: AlfworldTaskType;
  /** The goal sentence without `Your task is to: ` and the final period. */
  readonly goal: string;
  readonly roomType: RoomType;
  /** Layout (scene) id, e.g. `FloorPlan12`; `custom` for scenes built from a description. */
  readonly layout: string;
  /** Target object type, e.g. `apple`. */
  readonly object: string;
  /** Goal receptacle type (e.g. `sidetable`); null for examine. */
  readonly receptacle: string | null;
  /** Lamp type for examine (`desklamp` | `floorlamp`); null otherwise. */
  readonly toggle: string | null;
  /** Every receptacle, in the order the room lists them. */
  readonly receptacles: readonly AlfworldReceptacle[];
  /** Objects whose initial state is not the default (e.g. cool because they start in a fridge). */
  readonly initialState: {
    readonly hot: readonly string[];
    readonly cool: readonly string[];
    readonly clean: readonly string[];
  };
}

/**
 * Freezes a task and everything in it. Tasks are shared (the generator's cache, the compiled scene
 * models keyed by task object), so they must never change after they are made.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** `apple 3` → `apple`. Names are `<type> <n>` with a one-word type. */
export function typeOfName(name: string): string {
  const i = name.lastIndexOf(' ');
  return i < 0 ? name : name.slice(0, i);
}

/** `apple 3` → 3. */
export function numberOfName(name: string): number {
  const i = name.lastIndexOf(' ');
  return i < 0 ? 0 : Number(name.slice(i + 1));
}

/**
 * Display order of every list in the game: alphabetical by type, instance numbers descending
 * within a type (`a cabinet 4, a cabinet 3, …`). Allocation-free: it runs on every hot path.
 */
export function compareDisplayOrder(a: string, b: string): number {
  const ia = a.lastIndexOf(' ');
  const ib = b.lastIndexOf(' ');
  const n = ia < ib ? ia : ib;
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  if (ia !== ib) return ia - ib; // one type is a prefix of the other (`pen` < `pencil`)
  return digitsAfter(b, ib) - digitsAfter(a, ia);
}

/** The number written after position `space` (e.g. the 12 of `cabinet 12`). */
function digitsAfter(name: string, space: number): number {
  let n = 0;
  for (let i = space + 1; i < name.length; i++) n = n * 10 + (name.charCodeAt(i) - 48);
  return n;
}

/** Whether `names` is already in display order (tasks usually are: then nothing needs sorting). */
export function inDisplayOrder(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (compareDisplayOrder(names[i - 1] as string, names[i] as string) > 0) return false;
  return true;
}
