/**
 * What the expert knows about the shop in general — the way an experienced shopper
 * knows product vocabulary: the names of product types and the words their titles use,
 * attribute phrases, brand names, option names, and how people name option values
 * ("large" for `l`). It never sees a product's hidden facts or the goal record.
 */
import { optionMentions } from './option-mentions';
import { indexOfTokens, phraseTokens } from './text';
import { ALL_TYPES, BRANDS, CATEGORIES, OPTION_GROUP_NAMES, type TypeSpec } from './vocab/index';

export interface Phrase<T> {
  tokens: string[];
  value: T;
}

export interface Span {
  start: number;
  end: number;
}

export interface ParsedInstruction {
  /** The instruction as shown (price clause included). */
  text: string;
  /** Tokens of the instruction without the price clause (hyphens kept). */
  tokens: string[];
  type: TypeSpec | null;
  /** Attribute phrases, in reading order. */
  attributes: string[];
  brand: string | null;
  /** Spans of `tokens` that name option values. */
  optionSpans: Span[];
  /** The price clause's bound, Infinity without one. */
  priceUpper: number;
}

function byLengthDesc<T>(list: Phrase<T>[]): Phrase<T>[] {
  return list.sort((a, b) => b.tokens.length - a.tokens.length);
}

let lexicon: {
  types: Phrase<TypeSpec>[];
  attributes: Phrase<string>[];
  brands: Phrase<string>[];
  mentions: Phrase<string>[];
} | null = null;

function getLexicon() {
  if (lexicon) return lexicon;
  const types = ALL_TYPES.flatMap((t) => t.names.map((n) => ({ tokens: phraseTokens(n), value: t })));
  const attrSet = new Set(ALL_TYPES.flatMap((t) => t.attributes.map((a) => a.phrase)));
  const attributes = [...attrSet].map((a) => ({ tokens: phraseTokens(a), value: a }));
  const brands = CATEGORIES.flatMap((c) => BRANDS[c].map((b) => ({ tokens: phraseTokens(b.toLowerCase()), value: b })));
  const mentionSet = new Set<string>();
  for (const t of ALL_TYPES) for (const g of t.options) for (const pool of g.pools) for (const v of pool) for (const m of optionMentions(g.name, v)) mentionSet.add(m);
  const mentions = [...mentionSet].map((m) => ({ tokens: phraseTokens(m), value: m }));
  lexicon = { types: byLengthDesc(types), attributes: byLengthDesc(attributes), brands: byLengthDesc(brands), mentions: byLengthDesc(mentions) };
  return lexicon;
}

export const OPTION_GROUPS: ReadonlySet<string> = new Set(OPTION_GROUP_NAMES);

const PRICE_CLAUSE = ', and price lower than ';

/** Finds non-overlapping occurrences of the phrases (longest first), marking `used`. */
function claim<T>(tokens: readonly string[], used: boolean[], phrases: readonly Phrase<T>[], onFound: (p: Phrase<T>, start: number) => void): void {
  for (const p of phrases) {
    let from = 0;
    for (;;) {
      const at = indexOfTokens(tokens, p.tokens, from);
      if (at < 0) break;
      from = at + 1;
      let free = true;
      for (let i = at; i < at + p.tokens.length; i++) if (used[i]) free = false;
      if (!free) continue;
      for (let i = at; i < at + p.tokens.length; i++) used[i] = true;
      onFound(p, at);
    }
  }
}

export function parseInstruction(text: string): ParsedInstruction {
  const lex = getLexicon();
  const at = text.indexOf(PRICE_CLAUSE);
  const body = at < 0 ? text : text.slice(0, at);
  const priceUpper = at < 0 ? Infinity : parseFloat(text.slice(at + PRICE_CLAUSE.length));
  const tokens = phraseTokens(body);
  const used = tokens.map(() => false);

  let type: TypeSpec | null = null;
  claim(tokens, used, lex.types, (p) => {
    type ??= p.value;
  });
  const found: { phrase: string; start: number }[] = [];
  claim(tokens, used, lex.attributes, (p, start) => found.push({ phrase: p.value, start }));
  found.sort((a, b) => a.start - b.start);
  let brand: string | null = null;
  claim(tokens, used, lex.brands, (p) => {
    brand ??= p.value;
  });
  const optionSpans: Span[] = [];
  claim(tokens, used, lex.mentions, (p, start) => optionSpans.push({ start, end: start + p.tokens.length }));
  optionSpans.sort((a, b) => a.start - b.start);
  return { text, tokens, type, attributes: found.map((f) => f.phrase), brand, optionSpans, priceUpper };
}

/** An option group of an item page. */
export interface PageGroup {
  name: string;
  values: string[];
}

export interface OptionChoice {
  name: string;
  value: string;
}

/**
 * Maps each option span of the instruction to a value on the page whose mention is
 * exactly that span. Returns null when some span has no such value (the product does
 * not offer what was asked for).
 */
export function chooseOptions(parsed: ParsedInstruction, groups: readonly PageGroup[]): OptionChoice[] | null {
  const choices: OptionChoice[] = [];
  const usedGroups = new Set<string>();
  for (const span of parsed.optionSpans) {
    let choice: OptionChoice | null = null;
    for (const g of groups) {
      if (usedGroups.has(g.name)) continue;
      for (const v of g.values) {
        for (const m of optionMentions(g.name, v)) {
          const mt = phraseTokens(m);
          if (mt.length === span.end - span.start && indexOfTokens(parsed.tokens, mt, span.start) === span.start) {
            choice = { name: g.name, value: v };
            break;
          }
        }
        if (choice) break;
      }
      if (choice) break;
    }
    if (!choice) return null;
    usedGroups.add(choice.name);
    choices.push(choice);
  }
  return choices;
}
