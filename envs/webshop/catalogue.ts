/**
 * The shop's catalogue: ~2,000 products over 61 types in 5 categories, generated once
 * per process from a fixed seed and shared by every environment instance.
 *
 * Each type is built as clusters of near-duplicates: a base product plus variants that
 * differ from it in exactly one thing — one attribute swapped, one option value missing,
 * a price above any budget the base's goals could state, or another brand (an equally
 * good alternative). Goals target any product, so their hard negatives are the siblings.
 */
import { Rng } from '../core/rng';
import { buildBulletPoints, buildDescription, buildTitle, optionText, type TextPlan } from './product-text';
import { ProductSearch } from './search';
import { dollars } from './text';
import type { Product } from './types';
import { ALL_TYPES, BRANDS, LINES, NOISE_ATTRIBUTES, type AttrSpec, type TypeSpec } from './vocab/index';

export const CATALOGUE_SEED = 'webshop-catalogue/v1';
const CLUSTERS_PER_TYPE = 6;

export type VariantKind = 'base' | 'attr' | 'option' | 'price' | 'brand';

interface Draft {
  type: TypeSpec;
  cluster: number;
  kind: VariantKind;
  brand: string;
  line: string;
  attributes: AttrSpec[];
  options: Record<string, string[]>;
  pricing: number[];
  price: number;
  /** Keyword-stuffed listing: every attribute in the title, keywords in the first bullet. */
  stuffed: boolean;
}

export interface Catalogue {
  readonly products: readonly Product[];
  readonly types: readonly TypeSpec[];
  /** Milliseconds the build took (products + search index). */
  readonly buildMs: number;
  type(product: Product): TypeSpec;
  /** Product id by lower-cased ASIN. */
  idOfAsin(asinLower: string): number | undefined;
  /** Product ids of a type. */
  productsOfType(typeId: string): readonly number[];
  /** Product ids of a near-duplicate cluster (the product itself included). */
  clusterMembers(cluster: number): readonly number[];
  /** Product ids whose true attributes include the phrase. */
  withAttribute(phrase: string): readonly number[];
  /** Top-50 product ids for a query (cached). */
  search(query: string): readonly number[];
}

function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A shelf price: whole dollars plus a typical ending (.99, .95, …). */
function shelfPrice(x: number, rng: Rng): number {
  return cents(Math.max(1, Math.floor(x)) + rng.pick([0.99, 0.95, 0.49, 0.0, 0.89, 0.79]));
}

function logUniform(lo: number, hi: number, rng: Rng): number {
  return Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)));
}

/** Either one price or, for ~15% of products, a range; `price` is engine.py's draw inside it. */
function drawPricing(center: number, rng: Rng, rangeShare = 0.15): Pick<Draft, 'pricing' | 'price'> {
  const lo = shelfPrice(center, rng);
  if (!rng.chance(rangeShare)) return { pricing: [lo], price: lo };
  const hi = shelfPrice(lo * (1.15 + rng.next() * 0.65), rng);
  return { pricing: [lo, hi], price: cents(lo + rng.next() * (hi - lo)) };
}

function drawOptions(type: TypeSpec, rng: Rng): Record<string, string[]> {
  const options: Record<string, string[]> = {};
  for (const g of type.options) {
    const pool = rng.pick(g.pools);
    const n = Math.min(pool.length, rng.range(g.min, g.max));
    const chosen = new Set(rng.sample(pool, n));
    options[g.name] = pool.filter((v) => chosen.has(v));
  }
  return options;
}

function cloneOptions(options: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(options)) out[k] = v.slice();
  return out;
}

function buildCluster(type: TypeSpec, cluster: number, rng: Rng): Draft[] {
  const brands = BRANDS[type.category];
  const lines = LINES[type.category];
  const k = Math.min(type.attributes.length - 2, rng.range(3, 4));
  const base: Draft = {
    type,
    cluster,
    kind: 'base',
    brand: rng.pick(brands),
    line: rng.chance(0.7) ? rng.pick(lines) : '',
    attributes: rng.sample(type.attributes, k),
    options: drawOptions(type, rng),
    ...drawPricing(logUniform(type.price[0], type.price[1], rng), rng),
    stuffed: false,
  };
  const drafts: Draft[] = [base];
  const kinds: VariantKind[] = rng.shuffle<VariantKind>(['attr', 'attr', 'attr', 'option', 'option', 'price', 'price', 'brand']).slice(0, rng.range(5, 7));
  for (const kind of kinds) {
    const v: Draft = {
      ...base,
      kind,
      attributes: base.attributes.slice(),
      options: cloneOptions(base.options),
      ...drawPricing(base.price * (0.85 + rng.next() * 0.3), rng),
      // Sellers of look-alikes often stuff titles and bullets with keywords, which lifts
      // them above the real match in a keyword search.
      stuffed: kind !== 'brand' && rng.chance(kind === 'price' ? 0.7 : 0.5),
    };
    if (kind === 'attr') {
      // Swap one attribute for one the base does not have: the swapped-out phrase is absent.
      const missing = type.attributes.filter((a) => !base.attributes.includes(a));
      v.attributes[rng.int(v.attributes.length)] = rng.pick(missing);
    } else if (kind === 'option') {
      const groups = Object.keys(v.options).filter((g) => (v.options[g] as string[]).length >= 2);
      if (groups.length) {
        const g = rng.pick(groups);
        const values = v.options[g] as string[];
        values.splice(rng.int(values.length), 1);
        const pool = type.options.find((x) => x.name === g)!.pools.find((p) => p.includes(values[0] as string)) ?? [];
        const extra = pool.filter((x) => !values.includes(x) && !base.options[g]!.includes(x));
        if (extra.length && rng.chance(0.5)) {
          const add = rng.pick(extra);
          v.options[g] = pool.filter((x) => x === add || values.includes(x));
        }
      }
    } else if (kind === 'price') {
      // Above the largest budget goal.py can state for the base (4 price steps of 10 above it).
      const single = shelfPrice(Math.floor(base.price / 10) * 10 + 41 + rng.next() * 20, rng);
      v.pricing = [single];
      v.price = single;
    } else if (kind === 'brand') {
      v.brand = rng.pick(brands.filter((b) => b !== base.brand));
      v.line = rng.chance(0.7) ? rng.pick(lines) : '';
    }
    drafts.push(v);
  }
  return drafts;
}

