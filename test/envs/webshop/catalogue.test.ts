/** The generated catalogue: size, record fields, invariants the oracle relies on, hard negatives. */
import { describe, expect, it } from 'vitest';
import { getCatalogue, tokenSetRatio, webshopGenerator } from '../../../envs/webshop/index';
import { matchingProducts } from '../../../envs/webshop/matching';
import { ALL_TYPES, NOISE_ATTRIBUTES, OPTION_GROUP_NAMES } from '../../../envs/webshop/vocab/index';

const catalogue = getCatalogue();
const products = catalogue.products;

describe('catalogue', () => {
  it('is built once, quickly, and shared', () => {
    expect(getCatalogue()).toBe(catalogue);
    expect(catalogue.buildMs).toBeLessThan(5000);
  });

  it('has ~2,500 products in 5 categories and 61 types, pinned', () => {
    expect(products.length).toBe(2574);
    expect(new Set(products.map((p) => p.category))).toEqual(new Set(['beauty', 'electronics', 'fashion', 'food', 'furniture']));
    expect(catalogue.types.length).toBe(61);
    expect(products[0]!.asin).toBe('B0RRSHK3VB');
    expect(products[3]!.Title).toBe('Kinoko Paraben Free Shampoo, for Hair Growth and Oily Scalp and Dry Hair');
  });

  it('records have the original fields and formats', () => {
    const asins = new Set<string>();
    const bad: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok) bad.push(what);
    };
    const ASIN = /^B0[0-9A-Z]{8}$/;
    for (const p of products) {
      check(ASIN.test(p.asin), `${p.asin} asin`);
      asins.add(p.asin);
      check(p.name === p.Title, `${p.asin} name`);
      check(p.Title.split(' ').length <= 25, `${p.asin} title length`);
      check(p.product_category.split(' › ').length >= 3, `${p.asin} breadcrumb`);
      check(p.Rating === 'N.A.' && p.BulletPoints.length >= 2 && p.Attributes.length >= 1, `${p.asin} fields`);
      const [lo, hi] = p.pricing as [number, number | undefined];
      if (hi === undefined) check(p.Price === `$${lo.toFixed(2)}` && p.price === lo, `${p.asin} price`);
      else check(p.Price === `$${lo.toFixed(2)} to $${hi.toFixed(2)}` && p.price >= lo && p.price <= hi, `${p.asin} price range`);
      for (const [name, values] of Object.entries(p.options)) {
        check(OPTION_GROUP_NAMES.includes(name), `${p.asin} option name ${name}`);
        for (const v of values) check(v === v.toLowerCase() && !v.includes('/'), `${p.asin} option value ${v}`);
      }
    }
    expect(bad).toEqual([]);
    expect(asins.size).toBe(products.length);
    expect(products.filter((p) => p.pricing.length === 2).length).toBeGreaterThan(products.length * 0.08);
    expect(products.some((p) => (p.options.color ?? []).includes('black | white'))).toBe(true);
    expect(products.some((p) => (p.options.color ?? []).includes('c-navy blue'))).toBe(true);
  });

  it('no two attribute phrases fuzzy-match each other (token_set_ratio > 85)', () => {
    const phrases = [...new Set([...ALL_TYPES.flatMap((t) => t.attributes.map((a) => a.phrase)), ...NOISE_ATTRIBUTES])];
    const clashes: string[] = [];
    for (let i = 0; i < phrases.length; i++) for (let j = i + 1; j < phrases.length; j++) if (tokenSetRatio(phrases[i]!, phrases[j]!) > 85) clashes.push(`${phrases[i]} | ${phrases[j]}`);
    expect(clashes).toEqual([]);
  });

  it('a product has a vocabulary attribute (by goal.py\'s test) exactly when it is one of its true attributes', () => {
    // With no fuzzy clashes (previous test), goal.py's attribute test reduces to: the phrase
    // is in Attributes (hyphens as spaces) or a substring of Title/BulletPoints/Description.
    const phrases = [...new Set(ALL_TYPES.flatMap((t) => t.attributes.map((a) => a.phrase)))];
    const wrong: string[] = [];
    for (const p of products) {
      const mined = new Set(p.Attributes.map((a) => a.replace('-', ' ')));
      const text = `${p.Title.toLowerCase()}\n${p.BulletPoints.join(' ').toLowerCase()}\n${p.Description.toLowerCase()}`;
      for (const g of phrases) {
        const has = mined.has(g) || text.includes(g);
        if (has !== p.trueAttributes.includes(g)) wrong.push(`${p.asin} ${g}`);
      }
      // every true attribute is spelled out in the Description
      for (const a of p.trueAttributes) expect(p.Description.includes(a)).toBe(true);
    }
    expect(wrong).toEqual([]);
  });

  it('near-duplicates: a goal\'s look-alikes are wrong, and some outrank the target in a keyword search', () => {
    let negativeAbove = 0;
    let someMatchOnPage = 0;
    let negativeSiblings = 0;
    const n = 60;
    for (let i = 0; i < n; i++) {
      const t = webshopGenerator.task('train', i);
      const target = catalogue.idOfAsin(t.asin.toLowerCase())!;
      const matching = matchingProducts(catalogue, t);
      expect(matching.has(target)).toBe(true);
      const siblings = catalogue.clusterMembers(products[target]!.cluster);
      expect(siblings.length).toBeGreaterThanOrEqual(6);
      const negatives = siblings.filter((id) => !matching.has(id)).length;
      expect(negatives).toBeGreaterThanOrEqual(1);
      negativeSiblings += negatives;
      const hits = catalogue.search(t.instruction_text);
      const rank = hits.indexOf(target);
      if (hits.slice(0, rank < 0 ? 50 : rank).some((id) => siblings.includes(id) && !matching.has(id))) negativeAbove++;
      if (hits.slice(0, 10).some((id) => matching.has(id))) someMatchOnPage++;
    }
    expect(negativeSiblings / n).toBeGreaterThan(3);
    expect(negativeAbove).toBeGreaterThan(n * 0.5);
    expect(someMatchOnPage).toBeGreaterThan(n * 0.8);
  });
});
