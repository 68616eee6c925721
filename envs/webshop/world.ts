/**
 * WebShop's page machine (web_agent_text_env.py + the web app's routes), without the
 * ReAct harness: `execute` takes an action string (`search[…]` / `click[…]`) and returns
 * the new page text (no `Observation:` prefix). The generator also runs it to verify
 * that its expert solves each task.
 */
import type { ActionOutcome } from '../core/base-env';
import type { Catalogue } from './catalogue';
import { bestOptionsFor, matchingProducts, purchaseScoresOne } from './matching';
import { getOptionReward, getRewardVerbose } from './reward';
import { DONE_TEXT, itemBody, PRODUCT_WINDOW, pageHead, resultsBody, searchPageText, subPageBody, type SubPage } from './pages';
import type { Product, WebshopGoal } from './types';

export type PageKind = 'search' | 'results' | 'item' | 'sub' | 'done';

type Clickable =
  | { kind: 'back' }
  | { kind: 'next' }
  | { kind: 'prev' }
  | { kind: 'asin'; id: number }
  | { kind: 'option'; name: string; value: string }
  | { kind: 'sub'; sub: SubPage }
  | { kind: 'buy' };

/** What one action does to the shop: the harness's ActionOutcome. */
export type WorldOutcome = ActionOutcome;

const PRICE_CLAUSE = ', and price lower than ';

/** The instruction without goal.py's price clause (the random baseline's search query). */
export function instructionWithoutPrice(instruction: string): string {
  const at = instruction.indexOf(PRICE_CLAUSE);
  return at < 0 ? instruction : instruction.slice(0, at);
}

/**
 * `re.match(r'(.+)\[(.+)\]', action)`: greedy, anchored at the start only. Returns
 * [name, arg] or null. The last `[` that has a `]` at least two characters later opens
 * the argument, which runs to the last `]`.
 */
export function parseAction(action: string): [string, string] | null {
  if (action.indexOf('\n') >= 0) return null; // `.` does not cross lines; the harness never passes one
  const close = action.lastIndexOf(']');
  if (close < 3) return null;
  const open = action.lastIndexOf('[', close - 2);
  if (open < 1) return null;
  return [action.slice(0, open), action.slice(open + 1, close)];
}

const BACK: Clickable = { kind: 'back' };
const NEXT: Clickable = { kind: 'next' };
const PREV: Clickable = { kind: 'prev' };
const BUY: Clickable = { kind: 'buy' };
const SUBS: readonly SubPage[] = ['description', 'features', 'reviews'];

const itemBodies = new Map<number, string>();
function cachedItemBody(p: Product): string {
  let body = itemBodies.get(p.id);
  if (body === undefined) {
    body = itemBody(p);
    itemBodies.set(p.id, body);
  }
  return body;
}

export class WebshopWorld {
  private goal: WebshopGoal | null = null;
  private instruction = '';
  private head = '';
  page: PageKind = 'search';
  /** The last search's hits (product ids). */
  results: readonly number[] = [];
  pageNo = 1;
  /** The product on the item/sub page, -1 otherwise. */
  item = -1;
  private sub: SubPage = 'description';
  /** {option name: value} clicked since the results page was last rendered. */
  selected: Record<string, string> = {};
  private clickables = new Map<string, Clickable>();
  private text = '';
  private admissible: string[] | null = null;
  /** Oracle memo: product id → can a purchase of it score 1.0 (filled lazily, per episode). */
  private matching = new Map<number, boolean>();
  private oracle = true;
  /** Reward of the purchase, once bought. */
  purchaseReward = 0;
  private progressCache = -1;

  constructor(readonly catalogue: Catalogue) {}

  /**
   * Starts an episode on the search page; returns its text. `withOracle: false` skips
   * computing the matching products (progress then stays 0): the generator's check.
   */
  begin(goal: WebshopGoal, withOracle = true): string {
    this.goal = goal;
    this.instruction = goal.instruction_text;
    this.head = pageHead(goal.instruction_text);
    this.matching = new Map();
    this.oracle = withOracle;
    this.results = [];
    this.purchaseReward = 0;
    this.showSearch();
    return this.text;
  }

  /** Products a purchase could score 1.0 on (oracle; computed over the whole catalogue). */
  matchingSet(): ReadonlySet<number> {
    return matchingProducts(this.catalogue, this.goal as WebshopGoal);
  }

  /**
   * Whether buying product `id` with the right options scores 1.0. Lazy and memoised:
   * only products the agent actually sees are judged (tagging a title's nouns costs ~1 ms).
   */
  isMatching(id: number): boolean {
    let known = this.matching.get(id);
    if (known === undefined) {
      const goal = this.goal as WebshopGoal;
      const p = this.catalogue.products[id] as Product;
      // Cheap necessary conditions first (true attributes = goal.py's attribute test; see matching.ts).
      known = p.price <= goal.price_upper && goal.attributes.every((a) => p.trueAttributes.includes(a)) && purchaseScoresOne(p, goal, bestOptionsFor(p, goal.goal_options));
      this.matching.set(id, known);
    }
    return known;
  }

  currentText(): string {
    return this.text;
  }

  execute(action: string): WorldOutcome {
    const parsed = parseAction(action);
    if (parsed && this.page !== 'done') {
      const [name, rawArg] = parsed;
      const arg = rawArg.toLowerCase();
      if (name === 'search' && arg.trim() !== '') {
        this.doSearch(arg);
        return this.ok();
      }
      if (name === 'click' && arg !== 'search') {
        const target = this.clickables.get(arg);
        if (target) return this.click(target);
      }
    }
    return { text: this.text, valid: false, reward: 0, terminated: false, success: false };
  }

