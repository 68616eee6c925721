/**
 * The WebShop expert: a scripted shopper that acts only on what it is shown (the
 * instruction and the page texts) plus general shop vocabulary (expert-knowledge.ts).
 *
 *  1. search for the product type's title words, up to two attributes and one asked-for
 *     option (no price, no filler);
 *  2. on the results, keep items of the right type within budget, prefer titles that
 *     show more of the asked-for attributes, then the search rank; page `next >` or
 *     search again with just the type if nothing fits;
 *  3. open the candidate; if it lacks an asked-for option go back; if some attribute is
 *     not in the title, read the Description (and go back twice if it is not there);
 *  4. click each asked-for option as the page writes it, then Buy Now.
 *
 * The generator keeps only tasks this expert solves with reward 1 within 10 steps.
 */
import { formatTurn } from '../core/react';
import type { Policy, ResetInfo, StepInfo } from '../core/types';
import { chooseOptions, parseInstruction, type OptionChoice, type ParsedInstruction } from './expert-knowledge';
import { instructionOf, pageKind, parseItem, parseResults, stripObservationPrefix, subPageContent, type ResultItem } from './page-parse';
import { indexOfTokens, phraseTokens } from './text';

const MAX_STEPS = 10;
const MAX_RESULT_PAGES = 3;

const T_SEARCH = ['I should search for {q} first.', 'Let me use the search bar to look for {q}.', 'I will search for {q}.'];
const T_CLICK = ['{a} looks like the best match within my budget, so I will open it.', 'I think {a} fits the instruction; let me check it.', '{a} seems to match what I need, so I will click it.'];
const T_NEXT = ['None of these results fit, so I will check the next page.', 'Nothing here matches; let me look at the next page.'];
const T_RESEARCH = ['These results do not fit, so I will search again with just the product type.'];
const T_DESC = ['The title does not mention {x}, so I will check the description.', 'I need to make sure it has {x}; let me read the description.'];
const T_BACK_OPTION = ['This product does not offer {x}, so I will go back to the results.'];
const T_BACK_ATTR = ['The description does not mention {x}, so this is not the right product; I will go back.'];
const T_BACK_ITEM = ['The description confirms it, so I will go back to the product page.', 'It has what I need; let me go back to choose the options.'];
const T_LEAVE = ['I will return to the search results to try another product.'];
const T_OPTION = ["I should select '{v}' for the {n}.", "The instruction asks for {v}, so I will click the '{v}' option.", "Let me choose the '{v}' {n} option."];
const T_BUY = ['Everything matches the instruction, so I will buy it now.', 'This product fits all my requirements; I will click Buy Now.'];

function pick(templates: readonly string[], turn: number, fill: Record<string, string> = {}): string {
  let t = templates[turn % templates.length] as string;
  for (const [k, v] of Object.entries(fill)) t = t.split(`{${k}}`).join(v);
  return t;
}

interface Candidate {
  item: ResultItem;
  visible: string[];
}

interface ItemPlan {
  choices: OptionChoice[];
  /** Attributes the title does not show. */
  hidden: string[];
  clicked: number;
}

export class WebshopExpert implements Policy {
  private parsed: ParsedInstruction | null = null;
  private steps = 0;
  private rejected = new Set<string>();
  private current: Candidate | null = null;
  private plan: ItemPlan | null = null;
  private hiddenChecked = false;
  /** `< prev` clicks still to make on the way back to the results. */
  private leaving = 0;
  private searches = 0;
  private reformulated = false;

  begin(observation: string, _info: ResetInfo): void {
    const text = stripObservationPrefix(observation);
    this.parsed = parseInstruction(instructionOf(text));
    this.steps = 0;
    this.rejected = new Set();
    this.current = null;
    this.plan = null;
    this.hiddenChecked = false;
    this.leaving = 0;
    this.searches = 0;
    this.reformulated = false;
  }

  act(lastObservation: string, _lastInfo: StepInfo | null): string {
    const text = stripObservationPrefix(lastObservation);
    if (!this.parsed) this.parsed = parseInstruction(instructionOf(text));
    const turn = this.steps++;
    switch (pageKind(text)) {
      case 'search':
        return this.onSearch(turn);
      case 'results':
        return this.onResults(text, turn);
      case 'item':
        return this.onItem(text, turn);
      case 'sub':
        return this.onSub(text, turn);
      default:
        return formatTurn('I will go back to the search page.', 'click[Back to Search]');
    }
  }

  private query(typeOnly: boolean): string {
    const p = this.parsed as ParsedInstruction;
    const words: string[] = [];
    if (p.brand) words.push(p.brand.toLowerCase());
    words.push(p.type ? p.type.head : p.tokens.slice(-3).join(' '));
    if (!typeOnly) {
      words.push(...p.attributes.slice(0, 2));
      // The asked-for options too: the search index includes each product's option values.
      for (const span of p.optionSpans.slice(0, 2)) words.push(p.tokens.slice(span.start, span.end).join(' '));
    }
    return words.join(' ');
  }

