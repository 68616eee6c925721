/**
 * The task generator: `(split, index)` → one ALFWorld game, deterministically. Each task draws
 * from its own stream `Rng(taskSeed(id))`: task type (the split's type mix), a layout valid for it
 * (train/seen: the 112 training floor plans; unseen: the 8 held-out ones), a goal (object,
 * receptacle or lamp, template), then the object placement. The expert then plays it; a task the
 * expert cannot finish within 40 steps is redrawn from the next fork of the stream (rare).
 */
import { Rng } from '../core/rng';
import { taskSeed, formatTaskId } from '../core/task-id';
import { UnknownTaskError, type Split, type TaskGenerator } from '../core/types';
import { APPLIANCE, CLEANABLE, COOLABLE, GOAL_RECEPTACLE_TYPES, HEATABLE, ROOM_OBJECTS, TARGET_OBJECT_TYPES, canContain, placementWeight } from './catalogue';
import { fillTemplate, GOAL_TEMPLATES, GOALS_VALID, type AlfworldTaskType } from './goals';
import { layout, TRAIN_FLOOR_PLANS, UNSEEN_FLOOR_PLANS, type Layout } from './layouts';
import { canPlace, placeObjects } from './placement';
import { runPolicyOnWorld } from './solvability';
import { compareDisplayOrder, deepFreeze, typeOfName, type AlfworldTask } from './task';

export const ALFWORLD_GENERATOR_VERSION = 1;

/** Task-type mix: train/seen follow the 3,554 training game files, unseen the 134 valid_unseen games. */
const TYPE_WEIGHTS: Record<Split, Record<AlfworldTaskType, number>> = {
  train: { puttwo: 813, put: 790, clean: 651, cool: 533, heat: 459, examine: 308 },
  seen: { puttwo: 813, put: 790, clean: 651, cool: 533, heat: 459, examine: 308 },
  unseen: { clean: 31, put: 24, heat: 23, cool: 21, examine: 18, puttwo: 17 },
};
const TYPE_ORDER: readonly AlfworldTaskType[] = ['put', 'clean', 'heat', 'cool', 'examine', 'puttwo'];

/** Frequent target types (Mug, Cup, …) are drawn about twice as often as rare ones (WateringCan). */
const OBJECT_WEIGHT = new Map<string, number>(TARGET_OBJECT_TYPES.map((t, i) => [t, 2 - i / TARGET_OBJECT_TYPES.length]));
const MAX_ATTEMPTS = 200;
/** 0–3 extra instances of the target type, fewer more often (each extra one makes the search shorter). */
const EXTRA_INSTANCE_WEIGHTS = [5, 3, 1.5, 0.5];

interface GoalChoice {
  object: string;
  receptacle: string | null;
  toggle: string | null;
}

function hasProperty(taskType: AlfworldTaskType, objectType: string): boolean {
  if (taskType === 'heat') return HEATABLE.has(objectType);
  if (taskType === 'cool') return COOLABLE.has(objectType);
  if (taskType === 'clean') return CLEANABLE.has(objectType);
  return true;
}

/** Goal receptacle types of the layout that can take `objectType` in a task of this type. */
function goalReceptacles(taskType: AlfworldTaskType, l: Layout, objectType: string): string[] {
  // Where the object can start; it must be able to start outside the goal type.
  let startTypes = 0;
  for (const t of l.types) if (placementWeight(objectType, t) > 0) startTypes++;
  const out: string[] = [];
  for (const t of l.types) {
    if (!GOAL_RECEPTACLE_TYPES.has(t) || !canContain(t, objectType)) continue;
    // The appliance is not a destination of its own task (a cool X is not put back in the fridge).
    if ((taskType === 'heat' || taskType === 'cool' || taskType === 'clean') && t === APPLIANCE[taskType]) continue;
    if (startTypes - (placementWeight(objectType, t) > 0 ? 1 : 0) === 0) continue;
    out.push(t);
  }
  return out.sort();
}

/** Every goal the layout allows for the task type, grouped by object, with the objects' weights. */
interface GoalMenu {
  byObject: GoalChoice[][];
  weights: number[];
}

// Pure function of (layout, task type); memoised because every draw needs it.
const menus = new Map<string, GoalMenu>();

function goalMenu(taskType: AlfworldTaskType, l: Layout): GoalMenu {
  const key = l.id + '|' + taskType;
  let menu = menus.get(key);
  if (menu) return menu;
  menu = { byObject: [], weights: [] };
  const treated = taskType === 'heat' || taskType === 'cool' || taskType === 'clean';
  if (!treated || l.types.has(APPLIANCE[taskType])) {
    for (const object of ROOM_OBJECTS[l.roomType]) {
      const w = OBJECT_WEIGHT.get(object);
      if (w === undefined || !hasProperty(taskType, object)) continue;
      let options: GoalChoice[];
      if (taskType === 'examine') {
        options = canPlace(l, object, new Set()) ? l.lamps.map((lamp) => ({ object, receptacle: null, toggle: lamp.type })) : [];
      } else {
        options = goalReceptacles(taskType, l, object).map((receptacle) => ({ object, receptacle, toggle: null }));
      }
      if (options.length === 0) continue;
      menu.byObject.push(options);
      menu.weights.push(w);
    }
  }
  menus.set(key, menu);
  return menu;
}