function makeAsin(rng: Rng, used: Set<string>): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (;;) {
    let s = 'B0';
    for (let i = 0; i < 8; i++) s += chars.charAt(rng.int(chars.length));
    if (!used.has(s)) {
      used.add(s);
      return s;
    }
  }
}

function toProduct(d: Draft, id: number, asin: string, rng: Rng): Product {
  const visible = new Set<string>();
  for (const a of d.attributes) if (d.stuffed || rng.chance(0.55)) visible.add(a.phrase);
  const plan: TextPlan = { type: d.type, brand: d.brand, line: d.line, attributes: d.attributes, visible, options: d.options, stuffed: d.stuffed };
  const title = buildTitle(plan, rng);
  // The "mined" attribute list: part of the truth (sometimes hyphenated) plus noise.
  const mined: string[] = [];
  for (const a of d.attributes) if (rng.chance(0.6)) mined.push(a.phrase.includes(' ') && rng.chance(0.2) ? a.phrase.replace(' ', '-') : a.phrase);
  if (rng.chance(0.4)) mined.push(rng.pick(NOISE_ATTRIBUTES));
  const lo = d.pricing[0] as number;
  const hi = d.pricing[1];
  return {
    asin,
    name: title,
    Title: title,
    Description: buildDescription(plan, rng),
    BulletPoints: buildBulletPoints(plan, rng),
    category: d.type.category,
    query: rng.pick(d.type.queries),
    product_category: d.type.breadcrumb,
    pricing: d.pricing.slice(),
    Price: hi === undefined ? dollars(lo) : `${dollars(lo)} to ${dollars(hi)}`,
    options: d.options,
    Attributes: mined.length ? mined : ['DUMMY_ATTR'],
    Rating: 'N.A.',
    Reviews: [],
    id,
    typeId: d.type.id,
    cluster: d.cluster,
    variant: d.kind,
    stuffed: d.stuffed,
    trueAttributes: d.attributes.map((a) => a.phrase),
    price: d.price,
  };
}

function pushTo(map: Map<string | number, number[]>, key: string | number, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

export function buildCatalogue(seed: string = CATALOGUE_SEED): Catalogue {
  const started = Date.now();
  const rng = new Rng(seed);
  const drafts: Draft[] = [];
  let cluster = 0;
  for (const type of ALL_TYPES) {
    const typeRng = rng.fork(type.id);
    for (let c = 0; c < CLUSTERS_PER_TYPE; c++) drafts.push(...buildCluster(type, cluster++, typeRng));
  }
  // Shuffle so that ids, ASINs and search tie-breaks say nothing about clusters.
  const order = rng.shuffle(drafts);
  const used = new Set<string>();
  const products = order.map((d, id) => toProduct(d, id, makeAsin(rng, used), rng.fork(`p${id}`)));

  const byAsin = new Map<string, number>();
  const byType = new Map<string | number, number[]>();
  const byCluster = new Map<string | number, number[]>();
  const byAttribute = new Map<string | number, number[]>();
  const typeById = new Map<string, TypeSpec>();
  for (const t of ALL_TYPES) typeById.set(t.id, t);
  for (const p of products) {
    byAsin.set(p.asin.toLowerCase(), p.id);
    pushTo(byType, p.typeId, p.id);
    pushTo(byCluster, p.cluster, p.id);
    for (const a of p.trueAttributes) pushTo(byAttribute, a, p.id);
  }
  const engine = new ProductSearch(products.map((p) => `${p.Title} ${p.Description} ${p.BulletPoints[0] ?? ''} ${optionText(p.options)}`.toLowerCase()));
  const empty: readonly number[] = [];
  return {
    products,
    types: ALL_TYPES,
    buildMs: Date.now() - started,
    type: (p) => typeById.get(p.typeId) as TypeSpec,
    idOfAsin: (asin) => byAsin.get(asin),
    productsOfType: (typeId) => byType.get(typeId) ?? empty,
    clusterMembers: (c) => byCluster.get(c) ?? empty,
    withAttribute: (phrase) => byAttribute.get(phrase) ?? empty,
    search: (query) => engine.search(query),
  };
}

let shared: Catalogue | null = null;

/** The shop's catalogue, built on first use and shared by every environment in the process. */
export function getCatalogue(): Catalogue {
  shared ??= buildCatalogue();
  return shared;
}