  admissibleActions(): string[] {
    if (this.admissible === null) {
      const list: string[] = [];
      if (this.page === 'search') list.push(`search[${instructionWithoutPrice(this.instruction)}]`);
      for (const key of this.clickables.keys()) list.push(`click[${key}]`);
      this.admissible = list;
    }
    return this.admissible.slice();
  }

  /**
   * Oracle progress (see README): mean of four sub-goals — a matching product listed or
   * open, a matching product open, the share of goal options selected on it, bought
   * with reward 1.
   */
  progress(): number {
    if (this.progressCache >= 0) return this.progressCache;
    const goal = this.goal;
    let value = 0;
    if (goal && this.oracle) {
      let listed = 0;
      let open = 0;
      let options = 0;
      let bought = 0;
      if (this.page === 'results') {
        const end = Math.min(this.results.length, this.pageNo * PRODUCT_WINDOW);
        for (let i = (this.pageNo - 1) * PRODUCT_WINDOW; i < end && !listed; i++) if (this.isMatching(this.results[i] as number)) listed = 1;
      } else if ((this.page === 'item' || this.page === 'sub' || this.page === 'done') && this.isMatching(this.item)) {
        listed = 1;
        open = 1;
        options = goal.goal_options.length ? (getOptionReward(Object.values(this.selected), goal.goal_options)[1] / goal.goal_options.length) : 1;
        if (this.page === 'done' && this.purchaseReward === 1) bought = 1;
      }
      value = (listed + open + options + bought) / 4;
    }
    this.progressCache = value;
    return value;
  }

  // --- transitions ---------------------------------------------------------------

  private ok(extra?: Record<string, unknown>): WorldOutcome {
    const out: WorldOutcome = { text: this.text, valid: true, reward: 0, terminated: false, success: false };
    if (extra) out.extra = extra;
    return out;
  }

  private changed(): void {
    this.admissible = null;
    this.progressCache = -1;
  }

  private showSearch(): void {
    this.page = 'search';
    this.item = -1;
    this.selected = {};
    this.clickables = new Map();
    this.text = searchPageText(this.instruction);
    this.changed();
  }

  private doSearch(keywords: string): void {
    // search_results splits the keywords on spaces and re-joins them.
    this.results = this.catalogue.search(keywords.split(' ').filter((w) => w !== '').join(' '));
    this.showResults(1);
  }

  private showResults(page: number): void {
    this.page = 'results';
    this.pageNo = page;
    this.item = -1;
    this.selected = {}; // every re-render of the results page resets the options
    const clickables = new Map<string, Clickable>([['back to search', BACK]]);
    if (page > 1) clickables.set('< prev', PREV);
    clickables.set('next >', NEXT);
    const end = Math.min(this.results.length, page * PRODUCT_WINDOW);
    const products = this.catalogue.products;
    for (let i = (page - 1) * PRODUCT_WINDOW; i < end; i++) {
      const id = this.results[i] as number;
      clickables.set((products[id] as Product).asin.toLowerCase(), { kind: 'asin', id });
    }
    this.clickables = clickables;
    this.text = this.head + resultsBody(products, this.results, page);
    this.changed();
  }

  private showItem(id: number): void {
    const p = this.catalogue.products[id] as Product;
    this.page = 'item';
    this.item = id;
    const clickables = new Map<string, Clickable>([['back to search', BACK], ['< prev', PREV]]);
    for (const [name, values] of Object.entries(p.options)) for (const value of values) clickables.set(value, { kind: 'option', name, value });
    for (const sub of SUBS) clickables.set(sub, { kind: 'sub', sub });
    clickables.set('buy now', BUY);
    this.clickables = clickables;
    this.text = this.head + cachedItemBody(p);
    this.changed();
  }

  private showSub(sub: SubPage): void {
    this.page = 'sub';
    this.sub = sub;
    this.clickables = new Map<string, Clickable>([['back to search', BACK], ['< prev', PREV]]);
    this.text = this.head + subPageBody(this.catalogue.products[this.item] as Product, sub);
    this.changed();
  }

  private click(target: Clickable): WorldOutcome {
    switch (target.kind) {
      case 'back':
        this.showSearch();
        return this.ok();
      case 'next':
        this.showResults(this.pageNo + 1);
        return this.ok();
      case 'prev':
        if (this.page === 'results') this.showResults(this.pageNo - 1);
        else if (this.page === 'item') this.showResults(this.pageNo);
        else this.showItem(this.item); // sub-page → item page, selections kept
        return this.ok();
      case 'asin':
        this.showItem(target.id);
        return this.ok();
      case 'option':
        this.selected[target.name] = target.value;
        this.progressCache = -1;
        return this.ok(); // the simple text mode does not mark the selection
      case 'sub':
        this.showSub(target.sub);
        return this.ok();
      case 'buy':
        return this.buy();
    }
  }

  private buy(): WorldOutcome {
    const goal = this.goal as WebshopGoal;
    const p = this.catalogue.products[this.item] as Product;
    const [reward, info] = getRewardVerbose(p, goal, p.price, this.selected);
    this.purchaseReward = reward;
    this.page = 'done';
    this.clickables = new Map();
    this.text = DONE_TEXT;
    this.changed();
    return {
      text: DONE_TEXT,
      valid: true,
      reward,
      terminated: true,
      success: reward === 1,
      extra: { asin: p.asin, options: { ...this.selected }, price: p.price, reward, ...info },
    };
  }
}
