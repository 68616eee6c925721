/**
 * The visible text of a product: a noisy, brand-heavy title, a description that names
 * every true attribute verbatim, and bullet points that name some of them. Titles show
 * only the "visible" attributes, so a goal attribute is sometimes findable only in the
 * Description/Features pages — as on Amazon.
 */
import type { Rng } from '../core/rng';
import { titleCase } from './text';
import { TITLE_NOISE, type AttrSpec, type Category, type TypeSpec } from './vocab/index';

export interface TextPlan {
  type: TypeSpec;
  brand: string;
  /** Product-line name, or '' for none. */
  line: string;
  attributes: readonly AttrSpec[];
  /** Attribute phrases shown in the title. */
  visible: ReadonlySet<string>;
  options: Record<string, string[]>;
  /** Keyword-stuffed listing (see catalogue.ts). */
  stuffed: boolean;
}

const MAX_TITLE_WORDS = 25;

const ADJ_SENTENCES = ['This {head} is {a}.', 'It is {a} and made to last.', 'You will love the {a} design.', 'Fully {a}, as our customers asked.'];
const WITH_SENTENCES = ['Comes with {a}.', 'Made with {a} for better results.', 'It features {a}.', 'Now with {a}.'];
const FOR_SENTENCES = ['Ideal for {a}.', 'Designed for {a}.', 'A great choice for {a}.', 'Made for {a}.'];

const FILLER: Record<Category, readonly string[]> = {
  fashion: ['Pair it with your favorite outfit.', 'True to size; see the size chart for details.', 'Hand picked fabrics and careful stitching.', 'A wardrobe staple for every season.'],
  beauty: ['Suitable for daily use.', 'Not tested on animals by third parties.', 'Apply as needed and enjoy the results.', 'Loved by beauty editors.'],
  electronics: ['Backed by our friendly customer support.', 'Compatible with most popular devices.', 'What you get: the device, a user manual and our warranty card.', 'Tested for reliability before shipping.'],
  furniture: ['Assembly instructions are included in the box.', 'Wipe clean with a damp cloth.', 'Please check the dimensions before ordering.', 'A timeless piece for your home.'],
  food: ['Store in a cool, dry place.', 'Packed fresh in our facility.', 'Enjoy it any time of the day.', 'Satisfaction guaranteed or your money back.'],
};

const GENERIC_BULLETS: Record<Category, readonly string[]> = {
  fashion: ['EASY CARE: follow the label instructions to keep it looking new', 'SIZE TIP: check our size chart before you order', 'GIFT IDEA: a thoughtful present for friends and family'],
  beauty: ['HOW TO USE: apply a small amount and enjoy', 'QUALITY PROMISE: made in a certified facility', 'GIFT IDEA: a thoughtful present for friends and family'],
  electronics: ['WHAT YOU GET: the device, a user manual and friendly support', 'PLUG IN AND GO: no complicated setup needed', 'WARRANTY: contact us any time for help'],
  furniture: ['DIMENSIONS: please measure your space before ordering', 'ASSEMBLY: all hardware and tools included', 'SUPPORT: contact us any time for help'],
  food: ['STORAGE: keep in a cool, dry place', 'QUALITY PROMISE: packed fresh in our facility', 'GIFT IDEA: share it with friends and family'],
};

function fill(template: string, attr: string, head: string): string {
  return template.replace('{a}', attr).replace('{head}', head);
}

function attrTemplates(form: AttrSpec['form']): readonly string[] {
  return form === 'adj' ? ADJ_SENTENCES : form === 'with' ? WITH_SENTENCES : FOR_SENTENCES;
}

/** A short option hint some sellers put in titles ("8.5 Fl Oz", "Pack of 2"). */
function optionHint(plan: TextPlan, rng: Rng): string | null {
  const size = plan.options['size'];
  if (size && size.length && rng.chance(0.35)) {
    const v = size[0] as string;
    if (v.includes('oz') || v.includes('ounce') || v.includes('count') || v.includes('inch') || v.includes('feet')) return titleCase(v.replace('(', '').replace(')', ''));
  }
  return null;
}

