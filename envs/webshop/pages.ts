/**
 * The simple-text rendering of WebShop's pages (web_agent_text_env.py, observation_mode
 * "text"): the visible strings of the HTML joined by ` [SEP] `. Texts are byte-for-byte
 * those of SPA-RL's ICL example.
 */
import type { Product } from './types';

export const SEP = ' [SEP] ';
export const PRODUCT_WINDOW = 10;

/** Search page (also what reset shows): `WebShop [SEP] Instruction: [SEP] … [SEP] Search`. */
export function searchPageText(instruction: string): string {
  return `WebShop${SEP}Instruction:${SEP}${instruction}${SEP}Search`;
}

/** The head every other page starts with. */
export function pageHead(instruction: string): string {
  return `Instruction:${SEP}${instruction}${SEP}Back to Search`;
}

/** Results page `page` (1-based) of `results` (product ids). */
export function resultsBody(products: readonly Product[], results: readonly number[], page: number): string {
  let text = `${SEP}Page ${page} (Total results: ${results.length})`;
  if (page > 1) text += `${SEP}< Prev`;
  text += `${SEP}Next >`;
  const end = Math.min(results.length, page * PRODUCT_WINDOW);
  for (let i = (page - 1) * PRODUCT_WINDOW; i < end; i++) {
    const p = products[results[i] as number] as Product;
    text += `${SEP}${p.asin}${SEP}${p.Title}${SEP}${p.Price}`;
  }
  return text;
}

/** Item page after the head: `< Prev`, option groups, title, price, rating and the buttons. */
export function itemBody(p: Product): string {
  let text = `${SEP}< Prev`;
  for (const [name, values] of Object.entries(p.options)) {
    text += `${SEP}${name}`;
    for (const v of values) text += `${SEP}${v}`;
  }
  return `${text}${SEP}${p.Title}${SEP}Price: ${p.Price}${SEP}Rating: N.A.${SEP}Description${SEP}Features${SEP}Reviews${SEP}Buy Now`;
}

export type SubPage = 'description' | 'features' | 'reviews';

/** Description / Features / Reviews page after the head (reviews are never loaded: empty). */
export function subPageBody(p: Product, sub: SubPage): string {
  if (sub === 'description') return `${SEP}< Prev${SEP}${p.Description}`;
  if (sub === 'features') return `${SEP}< Prev${SEP}${p.BulletPoints.join(SEP)}`;
  return `${SEP}< Prev`;
}

/**
 * What `Buy Now` returns. SPA never shows it (the episode is over); the original's done
 * page also prints the score, which is left out so recorded trajectories do not leak
 * the reward into their last observation.
 */
export const DONE_TEXT = 'Thank you for shopping with us!';
