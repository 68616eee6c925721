/** Shared fixtures of the WebShop tests. */
import { getCatalogue, type Product, type WebshopTask } from '../../../envs/webshop/index';

/** Product 3 of the catalogue: a two-option shampoo with a single price (pinned by the tests). */
export const SHAMPOO_ID = 3;

export function shampoo(): Product {
  return getCatalogue().products[SHAMPOO_ID] as Product;
}

export const INSTRUCTION = 'i need a paraben free shampoo for dry hair in coconut scent, 8.5 fl oz, and price lower than 50.00 dollars';

/** A hand-written task on the pinned shampoo. */
export function shampooTask(overrides: Partial<WebshopTask> = {}): WebshopTask {
  const p = shampoo();
  return {
    id: 'webshop/v1/train/999999999',
    env: 'webshop',
    split: 'train',
    index: 999999999,
    taskType: 'beauty',
    goal: INSTRUCTION,
    asin: p.asin,
    category: p.category,
    query: p.query,
    name: p.name,
    product_category: p.product_category,
    instruction_text: INSTRUCTION,
    attributes: ['paraben free', 'dry hair'],
    goal_options: ['coconut', '8.5 fl oz (pack of 1)'],
    price_upper: 50,
    productType: 'shampoo',
    ...overrides,
  };
}

export const turn = (action: string) => `Thought: test\nAction: ${action}`;
