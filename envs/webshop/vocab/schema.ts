/**
 * The shape of the shop's vocabulary: product types with the phrases their titles,
 * descriptions and instructions are made of. The catalogue builder, the instruction
 * writer and the expert (as "general world knowledge") all read these tables.
 */

/** Top-level categories, as in the WebShop paper (fashion, makeup/beauty, electronics, furniture, food). */
export const CATEGORIES = ['beauty', 'electronics', 'fashion', 'food', 'furniture'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * How an attribute reads in an instruction and a title:
 * `adj` before the noun ("sulfate free shampoo"), `with` after it ("shampoo with tea tree"),
 * `for` after it ("shampoo for dry hair").
 */
export type AttrForm = 'adj' | 'with' | 'for';

export interface AttrSpec {
  readonly phrase: string;
  readonly form: AttrForm;
}

export interface OptionGroupSpec {
  /** Amazon's option name, lower-cased (`size`, `color`, `flavor name`, …). */
  readonly name: string;
  /** Alternative value pools (a product draws from one, e.g. letter sizes or word sizes). */
  readonly pools: readonly (readonly string[])[];
  /** How many values a product offers (inclusive). */
  readonly min: number;
  readonly max: number;
}

export interface TypeSpec {
  /** Stable id, e.g. `shampoo`. */
  readonly id: string;
  readonly category: Category;
  /** Held out of train/seen goals: only `unseen` goals target it (its products are still in the shop). */
  readonly heldOut: boolean;
  /** Lower-case phrase every title of this type contains (title-cased), e.g. `running shoes`. */
  readonly head: string;
  /** How instructions name the type (lower-case); the first is the head itself. */
  readonly names: readonly string[];
  /** Plural head ("jeans", "earbuds"): no "a"/"an" before it. */
  readonly plural: boolean;
  /** The `›` breadcrumb of product_category. */
  readonly breadcrumb: string;
  /** The scrape queries (`query` field) products of this type were "found" with. */
  readonly queries: readonly string[];
  readonly attributes: readonly AttrSpec[];
  readonly options: readonly OptionGroupSpec[];
  /** Single-price range in dollars (log-uniform). */
  readonly price: readonly [number, number];
}

/** `'adj:a,b|with:c|for:d'` → attribute specs (keeps the tables short and readable). */
export function attrs(spec: string): AttrSpec[] {
  const out: AttrSpec[] = [];
  for (const part of spec.split('|')) {
    const [form, list] = part.split(':') as [AttrForm, string];
    for (const phrase of list.split(',')) out.push({ phrase: phrase.trim(), form });
  }
  return out;
}

/** One option group with a single pool. */
export function group(name: string, pool: string, min = 2, max = 5): OptionGroupSpec {
  return { name, pools: [pool.split(',').map((v) => v.trim())], min, max };
}

/** One option group whose products use one of several surface styles (e.g. `l` vs `large`). */
export function styledGroup(name: string, pools: string[], min = 2, max = 5): OptionGroupSpec {
  return { name, pools: pools.map((p) => p.split(',').map((v) => v.trim())), min, max };
}

export const COLORS_APPAREL = 'black,white,navy blue,heather grey,charcoal,red,burgundy,olive green,khaki,light blue,pink,beige,black | white,army green';
export const COLORS_GADGET = 'black,white,silver,space gray,rose gold,midnight blue,red,pink,dark green,purple';
export const COLORS_WOOD = 'walnut,chestnut,espresso,natural oak,white,black,grey wash,cherry';

/**
 * Amazon sellers often code their colour values ("a-black", "c-navy blue"); a product
 * uses plain or coded values. People still just say "black".
 */
export function codedColors(plain: string): string {
  return plain
    .split(',')
    .map((c, i) => `${String.fromCharCode(97 + (i % 26))}-${c}`)
    .join(',');
}
export const LETTER_SIZES = 'xs,s,m,l,xl,xxl';
export const WORD_SIZES = 'x-small,small,medium,large,x-large,xx-large,3x-large';
export const SHOE_SIZES = '6,6.5,7,7.5,8,8.5,9,9.5,10,10.5,11,12,8 wide,9 wide,10 wide';
/** US shoe sizes as many listings write them. */
export const SHOE_SIZES_US = '6 m us,6.5 m us,7 m us,7.5 m us,8 m us,8.5 m us,9 m us,9.5 m us,10 m us,10.5 m us,11 m us,12 m us';
