import type { TaskBase } from '../core/types';
import type { Category } from './vocab/schema';

/**
 * One product, with the field names of WebShop's loaded product records
 * (engine.py `load_products`), plus the generator's own facts (last block), which no
 * page ever shows.
 */
export interface Product {
  asin: string;
  /** = Title. */
  name: string;
  Title: string;
  /** = full_description. */
  Description: string;
  /** = small_description. */
  BulletPoints: string[];
  category: Category;
  /** The scrape query, lower-cased. */
  query: string;
  /** `›` breadcrumb. */
  product_category: string;
  /** [p] or [lo, hi]. */
  pricing: number[];
  /** `$x` or `$x to $y`. */
  Price: string;
  /** {option name: values}, lower-cased. */
  options: Record<string, string[]>;
  /** "Mined" attribute phrases: some of the true ones plus noise. */
  Attributes: string[];
  Rating: 'N.A.';
  Reviews: [];

  // Generator facts (hidden from the agent).
  /** Index in the catalogue. */
  id: number;
  typeId: string;
  /** Near-duplicate family: products built from the same base share it. */
  cluster: number;
  /** `base` (goal targets), or the one way a look-alike differs from it: `attr`, `option`, `price`, `brand`. */
  variant: 'base' | 'attr' | 'option' | 'price' | 'brand';
  /** A keyword-stuffed listing (every attribute in the title, keywords in bullets and description). */
  stuffed: boolean;
  /** Every attribute phrase the product really has (all appear verbatim in its Description). */
  trueAttributes: string[];
  /** engine.py `product_prices[asin]`: the single price, or a uniform draw inside the range. */
  price: number;
}

/** The goal record of goal.py `get_human_goals`, field names kept. */
export interface WebshopGoal {
  asin: string;
  category: Category;
  query: string;
  /** The target product's name (title_score compares nouns with it). */
  name: string;
  product_category: string;
  /** The instruction plus the price clause. */
  instruction_text: string;
  attributes: string[];
  /** Option values of the target the instruction asks for. */
  goal_options: string[];
  /** 1000000 when the instruction has no price clause. */
  price_upper: number;
}

/** A WebShop task: the TaskBase fields plus the goal record (and the target's product type). */
export interface WebshopTask extends TaskBase, WebshopGoal {
  readonly env: 'webshop';
  /** The product's top category (beauty, electronics, fashion, food, furniture). */
  readonly taskType: Category;
  /** = instruction_text. */
  readonly goal: string;
  /** The target's product type id (e.g. `shampoo`); unseen tasks use held-out types. */
  productType: string;
}
