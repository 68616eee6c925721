/** Task generation: determinism, splits, goal record fields, instruction text. */
import { describe, expect, it } from 'vitest';
import { UnknownTaskError } from '../../../envs/core/types';
import { getCatalogue, goalFingerprint, splitOfGoal, webshopGenerator, type WebshopTask } from '../../../envs/webshop/index';
import { priceUpper, PRICE_RANGE } from '../../../envs/webshop/goal-builder';
import { Rng } from '../../../envs/core/rng';

const N = 150;
const tasks = (split: 'train' | 'seen' | 'unseen', n = N): WebshopTask[] => Array.from({ length: n }, (_, i) => webshopGenerator.task(split, i));

describe('webshopGenerator', () => {
  it('has the contract fields', () => {
    expect(webshopGenerator.env).toBe('webshop');
    expect(webshopGenerator.version).toBe(1);
    expect(webshopGenerator.sizes).toEqual({ train: 1624, seen: 200, unseen: 200 });
  });

  it('is deterministic and tasks are plain JSON', () => {
    const a = webshopGenerator.task('train', 17);
    const copy = JSON.parse(JSON.stringify(a)) as WebshopTask;
    expect(copy).toEqual(a);
    expect(a.id).toBe('webshop/v1/train/17');
    // A pinned task: changing the catalogue or the generator must bump the version.
    const t0 = webshopGenerator.task('train', 0);
    expect(t0.asin).toMatch(/^B0[0-9A-Z]{8}$/);
    expect(t0).toMatchObject({ env: 'webshop', split: 'train', index: 0, taskType: t0.category, goal: t0.instruction_text });
  });

  it('serves any non-negative integer index and rejects others', () => {
    expect(webshopGenerator.task('seen', 123456).index).toBe(123456);
    expect(() => webshopGenerator.task('train', -1)).toThrow(UnknownTaskError);
    expect(() => webshopGenerator.task('train', 1.5)).toThrow(UnknownTaskError);
    expect(() => webshopGenerator.task('bogus' as 'train', 0)).toThrow(UnknownTaskError);
  });

  it('keeps the splits disjoint (no goal in two splits)', () => {
    const seenPrints = new Map<string, string>();
    for (const split of ['train', 'seen', 'unseen'] as const) {
      for (const t of tasks(split)) {
        const fp = goalFingerprint(t);
        const other = seenPrints.get(fp);
        if (other !== undefined) expect(other, fp).toBe(split);
        seenPrints.set(fp, split);
      }
    }
    for (const t of tasks('train')) expect(splitOfGoal(t)).toBe('train');
    for (const t of tasks('seen')) expect(splitOfGoal(t)).toBe('seen');
  });

  it('unseen goals target held-out product types only; train/seen never do', () => {
    const catalogue = getCatalogue();
    const heldOut = new Set(catalogue.types.filter((t) => t.heldOut).map((t) => t.id));
    expect(heldOut.size).toBe(15);
    for (const t of tasks('unseen')) expect(heldOut.has(t.productType), t.id).toBe(true);
    for (const t of [...tasks('train'), ...tasks('seen')]) expect(heldOut.has(t.productType), t.id).toBe(false);
    // every category family appears in both
    expect(new Set(tasks('unseen').map((t) => t.category)).size).toBe(5);
    expect(new Set(tasks('train').map((t) => t.category)).size).toBe(5);
  });

  it('goal records use the target product and goal.py field names', () => {
    const catalogue = getCatalogue();
    for (const t of tasks('train', 60)) {
      const p = catalogue.products[catalogue.idOfAsin(t.asin.toLowerCase())!]!;
      expect(t.name).toBe(p.Title);
      expect(t.query).toBe(p.query);
      expect(t.product_category).toBe(p.product_category);
      expect(t.attributes.length).toBeGreaterThanOrEqual(1);
      expect(t.attributes.length).toBeLessThanOrEqual(4);
      expect(t.goal_options.length).toBeLessThanOrEqual(3);
      for (const a of t.attributes) expect(p.trueAttributes).toContain(a);
      const values = Object.values(p.options).flat();
      for (const o of t.goal_options) expect(values).toContain(o);
    }
  });

  it('instructions read like human goals and end with goal.py\'s price clause', () => {
    const openers = /^(i need|i am looking for|im looking for|i'm looking for|i want|i would like|id like|i'd like|looking for|find me|i want to buy|can you find me|i need to buy|im locking for|i am loking for|i neeed|i wnat|i would liek|i ned) /;
    let withClause = 0;
    for (const t of tasks('train')) {
      expect(t.instruction_text).toMatch(openers);
      expect(t.instruction_text).toBe(t.instruction_text.toLowerCase());
      const m = / and price lower than (\d+\.\d\d) dollars$/.exec(t.instruction_text);
      if (m) {
        withClause++;
        expect(t.instruction_text.endsWith(`, and price lower than ${t.price_upper.toFixed(2)} dollars`)).toBe(true);
        expect(PRICE_RANGE).toContain(t.price_upper);
      } else expect(t.price_upper).toBe(1000000);
    }
    expect(withClause).toBeGreaterThan(N * 0.8);
  });

  it('priceUpper follows goal.py: the larger of two of the four steps above the price', () => {
    const rng = new Rng('price');
    for (let i = 0; i < 200; i++) {
      const { upper, text } = priceUpper(64.98, rng);
      expect([80, 90, 100]).toContain(upper);
      expect(text).toBe(`, and price lower than ${upper.toFixed(2)} dollars`);
    }
    expect(priceUpper(975, rng)).toEqual({ upper: 990, text: ', and price lower than 990.00 dollars' });
    expect(priceUpper(985, rng)).toEqual({ upper: 1000000, text: '' });
    expect(priceUpper(990, rng)).toEqual({ upper: 1000000, text: '' });
    expect([980, 990]).toContain(priceUpper(965, rng).upper);
    expect([30, 40, 50]).toContain(priceUpper(10, rng).upper); // strictly greater: 10 is not above 10
  });

  it('uses 1-4 attributes and 0-3 options with a spread like human goals', () => {
    const all = tasks('train');
    const byAttrs = [0, 0, 0, 0, 0];
    const byOpts = [0, 0, 0, 0];
    for (const t of all) {
      byAttrs[t.attributes.length]!++;
      byOpts[t.goal_options.length]!++;
    }
    expect(byAttrs[0]).toBe(0);
    for (const k of [1, 2, 3]) expect(byAttrs[k]).toBeGreaterThan(10);
    for (const k of [1, 2]) expect(byOpts[k]).toBeGreaterThan(10);
    expect(byOpts[0]).toBeGreaterThan(2); // ~4%: most look-alikes must be ruled out by an option
  });
});
