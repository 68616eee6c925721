/**
 * The task generator: `(split, index)` → task, deterministically. The title is the index modulo
 * the library; the apartment, placements and states come from the task's own `Rng`. Each
 * candidate is checked by running the expert on it (the gold run): its executed actions become
 * the gold `program`, the classes it named become `object_id_dict`, and the recipe-restricted
 * diff of the run becomes `revised_graph`. A candidate the expert cannot finish is redrawn.
 *
 * Splits: train and seen use apartments 0–11 (seen = new placements and states in them);
 * unseen uses the held-out apartments 12–15. The original's seen/unseen criterion is unknown.
 */
import { NOTHING_HAPPENS } from '../core/react';
import { Rng } from '../core/rng';
import { taskSeed } from '../core/task-id';
import { UnknownTaskError, type Split, type TaskGenerator } from '../core/types';
import { apartment } from './apartments';
import { RecipeRunner } from './expert';
import { compileGoal, satisfiedCount } from './goal';
import { deriveGoal } from './goal-derivation';
import { actionText, scriptLine } from './grammar';
import { observationText } from './observation';
import { compileScene } from './scene';
import { SceneBuilder } from './scene-builder';
import { TASK_LIBRARY } from './task-library';
import type { Graph, RecipeStep, VirtualhomeTask } from './task-types';
import { World } from './world';

export const VIRTUALHOME_VERSION = 1;
/** Apartments of the train and seen splits. */
export const TRAIN_APARTMENTS: readonly number[] = Array.from({ length: 12 }, (_, i) => i);
/** Held-out apartments of the unseen split. */
export const UNSEEN_APARTMENTS: readonly number[] = [12, 13, 14, 15];
/** The gold run may not take longer than this (the step limit is 40). */
const GOLD_STEP_BUDGET = 30;
const MAX_ATTEMPTS = 40;

export interface GoldRun {
  program: string[];
  object_id_dict: Record<string, number>;
  world: World;
  steps: number;
}

/** Runs the expert on a graph; null when it gets stuck or runs out of steps. */
export function runGold(graph: Graph, recipe: readonly RecipeStep[], bindings: Record<string, number>): GoldRun | null {
  const scene = compileScene(graph);
  const world = new World(scene, bindings);
  const runner = new RecipeRunner(recipe);
  const program: string[] = [];
  const named = new Set<string>();
  let observation: string | null = null;
  let steps = 0;
  for (; steps <= GOLD_STEP_BUDGET; steps++) {
    const move = runner.next(observation);
    if (!move) break;
    const ok = world.execute(actionText(move.verb, move.args));
    for (const a of move.args) named.add(a);
    if (ok) {
      const args = move.args.map((cls) => {
        const c = scene.classIndex.get(cls) as number;
        return { className: cls, id: scene.ids[world.bound[c] as number] as number };
      });
      program.push(scriptLine(move.verb, args));
    }
    observation = ok ? observationText(world) : NOTHING_HAPPENS;
  }
  if (!runner.done || runner.stuck || steps > GOLD_STEP_BUDGET) return null;
  const object_id_dict: Record<string, number> = {};
  for (const cls of [...named].sort()) {
    const c = scene.classIndex.get(cls);
    if (c !== undefined && (world.bound[c] as number) >= 0) object_id_dict[cls] = scene.ids[world.bound[c] as number] as number;
  }
  return { program, object_id_dict, world, steps };
}

function generate(split: Split, index: number): VirtualhomeTask {
  const id = taskSeed({ env: 'virtualhome', version: VIRTUALHOME_VERSION, split, index });
  const base = new Rng(id);
  const template = TASK_LIBRARY[index % TASK_LIBRARY.length] as (typeof TASK_LIBRARY)[number];
  const pool = split === 'unseen' ? UNSEEN_APARTMENTS : TRAIN_APARTMENTS;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const rng = base.fork(attempt);
    const apt = apartment(rng.pick(pool));
    const b = new SceneBuilder(apt, rng);
    let built;
    try {
      built = template.build(b);
    } catch {
      continue; // this apartment lacks something the template needs
    }
    b.addDistractors(rng.range(8, 14), Object.keys(built.bindings));
    // After a few failed attempts, stop closing doors (the usual reason a candidate fails).
    const door = b.maybeCloseDoor(attempt < 8 ? 0.35 : 0);
    b.placeCharacter();
    const graph = b.finish();
    const bindings = { ...built.bindings };
    if (door !== null) bindings.door = door;
    const gold = runGold(graph, built.recipe, bindings);
    if (!gold) continue;
    const scene = compileScene(graph);
    const revised = deriveGoal(graph, scene, gold.world, built.recipe);
    if (!revised) continue;
    const goal = compileGoal(revised, scene);
    if (goal.total === 0 || satisfiedCount(gold.world, goal) !== goal.total) continue;
    if (satisfiedCount(new World(scene, gold.object_id_dict), goal) === goal.total) continue;
    return {
      id,
      env: 'virtualhome',
      split,
      index,
      taskType: template.title,
      goal: built.description,
      title: template.title,
      description: built.description,
      apartment: apt.name,
      init_graph: graph,
      revised_graph: revised,
      object_id_dict: gold.object_id_dict,
      program: gold.program,
      recipe: built.recipe,
    };
  }
  throw new Error(`virtualhome: could not generate a solvable task for ${id}`);
}

export const virtualhomeGenerator: TaskGenerator<VirtualhomeTask> = {
  env: 'virtualhome',
  version: VIRTUALHOME_VERSION,
  sizes: { train: 1000, seen: 150, unseen: 150 },
  task(split: Split, index: number): VirtualhomeTask {
    if (!Number.isInteger(index) || index < 0) throw new UnknownTaskError(`virtualhome: task index must be a non-negative integer, got ${index}`);
    if (split !== 'train' && split !== 'seen' && split !== 'unseen') throw new UnknownTaskError(`virtualhome: unknown split "${String(split)}"`);
    return generate(split, index);
  },
};
