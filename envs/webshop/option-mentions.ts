/**
 * How people refer to an option value in an instruction: "size large" for `l`,
 * "6.76 fl oz" for `6.76 fl oz (pack of 1)`, "navy" for `navy blue`. The instruction
 * writer picks one of these; the expert (as world knowledge of shop vocabulary) maps
 * the instruction's words back to the values shown on an item page. The first mention
 * is the value itself wherever a person could write it that way.
 */

const LETTER_SIZE_WORDS: Record<string, string[]> = {
  xs: ['x-small', 'xs', 'extra small'],
  s: ['small'],
  m: ['medium'],
  l: ['large'],
  xl: ['x-large', 'xl', 'extra large'],
  xxl: ['xx-large', 'xxl'],
};

const WORD_SIZE_WORDS: Record<string, string[]> = {
  'x-small': ['x-small', 'xs', 'extra small'],
  small: ['small'],
  medium: ['medium'],
  large: ['large'],
  'x-large': ['x-large', 'xl', 'extra large'],
  'xx-large': ['xx-large', 'xxl'],
  '3x-large': ['3x-large', '3xl'],
};

const BED_SIZES: Record<string, string[]> = {
  twin: ['twin size', 'twin'],
  full: ['full size'],
  queen: ['queen size', 'queen'],
  king: ['king size', 'king'],
};

/** Colours people shorten ("navy" for navy blue) when nothing else on the page is navy. */
const COLOR_SHORT: Record<string, string> = {
  'navy blue': 'navy',
  'olive green': 'olive',
  'heather grey': 'heather gray',
  'space gray': 'space grey',
  'black suede': 'black suede',
  'matte black': 'matte black',
};

const UNIT_ALIASES: Record<string, string[]> = {
  'fl oz': ['fl oz', 'ounce'],
  ounce: ['ounce', 'oz'],
  pound: ['pound', 'lb'],
  liter: ['liter', 'liters'],
  count: ['count', 'ct'],
  pairs: ['pairs'],
  piece: ['piece', 'pieces'],
  feet: ['feet', 'ft', 'foot'],
  inch: ['inch', 'inches'],
  inches: ['inches', 'inch'],
};

const PACK = / \(pack of (\d+)\)$/;
const AMOUNT = /^(\d+(?:\.\d+)?) (fl oz|ounce|pound|liter|count|pairs|piece|feet|inch|inches)$/;
const SHOE = /^(\d+(?:\.5)?)( wide)?$/;

const cache = new Map<string, string[]>();

function amountMentions(base: string): string[] | null {
  const m = AMOUNT.exec(base);
  if (!m) return null;
  const [, num, unit] = m as unknown as [string, string, string];
  return (UNIT_ALIASES[unit] ?? [unit]).map((u) => `${num} ${u}`);
}

/** `a-black` → `black` (a seller's colour code). */
function uncoded(value: string): string {
  const c = value.charCodeAt(0);
  return value.length > 2 && value.charAt(1) === '-' && c >= 97 && c <= 122 ? value.slice(2) : value;
}

const US_SHOE = /^(\d+(?:\.5)?) m us$/;

function compute(group: string, rawValue: string): string[] {
  const value = group === 'color' ? uncoded(rawValue) : rawValue;
  if (group === 'color') {
    if (value.includes(' | ')) {
      const [a, b] = value.split(' | ');
      return [`${a} and ${b}`, `${a} ${b}`];
    }
    const short = COLOR_SHORT[value];
    return short && short !== value ? [value, short] : [value];
  }
  if (group === 'scent' || group === 'flavor name') return [value];

  const letter = LETTER_SIZE_WORDS[value];
  if (letter && group === 'size') return letter;
  const word = WORD_SIZE_WORDS[value];
  if (word && group === 'size') return word;
  const bed = BED_SIZES[value];
  if (bed) return bed;

  const us = US_SHOE.exec(value);
  if (us && group === 'size') return [`size ${us[1]}`, `${us[1]} us`];
  const shoe = SHOE.exec(value);
  if (shoe && group === 'size') return shoe[2] ? [`size ${value}`, `${value}`] : [`size ${value}`];

  const pack = PACK.exec(value);
  if (pack) {
    const n = pack[1] as string;
    const base = value.slice(0, pack.index);
    const amounts = amountMentions(base) ?? [base];
    if (n === '1') return amounts;
    return [value, `pack of ${n} ${amounts[0]}`, `${n} pack of ${amounts[amounts.length > 1 ? 1 : 0]}`];
  }
  const amount = amountMentions(value);
  if (amount) return value.endsWith(' pairs') ? [value, `pack of ${value.slice(0, value.indexOf(' '))}`] : amount;

  if (value.startsWith('set of ')) return [value];
  if (value.endsWith('-tier')) return [value, value.replace('-', ' ')];
  if (value.endsWith(' switch')) return [value, `${value}es`];
  if (value.endsWith(' inches')) return [value, `${value.slice(0, -' inches'.length)} inch`];
  const unitSuffix = ['mah', 'gb', 'w'].find((u) => value.endsWith(u) && value.length > u.length && value.charCodeAt(value.length - u.length - 1) <= 57);
  if (unitSuffix) return [value, `${value.slice(0, -unitSuffix.length)} ${unitSuffix === 'w' ? 'watt' : unitSuffix}`];
  return [value];
}

/** The ways an instruction may name `value` of option group `group`; the first is the preferred one. */
export function optionMentions(group: string, value: string): readonly string[] {
  const key = `${group}\u0000${value}`;
  let mentions = cache.get(key);
  if (!mentions) {
    mentions = compute(group, value);
    cache.set(key, mentions);
  }
  return mentions;
}