  private onSearch(turn: number): string {
    const q = this.query(this.searches > 0);
    this.searches++;
    return formatTurn(pick(T_SEARCH, turn, { q }), `search[${q}]`);
  }

  private remaining(): number {
    return MAX_STEPS - this.steps;
  }

  private candidates(items: readonly ResultItem[]): Candidate[] {
    const p = this.parsed as ParsedInstruction;
    const head = p.type ? phraseTokens(p.type.head, true) : [];
    const brand = p.brand ? phraseTokens(p.brand.toLowerCase(), true) : [];
    const out: (Candidate & { sure: boolean })[] = [];
    for (const item of items) {
      if (this.rejected.has(item.asin) || item.lo > p.priceUpper) continue;
      const words = phraseTokens(item.title, true);
      if (head.length && indexOfTokens(words, head) < 0) continue;
      if (brand.length && indexOfTokens(words, brand) < 0) continue;
      const visible = p.attributes.filter((a) => indexOfTokens(words, phraseTokens(a, true)) >= 0);
      out.push({ item, visible, sure: item.hi <= p.priceUpper });
    }
    // More asked-for attributes in the title first, then a price surely within budget, then rank.
    out.sort((a, b) => b.visible.length - a.visible.length || Number(b.sure) - Number(a.sure) || a.item.rank - b.item.rank);
    return out;
  }

  private onResults(text: string, turn: number): string {
    this.leaving = 0;
    this.current = null;
    this.plan = null;
    const view = parseResults(text);
    const best = this.candidates(view.items)[0];
    if (best) {
      this.current = best;
      this.hiddenChecked = false;
      return formatTurn(pick(T_CLICK, turn, { a: best.item.asin }), `click[${best.item.asin}]`);
    }
    if (view.page < MAX_RESULT_PAGES && view.total > view.page * 10) return formatTurn(pick(T_NEXT, turn), 'click[Next >]');
    if (!this.reformulated) {
      this.reformulated = true;
      const q = this.query(true);
      this.searches++;
      return formatTurn(pick(T_RESEARCH, turn), `search[${q}]`);
    }
    const first = view.items[0];
    if (first) return formatTurn(pick(T_CLICK, turn, { a: first.asin }), `click[${first.asin}]`);
    return formatTurn(pick(T_NEXT, turn), 'click[Next >]');
  }

  private onItem(text: string, turn: number): string {
    if (this.leaving > 0) {
      this.leaving--;
      return formatTurn(pick(T_LEAVE, turn), 'click[< Prev]');
    }
    const p = this.parsed as ParsedInstruction;
    if (!this.plan) {
      const item = parseItem(text);
      const choices = chooseOptions(p, item.groups);
      if (!choices) {
        if (this.current) this.rejected.add(this.current.item.asin);
        const asked = p.optionSpans.map((s) => p.tokens.slice(s.start, s.end).join(' ')).join(', ');
        return formatTurn(pick(T_BACK_OPTION, turn, { x: asked }), 'click[< Prev]');
      }
      const words = phraseTokens(item.title, true);
      const hidden = p.attributes.filter((a) => indexOfTokens(words, phraseTokens(a, true)) < 0);
      this.plan = { choices, hidden, clicked: 0 };
    }
    const plan = this.plan;
    // Read the description only while the budget still allows it, the options and Buy Now.
    if (plan.hidden.length && !this.hiddenChecked && this.remaining() >= 3 + plan.choices.length) {
      return formatTurn(pick(T_DESC, turn, { x: plan.hidden.join(' and ') }), 'click[Description]');
    }
    const next = plan.choices[plan.clicked];
    if (next) {
      plan.clicked++;
      return formatTurn(pick(T_OPTION, turn, { v: next.value, n: next.name }), `click[${next.value}]`);
    }
    return formatTurn(pick(T_BUY, turn), 'click[Buy Now]');
  }

  private onSub(text: string, turn: number): string {
    if (this.leaving > 0) {
      this.leaving--;
      return formatTurn(pick(T_LEAVE, turn), 'click[< Prev]');
    }
    this.hiddenChecked = true;
    const plan = this.plan;
    if (!plan) return formatTurn(pick(T_BACK_ITEM, turn), 'click[< Prev]');
    const words = phraseTokens(subPageContent(text), true);
    const missing = plan.hidden.filter((a) => indexOfTokens(words, phraseTokens(a, true)) < 0);
    if (missing.length) {
      if (this.current) this.rejected.add(this.current.item.asin);
      this.plan = null;
      this.leaving = 1; // this click returns to the item page, one more reaches the results
      return formatTurn(pick(T_BACK_ATTR, turn, { x: missing.join(' and ') }), 'click[< Prev]');
    }
    return formatTurn(pick(T_BACK_ITEM, turn), 'click[< Prev]');
  }
}