export function buildTitle(plan: TextPlan, rng: Rng): string {
  const cat = plan.type.category;
  const front: string[] = [plan.brand];
  if (plan.line) front.push(plan.line);
  if (rng.chance(0.35)) front.push(rng.pick(TITLE_NOISE[cat]));
  const adjs: string[] = [];
  const withs: string[] = [];
  const fors: string[] = [];
  for (const a of plan.attributes) {
    if (!plan.visible.has(a.phrase)) continue;
    // Sellers hyphenate compound adjectives now and then ("Non-Slip"); the reward's
    // substring test then misses the title, like in the real catalogue.
    const shown = a.phrase.includes(' ') && a.form === 'adj' && rng.chance(0.25) ? titleCase(a.phrase).replace(' ', '-') : titleCase(a.phrase);
    (a.form === 'adj' ? adjs : a.form === 'with' ? withs : fors).push(shown);
  }
  const head = titleCase(plan.type.head).replace('T-shirt', 'T-Shirt');
  const parts: string[] = [[...front, ...adjs, head].join(' ')];
  if (withs.length) parts.push(`with ${withs.join(' and ')}`);
  if (fors.length) parts.push(`for ${fors.join(' and ')}`);
  const hint = optionHint(plan, rng);
  if (hint) parts.push(hint);
  let title = parts[0] as string;
  for (let i = 1; i < parts.length; i++) title += (rng.chance(0.5) ? ', ' : ' ') + parts[i];
  // Keep titles at most ~25 words: drop the line/noise words first.
  if (title.split(' ').length > MAX_TITLE_WORDS && plan.line) return buildTitle({ ...plan, line: '' }, rng);
  return title;
}

export function buildDescription(plan: TextPlan, rng: Rng): string {
  const head = plan.type.head;
  const brandLine = plan.line ? `${plan.brand} ${plan.line}` : plan.brand;
  const sentences: string[] = [rng.pick([`Meet the ${brandLine} ${head}.`, `The ${brandLine} ${head} is made for everyday life.`, `Discover the ${head} from ${plan.brand}.`])];
  for (const a of rng.shuffle(plan.attributes)) sentences.push(fill(rng.pick(attrTemplates(a.form)), a.phrase, head));
  if (plan.stuffed) sentences.push(`Search terms: ${head}, ${plan.attributes.map((a) => a.phrase).join(', ')}, best ${head}.`);
  const filler = FILLER[plan.type.category];
  sentences.push(...rng.sample(filler, 1 + rng.int(2)));
  return sentences.join(' ');
}

export function buildBulletPoints(plan: TextPlan, rng: Rng): string[] {
  const head = plan.type.head;
  const bullets: string[] = [];
  for (const a of plan.attributes) {
    if (!rng.chance(0.6)) continue;
    bullets.push(`${a.phrase.toUpperCase()}: ${fill(rng.pick(attrTemplates(a.form)), a.phrase, head)}`);
  }
  bullets.push(...rng.sample(GENERIC_BULLETS[plan.type.category], bullets.length < 2 ? 2 : 1));
  const shuffled = rng.shuffle(bullets);
  if (plan.stuffed) {
    // The first bullet is indexed by the search engine: stuff it.
    const words = [head, ...plan.attributes.map((a) => a.phrase), head].join(', ');
    shuffled.unshift(`${head.toUpperCase()}: ${words} - the ${head} you need`);
  }
  return shuffled;
}

/** convert_product_file_format.py's option_text: `size: a, b, and color: c, d`. */
export function optionText(options: Readonly<Record<string, readonly string[]>>): string {
  const parts: string[] = [];
  for (const [name, values] of Object.entries(options)) parts.push(`${name}: ${values.join(', ')}`);
  return parts.join(', and ');
}

