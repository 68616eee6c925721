/**
 * The WebShop task generator: `(split, index)` → one goal over the shared catalogue,
 * deterministic on every machine (its randomness comes only from the task id).
 *
 * - train / seen: goals over the product types present in training. A goal's content
 *   (target ASIN, attributes, options) is hashed: one hash class in ten is `seen`, the
 *   rest `train`, so the two splits never share a goal.
 * - unseen: goals over held-out product types (3 per category); their products are in
 *   the same catalogue (search finds them) but no train or seen goal targets them.
 *
 * Every task is verified by running the expert on it; a goal the expert cannot solve
 * with reward 1.0 within 10 steps is redrawn (deterministically, from the next fork).
 */
import { Rng, hash32 } from '../core/rng';
import { formatTaskId, taskSeed } from '../core/task-id';
import { SPLITS, UnknownTaskError, type ResetInfo, type Split, type TaskGenerator } from '../core/types';
import { getCatalogue, type Catalogue } from './catalogue';
import { WebshopExpert } from './expert';
import { buildGoal } from './goal-builder';
import { purchaseScoresOne } from './matching';
import type { Product, WebshopGoal, WebshopTask } from './types';
import { WebshopWorld } from './world';

export const WEBSHOP_GENERATOR_VERSION = 1;
const MAX_STEPS = 10;
const MAX_ATTEMPTS = 500;
const SEEN_HASH_CLASSES = 10;

/** The split a train-type goal belongs to, from its content. */
export function splitOfGoal(goal: Pick<WebshopGoal, 'asin' | 'attributes' | 'goal_options'>): 'train' | 'seen' {
  return hash32(goalFingerprint(goal)) % SEEN_HASH_CLASSES === 0 ? 'seen' : 'train';
}

/** What makes two goals the same goal (the wording and the price bound aside). */
export function goalFingerprint(goal: Pick<WebshopGoal, 'asin' | 'attributes' | 'goal_options'>): string {
  return `${goal.asin}|${[...goal.attributes].sort().join(',')}|${[...goal.goal_options].sort().join(',')}`;
}

/** Plays the expert on a goal in a bare world; true when it buys with reward 1.0 within 10 steps. */
export function expertSolves(catalogue: Catalogue, goal: WebshopGoal): boolean {
  const world = new WebshopWorld(catalogue);
  let observation = `Observation:\n${world.begin(goal, false)}`;
  const expert = new WebshopExpert();
  expert.begin(observation, { progress: 0 } as unknown as ResetInfo);
  for (let t = 0; t < MAX_STEPS; t++) {
    const turn = expert.act(observation, null);
    const at = turn.indexOf('Action: ');
    const action = at < 0 ? '' : turn.slice(at + 'Action: '.length).trim();
    // Judge the purchase without running it: same verdict as reward === 1, but it skips
    // the noun tagger when the expert buys the goal's own product (see matching.ts).
    if (world.page === 'item' && action.toLowerCase() === 'click[buy now]') {
      return purchaseScoresOne(catalogue.products[world.item] as Product, goal, world.selected);
    }
    const out = world.execute(action);
    if (!out.valid) return false;
    if (out.terminated) return out.reward === 1;
    observation = `Observation:\n${out.text}`;
  }
  return false;
}

class WebshopGenerator implements TaskGenerator<WebshopTask> {
  readonly env = 'webshop' as const;
  readonly version = WEBSHOP_GENERATOR_VERSION;
  readonly sizes = { train: 1624, seen: 200, unseen: 200 };
  private readonly cache = new Map<string, WebshopTask>();
  private pools: { trainTypes: number[]; heldOut: number[] } | null = null;
  /** Redraws so far (diagnostics: how often the expert check rejected a goal). */
  rejectedByExpert = 0;

  private productPools(catalogue: Catalogue) {
    if (!this.pools) {
      const trainTypes: number[] = [];
      const heldOut: number[] = [];
      for (const p of catalogue.products) if (p.variant === 'base') (catalogue.type(p).heldOut ? heldOut : trainTypes).push(p.id);
      this.pools = { trainTypes, heldOut };
    }
    return this.pools;
  }

  task(split: Split, index: number): WebshopTask {
    if (!(SPLITS as readonly string[]).includes(split)) throw new UnknownTaskError(`Unknown split "${split}" (train, seen or unseen)`);
    if (!Number.isInteger(index) || index < 0) throw new UnknownTaskError(`Task index must be a non-negative integer, got ${index}`);
    const id = formatTaskId({ env: 'webshop', version: this.version, split, index });
    const cached = this.cache.get(id);
    if (cached) return cached;

    const catalogue = getCatalogue();
    const pools = this.productPools(catalogue);
    const pool = split === 'unseen' ? pools.heldOut : pools.trainTypes;
    const rng = new Rng(taskSeed({ env: 'webshop', version: this.version, split, index }));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const draw = rng.fork(attempt);
      const target = catalogue.products[draw.pick(pool)] as Product;
      const { goal } = buildGoal(catalogue, target, draw);
      if (split !== 'unseen' && splitOfGoal(goal) !== split) continue;
      if (!expertSolves(catalogue, goal)) {
        this.rejectedByExpert++;
        continue;
      }
      const task: WebshopTask = {
        id,
        env: 'webshop',
        split,
        index,
        taskType: goal.category,
        goal: goal.instruction_text,
        ...goal,
        productType: target.typeId,
      };
      if (this.cache.size >= 20_000) this.cache.clear();
      this.cache.set(id, task);
      return task;
    }
    throw new Error(`webshop generator: no solvable goal for ${id} after ${MAX_ATTEMPTS} draws`);
  }
}

export type { WebshopGenerator };

/** The shared WebShop generator (env 'webshop', version 1; canonical sizes 1624 / 200 / 200). */
export const webshopGenerator: TaskGenerator<WebshopTask> & { rejectedByExpert: number } = new WebshopGenerator();
