/**
 * Tasks from explicit scene descriptions (README, "Scenes"): a JSON object naming the room,
 * every receptacle with its contents and open/closed state, and the goal. Validated with zod,
 * then semantically (types exist, the goal is achievable in principle); every error message
 * names the offending field, e.g. `Invalid ALFWorld scene at receptacles.2.name: …`.
 */
import { z } from 'zod';
import { hash32 } from '../core/rng';
import { SPLITS } from '../core/types';
import { APPLIANCE, canContain, CLEANABLE, COOLABLE, HEATABLE, isReceptacleType, LAMP_TYPES, OBJECT_TYPES, OPENABLE_TYPES, PORTABLE_TYPES, ROOM_TYPES } from './catalogue';
import { ALFWORLD_TASK_TYPES, goalSentences, type AlfworldTaskType } from './goals';
import { compareDisplayOrder, deepFreeze, typeOfName, type AlfworldReceptacle, type AlfworldTask } from './task';

const ObjectEntrySchema = z.union([
  z.string(),
  z
    .object({
      name: z.string(),
      hot: z.boolean().optional(),
      cool: z.boolean().optional(),
      clean: z.boolean().optional(),
    })
    .strict(),
]);

const ReceptacleEntrySchema = z
  .object({
    /** `<type> <n>`, e.g. `cabinet 2`. */
    name: z.string(),
    /** Defaults to the type's usual openability (fridge, microwave, safe, cabinet, drawer). */
    openable: z.boolean().optional(),
    /** Initial state of an openable receptacle; default closed. */
    open: z.boolean().optional(),
    /** Another receptacle at the same spot (`go to` this one from there → `Nothing happens.`). */
    sameLocationAs: z.string().optional(),
    contents: z.array(ObjectEntrySchema).optional(),
  })
  .strict();

export const AlfworldSceneSchema = z
  .object({
    roomType: z.enum(ROOM_TYPES),
    taskType: z.enum(ALFWORLD_TASK_TYPES),
    /** Target object type, e.g. `apple`. */
    object: z.string(),
    /** Goal receptacle type; required unless the task is examine. */
    receptacle: z.string().nullable().optional(),
    /** Lamp type (`desklamp` | `floorlamp`); required for examine. */
    toggle: z.string().nullable().optional(),
    /** One of the task type's goal sentences; default its first template. */
    goal: z.string().optional(),
    /** A label for the layout; default `custom`. */
    layout: z.string().optional(),
    /** Split recorded in the task (default `unseen`: a hand-made scene is not training data). */
    split: z.enum(SPLITS).optional(),
    receptacles: z.array(ReceptacleEntrySchema).min(1),
  })
  .strict();

/** A scene description (the JSON accepted by `alfworldTaskFromScene`). */
export type AlfworldScene = z.input<typeof AlfworldSceneSchema>;

class SceneError extends Error {
  constructor(path: string, message: string) {
    super(`Invalid ALFWorld scene at ${path}: ${message}`);
    this.name = 'SceneError';
  }
}

const NAME = /^([a-z]+) ([1-9][0-9]*)$/;

function checkName(name: string, path: string, isKnown: (type: string) => boolean, what: string): string {
  const m = NAME.exec(name);
  if (!m) throw new SceneError(path, `"${name}" is not "<type> <n>" (lower-case type, number from 1)`);
  const type = m[1] as string;
  if (!isKnown(type)) throw new SceneError(path, `unknown ${what} type "${type}"`);
  return type;
}

function requireProperty(taskType: AlfworldTaskType, object: string): void {
  const need = taskType === 'heat' ? HEATABLE : taskType === 'cool' ? COOLABLE : taskType === 'clean' ? CLEANABLE : null;
  if (need && !need.has(object)) throw new SceneError('object', `a ${object} cannot be used in a ${taskType} task (not ${taskType}able)`);
}

