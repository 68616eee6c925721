/**
 * Turns a target product into a goal record (goal.py `get_human_goals` fields): 1–4 of
 * its attributes, 0–3 of its option values and goal.py's price clause. Choices lean
 * toward what tells the target from its near-duplicates (an attribute a sibling lacks,
 * an option value a sibling does not offer), so most goals have hard negatives.
 */
import type { Rng } from '../core/rng';
import type { Catalogue } from './catalogue';
import { writeInstruction, type GoalOption } from './instruction';
import type { Product, WebshopGoal } from './types';
import { BRANDS, type AttrSpec } from './vocab/index';

/** goal.py's PRICE_RANGE = [10.0 * i for i in range(1, 100)]. */
export const PRICE_RANGE: readonly number[] = Array.from({ length: 99 }, (_, i) => 10 * (i + 1));
export const NO_PRICE_LIMIT = 1000000;

/** goal.py's price clause: two of the (up to) four steps above the price, the larger one. */
export function priceUpper(price: number, rng: Rng): { upper: number; text: string } {
  const candidates = PRICE_RANGE.filter((p) => p > price).slice(0, 4);
  if (candidates.length < 2) return { upper: NO_PRICE_LIMIT, text: '' };
  const [a, b] = rng.sample(candidates, 2) as [number, number];
  const upper = Math.max(a, b);
  return { upper, text: `, and price lower than ${upper.toFixed(2)} dollars` };
}

const ATTR_COUNT_WEIGHTS = [0, 12, 36, 34, 18]; // index = number of attributes
const OPTION_COUNT_WEIGHTS = [10, 40, 36, 14]; // index = number of options

/** Python's str.strip('.') on the instruction. */
function stripDots(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charAt(a) === '.') a++;
  while (b > a && s.charAt(b - 1) === '.') b--;
  return s.slice(a, b);
}

export interface BuiltGoal {
  goal: WebshopGoal;
  /** The option mentions the instruction uses (diagnostics). */
  mentions: string[];
}

export function buildGoal(catalogue: Catalogue, target: Product, rng: Rng): BuiltGoal {
  const type = catalogue.type(target);
  const siblings = catalogue.clusterMembers(target.cluster).filter((id) => id !== target.id).map((id) => catalogue.products[id] as Product);
  const specs = type.attributes.filter((a) => target.trueAttributes.includes(a.phrase));

  // Attributes: first what the keyword-stuffed look-alikes lack (they top keyword
  // searches, so they must be wrong), then what other siblings lack, then the rest.
  const stuffed = siblings.filter((s) => s.stuffed);
  const lacks = (a: AttrSpec, among: readonly Product[]) => among.some((s) => !s.trueAttributes.includes(a.phrase));
  const must = rng.shuffle(specs.filter((a) => lacks(a, stuffed)));
  const k = Math.min(specs.length, Math.max(rng.weightedIndex(ATTR_COUNT_WEIGHTS), Math.min(must.length, 4)));
  const distinctive = rng.shuffle(specs.filter((a) => !must.includes(a) && lacks(a, siblings)));
  const attributes: AttrSpec[] = [];
  for (const a of must) if (attributes.length < k) attributes.push(a);
  for (const a of distinctive) if (attributes.length < k && rng.chance(0.85)) attributes.push(a);
  for (const a of rng.shuffle(specs)) if (attributes.length < k && !attributes.includes(a)) attributes.push(a);

  // Options: likewise, values a stuffed look-alike does not offer come first.
  const groups = Object.keys(target.options);
  const missingIn = (g: string, among: readonly Product[]) => (target.options[g] as string[]).filter((v) => among.some((s) => !(s.options[g] ?? []).includes(v)));
  const mustGroups = rng.shuffle(groups.filter((g) => missingIn(g, stuffed).length > 0));
  const m = Math.min(groups.length, Math.max(rng.weightedIndex(OPTION_COUNT_WEIGHTS), mustGroups.length));
  const scarce = rng.shuffle(groups.filter((g) => !mustGroups.includes(g) && missingIn(g, siblings).length > 0));
  const ordered = [...mustGroups, ...scarce, ...rng.shuffle(groups.filter((g) => !mustGroups.includes(g) && !scarce.includes(g)))];
  const options: GoalOption[] = [];
  for (const group of ordered.slice(0, m)) {
    const values = target.options[group] as string[];
    const fromStuffed = missingIn(group, stuffed);
    const rare = missingIn(group, siblings);
    const value = fromStuffed.length ? rng.pick(fromStuffed) : rare.length && rng.chance(0.8) ? rng.pick(rare) : rng.pick(values);
    options.push({ group, value });
  }

  // Now and then the instruction names the brand, as human goals do ("… cosycost usb microphone").
  const brand = rng.chance(0.2) ? BRANDS[type.category].find((b) => target.Title.startsWith(`${b} `)) ?? null : null;
  const written = writeInstruction({ type, attributes, options, brand: brand ? brand.toLowerCase() : null }, rng);
  const price = priceUpper(target.price, rng);
  return {
    goal: {
      asin: target.asin,
      category: target.category,
      query: target.query,
      name: target.name,
      product_category: target.product_category,
      instruction_text: stripDots(written.text) + price.text,
      attributes: attributes.map((a) => a.phrase),
      goal_options: options.map((o) => o.value),
      price_upper: price.upper,
    },
    mentions: written.mentions,
  };
}