function chooseGoal(rng: Rng, taskType: AlfworldTaskType, l: Layout): GoalChoice | null {
  const menu = goalMenu(taskType, l);
  if (menu.byObject.length === 0) return null;
  return rng.pick(menu.byObject[rng.weightedIndex(menu.weights)] as GoalChoice[]);
}

const pools = new Map<string, Layout[]>();

/** The layouts a task of this type can use in the train/seen pool or the unseen pool. */
function layoutPool(unseen: boolean, taskType: AlfworldTaskType): Layout[] {
  const key = (unseen ? 'unseen|' : 'train|') + taskType;
  let pool = pools.get(key);
  if (!pool) {
    pool = (unseen ? UNSEEN_FLOOR_PLANS : TRAIN_FLOOR_PLANS).map(layout).filter((l) => GOALS_VALID[taskType].includes(l.roomType));
    pools.set(key, pool);
  }
  return pool;
}

function draw(rng: Rng, split: Split, index: number): AlfworldTask | null {
  const mix = TYPE_WEIGHTS[split];
  const taskType = TYPE_ORDER[rng.weightedIndex(TYPE_ORDER.map((t) => mix[t]))] as AlfworldTaskType;
  const pool = layoutPool(split === 'unseen', taskType);
  const l = rng.pick(pool);
  const goal = chooseGoal(rng, taskType, l);
  if (!goal) return null;

  const count = (taskType === 'puttwo' ? 2 : 1) + rng.weightedIndex(EXTRA_INSTANCE_WEIGHTS);
  const excluded = new Set(goal.receptacle ? [goal.receptacle] : []);
  const receptacles = placeObjects(rng, { layout: l, object: goal.object, count, excluded });
  // Cool quirk (augment_pddl_states.py): whatever starts inside a fridge is already cool.
  const cool: string[] = [];
  for (const r of receptacles) if (typeOfName(r.name) === 'fridge') cool.push(...r.contents);
  const template = rng.pick(GOAL_TEMPLATES[taskType]);
  return {
    id: formatTaskId({ env: 'alfworld', version: ALFWORLD_GENERATOR_VERSION, split, index }),
    env: 'alfworld',
    split,
    index,
    taskType,
    goal: fillTemplate(template, goal),
    roomType: l.roomType,
    layout: l.id,
    object: goal.object,
    receptacle: goal.receptacle,
    toggle: goal.toggle,
    receptacles,
    initialState: { hot: [], cool: cool.sort(compareDisplayOrder), clean: [] },
  };
}

/** Generates a task from scratch (no cache): what `alfworldGenerator.task` returns, frozen. */
export function generateAlfworldTask(split: Split, index: number): AlfworldTask {
  if (!Number.isInteger(index) || index < 0) throw new UnknownTaskError(`ALFWorld task index must be a non-negative integer, got ${index}`);
  if (!(split in TYPE_WEIGHTS)) throw new UnknownTaskError(`Unknown split "${split}" (train, seen or unseen)`);
  const base = new Rng(taskSeed({ env: 'alfworld', version: ALFWORLD_GENERATOR_VERSION, split, index }));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const task = draw(attempt === 0 ? base : base.fork(attempt), split, index);
    if (task && runPolicyOnWorld(task).success) return deepFreeze(task);
  }
  throw new Error(`ALFWorld generator: no solvable task for ${split}/${index} after ${MAX_ATTEMPTS} draws`);
}

/**
 * Recently generated tasks (with their compiled scene models, ≈25 KB each). Generation plays the
 * expert (≈0.2–0.3 ms warm) and training and benchmarks reset the same tasks again and again; the
 * cache changes no result, only the time.
 */
const CACHE_SIZE = 256;
const cache = new Map<string, AlfworldTask>();

function cachedTask(split: Split, index: number): AlfworldTask {
  const key = split + '/' + index;
  let task = cache.get(key);
  if (task) {
    cache.delete(key); // refresh its place in the LRU order
  } else {
    task = generateAlfworldTask(split, index);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, task);
  return task;
}

export const alfworldGenerator: TaskGenerator<AlfworldTask> = {
  env: 'alfworld',
  version: ALFWORLD_GENERATOR_VERSION,
  sizes: { train: 3321, seen: 140, unseen: 134 },
  task: cachedTask,
};