/** Builds a task from a scene description; throws an Error naming the offending field. */
export function alfworldTaskFromScene(scene: unknown): AlfworldTask {
  const parsed = AlfworldSceneSchema.safeParse(scene);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : '(root)';
    throw new SceneError(where, issue?.message ?? 'invalid');
  }
  const s = parsed.data;

  const receptacleNames = new Set<string>();
  const objectNames = new Set<string>();
  const hot: string[] = [];
  const cool: string[] = [];
  const clean: string[] = [];
  const receptacleTypes = new Set<string>();
  const objectTypes = new Map<string, number>();
  s.receptacles.forEach((r, i) => {
    const type = checkName(r.name, `receptacles.${i}.name`, isReceptacleType, 'receptacle');
    if (receptacleNames.has(r.name)) throw new SceneError(`receptacles.${i}.name`, `"${r.name}" appears twice`);
    receptacleNames.add(r.name);
    receptacleTypes.add(type);
    if (r.openable && !OPENABLE_TYPES.has(type)) throw new SceneError(`receptacles.${i}.openable`, `a ${type} cannot be opened`);
    const openable = r.openable ?? OPENABLE_TYPES.has(type);
    if (r.open && !openable) throw new SceneError(`receptacles.${i}.open`, `"${r.name}" is not openable`);
    (r.contents ?? []).forEach((entry, j) => {
      const name = typeof entry === 'string' ? entry : entry.name;
      const path = `receptacles.${i}.contents.${j}` + (typeof entry === 'string' ? '' : '.name');
      const objectType = checkName(name, path, (t) => OBJECT_TYPES.has(t), 'object');
      if (objectNames.has(name)) throw new SceneError(path, `"${name}" appears twice`);
      objectNames.add(name);
      objectTypes.set(objectType, (objectTypes.get(objectType) ?? 0) + 1);
      if (typeof entry !== 'string') {
        if (entry.hot) hot.push(name);
        if (entry.cool) cool.push(name);
        if (entry.clean) clean.push(name);
      }
      // Cool quirk: whatever starts inside a fridge is already cool.
      if (type === 'fridge' && !cool.includes(name)) cool.push(name);
    });
  });
  // Shared spots.
  const location = new Map<string, number>(s.receptacles.map((r, i) => [r.name, i]));
  s.receptacles.forEach((r, i) => {
    if (r.sameLocationAs === undefined) return;
    if (!receptacleNames.has(r.sameLocationAs) || r.sameLocationAs === r.name) {
      throw new SceneError(`receptacles.${i}.sameLocationAs`, `"${r.sameLocationAs}" is not another receptacle of the scene`);
    }
  });
  // Resolve chains (a → b → c) to one location id.
  for (let pass = 0; pass < s.receptacles.length; pass++) {
    for (const r of s.receptacles) if (r.sameLocationAs) location.set(r.name, location.get(r.sameLocationAs) as number);
  }

  const { taskType, object } = s;
  if (!PORTABLE_TYPES.has(object)) throw new SceneError('object', `"${object}" is not a portable object type`);
  requireProperty(taskType, object);
  const needed = taskType === 'puttwo' ? 2 : 1;
  if ((objectTypes.get(object) ?? 0) < needed) throw new SceneError('object', `the scene needs at least ${needed} ${object} in its receptacles`);
  let receptacle: string | null = null;
  let toggle: string | null = null;
  if (taskType === 'examine') {
    toggle = s.toggle ?? null;
    if (!toggle || !(LAMP_TYPES as readonly string[]).includes(toggle)) throw new SceneError('toggle', `examine needs "toggle": "desklamp" or "floorlamp"`);
    if (!objectTypes.has(toggle)) throw new SceneError('toggle', `no ${toggle} in the scene`);
  } else {
    receptacle = s.receptacle ?? null;
    if (!receptacle || !isReceptacleType(receptacle)) throw new SceneError('receptacle', `"${receptacle}" is not a receptacle type`);
    if (!receptacleTypes.has(receptacle)) throw new SceneError('receptacle', `no ${receptacle} in the scene`);
    if (!canContain(receptacle, object)) throw new SceneError('receptacle', `a ${receptacle} cannot hold a ${object}`);
    if (taskType === 'heat' || taskType === 'cool' || taskType === 'clean') {
      const app = APPLIANCE[taskType];
      if (!receptacleTypes.has(app)) throw new SceneError('receptacles', `a ${taskType} task needs a ${app}`);
    }
  }
  const spec = { taskType, object, receptacle, toggle };
  const sentences = goalSentences(spec);
  const goal = s.goal ?? (sentences[0] as string);
  if (!sentences.includes(goal)) throw new SceneError('goal', `"${goal}" is not one of: ${sentences.map((g) => `"${g}"`).join(', ')}`);

  const receptacles: AlfworldReceptacle[] = s.receptacles
    .map((r) => {
      const openable = r.openable ?? OPENABLE_TYPES.has(typeOfName(r.name));
      return {
        name: r.name,
        openable,
        open: openable && (r.open ?? false),
        location: location.get(r.name) as number,
        contents: (r.contents ?? []).map((e) => (typeof e === 'string' ? e : e.name)).sort(compareDisplayOrder),
      };
    })
    .sort((a, b) => compareDisplayOrder(a.name, b.name));
  const split = s.split ?? 'unseen';
  const initialState = { hot: hot.sort(compareDisplayOrder), cool: cool.sort(compareDisplayOrder), clean: clean.sort(compareDisplayOrder) };
  const body = { taskType, goal, roomType: s.roomType, layout: s.layout ?? 'custom', object, receptacle, toggle, receptacles, initialState };
  const id = `alfworld/scene/${hash32(JSON.stringify(body)).toString(16).padStart(8, '0')}`;
  return deepFreeze({ id, env: 'alfworld', split, index: -1, ...body });
}
