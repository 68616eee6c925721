/**
 * Reading WebShop's text pages back into structure, using only what the page shows.
 * Shared by the expert and the rule baseline.
 */
import { OPTION_GROUPS, type PageGroup } from './expert-knowledge';
import { SEP } from './pages';

export type ObservedPage = 'search' | 'results' | 'item' | 'sub' | 'other';

export interface ResultItem {
  asin: string;
  title: string;
  /** Lowest and highest displayed price. */
  lo: number;
  hi: number;
  /** 0-based rank on the page. */
  rank: number;
}

export interface ResultsView {
  page: number;
  total: number;
  items: ResultItem[];
}

export interface ItemView {
  title: string;
  groups: PageGroup[];
  lo: number;
  hi: number;
}

/** Drops the harness's `Observation:\n` prefix. */
export function stripObservationPrefix(observation: string): string {
  return observation.startsWith('Observation:\n') ? observation.slice('Observation:\n'.length) : observation;
}

export function pageKind(text: string): ObservedPage {
  if (text.startsWith('WebShop [SEP] Instruction:')) return 'search';
  if (!text.startsWith('Instruction:')) return 'other';
  if (text.endsWith(`${SEP}Buy Now`)) return 'item';
  if (text.includes(' (Total results: ')) return 'results';
  return 'sub';
}

/** The instruction shown on any page. */
export function instructionOf(text: string): string {
  const start = text.indexOf(`Instruction:${SEP}`);
  if (start < 0) return '';
  const from = start + `Instruction:${SEP}`.length;
  const end = text.indexOf(SEP, from);
  return end < 0 ? text.slice(from) : text.slice(from, end);
}

/** `$12.99` or `$12.99 to $18.50` → [lo, hi]. */
export function parsePrice(display: string): [number, number] {
  const s = display.startsWith('Price: ') ? display.slice(7) : display;
  const to = s.indexOf(' to ');
  if (to < 0) {
    const p = parseFloat(s.slice(1));
    return [p, p];
  }
  return [parseFloat(s.slice(1, to)), parseFloat(s.slice(to + 5))];
}

export function isAsin(s: string): boolean {
  if (s.length !== 10 || !s.startsWith('B0')) return false;
  for (let i = 2; i < 10; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

export function parseResults(text: string): ResultsView {
  const parts = text.split(SEP);
  let i = parts.findIndex((p) => p.startsWith('Page ') && p.includes('(Total results: '));
  const header = parts[i] ?? 'Page 1 (Total results: 0)';
  const page = parseInt(header.slice(5), 10);
  const total = parseInt(header.slice(header.indexOf(': ') + 2), 10);
  const items: ResultItem[] = [];
  for (i++; i < parts.length; i++) {
    const p = parts[i] as string;
    if (!isAsin(p) || i + 2 >= parts.length) continue;
    const [lo, hi] = parsePrice(parts[i + 2] as string);
    items.push({ asin: p, title: parts[i + 1] as string, lo, hi, rank: items.length });
    i += 2;
  }
  return { page, total, items };
}

export function parseItem(text: string): ItemView {
  const parts = text.split(SEP);
  const prev = parts.indexOf('< Prev');
  const priceAt = parts.findIndex((p) => p.startsWith('Price: $'));
  const titleAt = priceAt - 1;
  const groups: PageGroup[] = [];
  for (let i = prev + 1; i < titleAt; i++) {
    const p = parts[i] as string;
    if (OPTION_GROUPS.has(p) || groups.length === 0) groups.push({ name: p, values: [] });
    else (groups[groups.length - 1] as PageGroup).values.push(p);
  }
  const [lo, hi] = parsePrice(parts[priceAt] ?? 'Price: $0');
  return { title: parts[titleAt] ?? '', groups, lo, hi };
}

/** The content of a Description/Features/Reviews page (after `< Prev`). */
export function subPageContent(text: string): string {
  const at = text.indexOf(`< Prev${SEP}`);
  return at < 0 ? '' : text.slice(at + `< Prev${SEP}`.length);
}
