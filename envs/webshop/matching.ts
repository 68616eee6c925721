/**
 * The oracle's view of a goal: which products could be bought with reward 1 (with the
 * right option clicks). Used by the progress oracle and by generator diagnostics; never
 * by the expert or any page.
 *
 * It relies on a catalogue invariant the tests check: a product matches a vocabulary
 * attribute phrase (fuzzy on Attributes, or substring of its texts) exactly when the
 * phrase is one of its true attributes. Candidates are therefore the intersection of
 * the goal attributes' product lists; options, price and type are then checked with
 * the real reward functions.
 */
import type { Catalogue } from './catalogue';
import { tokenSetRatio } from './fuzz';
import { normalizeColor } from './normalize';
import { getAttributeReward, getOptionReward, getTypeReward } from './reward';
import type { Product, WebshopGoal } from './types';

/** An option map that satisfies as many goal options as possible on `p` (one value per option name). */
export function bestOptionsFor(p: Product, goalOptions: readonly string[]): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const g of goalOptions) {
    const target = normalizeColor(g);
    let done = false;
    for (const [name, values] of Object.entries(p.options)) {
      if (chosen[name] !== undefined) continue;
      for (const v of values) {
        if (tokenSetRatio(normalizeColor(v), target) > 85) {
          chosen[name] = v;
          done = true;
          break;
        }
      }
      if (done) break;
    }
  }
  return chosen;
}

/**
 * r_type of buying `p` for `goal` without tagging nouns when `p` is the goal's own
 * product: then query and category match, and title_score is the share of distinct
 * nouns in the name (or 0.2 without nouns), far above 0.1 for titles of at most 25
 * words — so r_type is 1. Other products go through get_type_reward (and the tagger).
 */
export function typeRewardOf(p: Product, goal: WebshopGoal): number {
  if (p.name === goal.name && p.query === goal.query && p.product_category === goal.product_category) return 1;
  return getTypeReward(p, goal).r_type;
}

/** Whether buying `p` with `options` scores exactly 1.0 for `goal` (goal.py's reward, short-circuited). */
export function purchaseScoresOne(p: Product, goal: WebshopGoal, options: Readonly<Record<string, string>>): boolean {
  if (p.price > goal.price_upper) return false;
  if (getAttributeReward(p, goal)[1] !== goal.attributes.length) return false;
  if (getOptionReward(Object.values(options), goal.goal_options)[1] !== goal.goal_options.length) return false;
  return typeRewardOf(p, goal) === 1;
}

/** Ids of the products that a purchase with the right options would score 1.0 on. */
export function matchingProducts(catalogue: Catalogue, goal: WebshopGoal): Set<number> {
  const out = new Set<number>();
  if (goal.attributes.length === 0) return out;
  let candidates: readonly number[] = catalogue.withAttribute(goal.attributes[0] as string);
  for (let i = 1; i < goal.attributes.length && candidates.length; i++) {
    const next = new Set(catalogue.withAttribute(goal.attributes[i] as string));
    candidates = candidates.filter((id) => next.has(id));
  }
  for (const id of candidates) {
    const p = catalogue.products[id] as Product;
    if (purchaseScoresOne(p, goal, bestOptionsFor(p, goal.goal_options))) out.add(id);
  }
  return out;
}
