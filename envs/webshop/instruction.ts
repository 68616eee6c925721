/**
 * Writes a goal as a human-style WebShop instruction (lower-case, like
 * human_goals.json): an opener ("i need", "im looking for", the odd typo), the product
 * type with some attributes before it and the rest after ("with …", "for …",
 * "that is …"), and the goal options phrased the way people name them.
 */
import type { Rng } from '../core/rng';
import { optionMentions } from './option-mentions';
import { phraseTokens } from './text';
import type { AttrSpec, TypeSpec } from './vocab/index';

const OPENERS: readonly [string, number][] = [
  ['i need', 18], ['i am looking for', 20], ['im looking for', 10], ["i'm looking for", 6], ['i want', 12], ['i would like', 8],
  ['id like', 5], ["i'd like", 3], ['looking for', 5], ['find me', 4], ['i want to buy', 4], ['can you find me', 2], ['i need to buy', 3],
];
/** Real human goals have typos like "im locking for"; they stay in the filler words. */
const TYPO_OPENERS: readonly string[] = ['im locking for', 'i am loking for', 'i neeed', 'i wnat', 'i would liek', 'i ned'];

/** Plural types sold in pairs. */
const PAIRED = new Set(['running-shoes', 'jeans', 'ankle-boots', 'athletic-socks', 'sunglasses', 'leggings', 'sandals', 'wireless-earbuds', 'over-ear-headphones']);

export interface GoalOption {
  group: string;
  value: string;
}

export interface InstructionPlan {
  type: TypeSpec;
  attributes: readonly AttrSpec[];
  options: readonly GoalOption[];
  /** Lower-cased brand to name, or null. */
  brand: string | null;
}

export interface WrittenInstruction {
  text: string;
  /** The mention used for each goal option, same order. */
  mentions: string[];
}

function opener(rng: Rng): string {
  if (rng.chance(0.06)) return rng.pick(TYPO_OPENERS);
  return OPENERS[rng.weightedIndex(OPENERS.map((o) => o[1]))]![0];
}

function article(type: TypeSpec, next: string, rng: Rng): string {
  if (type.plural) {
    const choices = PAIRED.has(type.id) ? ['', 'some', 'a pair of'] : ['', 'some'];
    return rng.pick(choices);
  }
  return 'aeiou'.includes(next.charAt(0)) ? 'an' : 'a';
}

function isSizeWord(mention: string): boolean {
  return ['x-small', 'xs', 'extra small', 'small', 'medium', 'large', 'x-large', 'xl', 'extra large', 'xx-large', 'xxl', '3x-large', '3xl'].includes(mention);
}

function optionPhrase(group: string, mention: string, rng: Rng): string {
  let templates: string[];
  if (group === 'color') templates = ['in {m}', 'in {m} color', '{m} color', 'color {m}'];
  else if (group === 'scent') templates = ['{m} scent', 'in {m} scent', 'with {m} scent'];
  else if (group === 'flavor name') templates = ['{m} flavor', 'in {m} flavor', 'with {m} flavor', '{m} flavored'];
  else if (group === 'capacity') templates = ['{m}', 'with {m}', '{m} capacity'];
  else if (group === 'style') templates = ['{m}', 'with {m}', 'in {m}'];
  else if (group === 'item package quantity') templates = mention.startsWith('set of') || mention.startsWith('pack of') ? ['{m}', 'in a {m}'] : ['{m}'];
  else if (isSizeWord(mention)) templates = ['size {m}', 'in size {m}', 'in {m} size', '{m} size'];
  else if (mention.includes('size')) templates = ['{m}', 'in {m}'];
  else templates = ['{m}', 'in {m}', 'in the {m} size'];
  return rng.pick(templates).replace('{m}', mention);
}

/** Weighted choice of mention: the first (usually the value itself) ~20% of the time. */
function chooseMention(group: string, value: string, rng: Rng): string {
  const mentions = optionMentions(group, value);
  if (mentions.length === 1 || rng.chance(0.2)) return mentions[0] as string;
  return mentions[1 + rng.int(mentions.length - 1)] as string;
}

export function writeInstruction(plan: InstructionPlan, rng: Rng): WrittenInstruction {
  const { type } = plan;
  // A type name that shares words with an attribute would read oddly ("portable portable speaker").
  const attrWords = new Set(plan.attributes.flatMap((a) => phraseTokens(a.phrase)));
  const names = type.names.filter((n) => n === type.head || !phraseTokens(n).some((w) => attrWords.has(w)));
  const name = rng.chance(0.7) ? type.head : rng.pick(names);

  const pre: string[] = [];
  const post: string[] = [];
  const attrPost: string[] = [];
  const withs: string[] = [];
  for (const a of rng.shuffle(plan.attributes)) {
    if (a.form === 'adj' && rng.chance(0.75)) pre.push(a.phrase);
    else if (a.form === 'adj') attrPost.push(`that ${type.plural ? 'are' : 'is'} ${a.phrase}`);
    else if (a.form === 'with') withs.push(a.phrase);
    else attrPost.push(`for ${a.phrase}`);
  }
  if (withs.length) attrPost.unshift(`with ${withs.join(' and ')}`);

  const mentions: string[] = [];
  const optPost: string[] = [];
  let preOption: string | null = null;
  for (const o of plan.options) {
    const m = chooseMention(o.group, o.value, rng);
    mentions.push(m);
    if (preOption === null && (o.group === 'color' || o.group === 'flavor name') && rng.chance(0.25)) preOption = m;
    else optPost.push(optionPhrase(o.group, m, rng));
  }

  const nounPhrase: string[] = [];
  if (pre.length) nounPhrase.push(pre.length > 1 && rng.chance(0.3) ? pre.join(', ') : pre.join(' '));
  if (preOption) nounPhrase.push(preOption);
  if (plan.brand) nounPhrase.push(plan.brand);
  nounPhrase.push(name);
  const core = nounPhrase.join(' ');

  post.push(...(rng.chance(0.7) ? [...attrPost, ...optPost] : [...optPost, ...attrPost]));
  let text = `${opener(rng)} `;
  const art = article(type, core, rng);
  text += art ? `${art} ${core}` : core;
  for (let i = 0; i < post.length; i++) {
    const joiner = i === 0 ? ' ' : rng.pick([', ', ' and ', ' ', ', ']);
    text += joiner + post[i];
  }
  return { text, mentions };
}
