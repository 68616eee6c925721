/**
 * Port of princeton-nlp/WebShop tests/web-agent-site/engine/test_goal.py (fixtures
 * reconstructed) plus the fuzz/normalize semantics goal.py depends on. Where the
 * original asserted spaCy-dependent title scores, the compromise-tagger values are
 * asserted instead (see envs/webshop/README.md, "Deviations").
 */
import { describe, expect, it } from 'vitest';
import { COLOR_SET, getAttributeReward, getOptionReward, getReward, getRewardVerbose, getTypeReward, normalizeColor, tokenSetRatio } from '../../../envs/webshop/index';

const MENS = 'Mens D.O.N. Issue 2 Gca Basketball Sneakers Shoes Casual - Off White';
const PEAK = 'PEAK High Top Mens Basketball Shoes Lou Williams Streetball Master Breathable Non Slip Outdoor Sneakers';
const SAIREED = 'Saireed UL Listed 2 Prong Power Cord for JBL Bar 3.1 Bar 2.1 Bar 5.1 Bar 5.1 Surround Sound Bar Speaker System Subwoofer Replacement AC Power Cable Cord Lead';
const BRST = 'BRST AC Power Cord Outlet Socket Cable Plug Lead for Panasonic SC-HT830V DVD/VCR Combo Home Theater System';

describe('token_set_ratio (fuzzball) matches thefuzz/rapidfuzz semantics', () => {
  it('scores a token subset 100, whatever the extra tokens', () => {
    expect(tokenSetRatio('tea', 'tea tree')).toBe(100);
    expect(tokenSetRatio('powder snow', 'cool powder snow')).toBe(100);
    expect(tokenSetRatio('6.76 fl oz', '6.76 fl oz (pack of 1)')).toBe(100);
  });
  it('lower-cases and turns non-alphanumerics into spaces', () => {
    expect(tokenSetRatio('essential-oil', 'essential oil')).toBe(100);
    expect(tokenSetRatio('XL', 'xl')).toBe(100);
  });
  it('uses the Indel ratio on sorted token strings, rounded', () => {
    expect(tokenSetRatio('gray', 'grey')).toBe(75);
    expect(tokenSetRatio('sugar free', 'gluten free')).toBe(57);
    expect(tokenSetRatio('pack of 12', 'pack of 1')).toBe(95);
    expect(tokenSetRatio('l', 'large')).toBe(33);
  });
  it('gives 0 against an empty string', () => {
    expect(tokenSetRatio('a', '')).toBe(0);
    expect(tokenSetRatio('', '')).toBe(0);
  });
});

describe('normalize_color', () => {
  it('returns the first COLOR_SET entry contained in the string (alphabetical order)', () => {
    expect(normalizeColor('navy blue')).toBe('blue');
    expect(normalizeColor('rose gold')).toBe('gold');
    expect(normalizeColor('a-black')).toBe('black');
    expect(normalizeColor('dark wash')).toBe('ash');
    expect(normalizeColor('xl')).toBe('xl');
    expect(COLOR_SET.length).toBe(102);
    expect(COLOR_SET[0]).toBe('alabaster');
  });
});

describe('get_type_reward (test_get_type_reward)', () => {
  it('exact match', () => {
    const goal = { query: 'Query 1', product_category: 'a › b › c', name: 'Name 1' };
    const purchased = { query: 'Query 1', product_category: 'a › b › c', name: 'Name 1' };
    const result = getTypeReward(purchased, goal);
    expect(result.r_type).toBe(1.0);
    expect(result.query_match).toBe(true);
    expect(result.category_match).toBe(true);
    // spaCy tags "Name" a noun (title_score 1); compromise tags it a verb, so the goal
    // name has no nouns and goal.py's fallback 0.2 applies.
    expect(result.title_score).toBe(0.2);
  });

  it('query mismatch', () => {
    const goal = { query: 'Query 1', product_category: 'a › b › c', name: 'Name 1' };
    expect(getTypeReward({ query: 'Query 2', product_category: 'a › b › c', name: 'Name 1' }, goal).query_match).toBe(false);
  });

  it('category match needs 2 shared levels, in any order', () => {
    const goal = { query: 'Query 1', product_category: 'a › b › c', name: 'Name 1' };
    const cat = (product_category: string) => getTypeReward({ query: 'Query 1', product_category, name: 'Name 1' }, goal).category_match;
    expect(cat('b › c › a')).toBe(true);
    expect(cat('d › e › f')).toBe(false);
    expect(cat('a › d › b')).toBe(true);
    expect(cat('a › a › b')).toBe(true);
    expect(cat('a › a › d')).toBe(false);
  });

  it('title score = shared nouns / goal nouns (list length, duplicates counted)', () => {
    const goal = { query: 'Query 1', product_category: 'a › b › c', name: MENS };
    const r1 = getTypeReward({ query: 'Query 1', product_category: 'a › b › c', name: PEAK }, goal);
    expect(r1.title_score).toBeCloseTo(4 / 7, 10); // mens, basketball, sneakers, shoes of 7 nouns
    const r2 = getTypeReward({ query: 'Query 1', product_category: 'a › b › c', name: BRST }, { ...goal, name: SAIREED });
    expect(r2.title_score).toBeCloseTo(6 / 22, 10); // "Bar" ×5 and "Power"/"Cord" ×2 count in the denominator
  });

  it('r_type overrides in goal.py order', () => {
    const goal = { query: 'Query 1', product_category: 'a › b › c', name: MENS };
    // no query/category match, title score 1/7 in [0.1, 0.2] → 0.5
    expect(getTypeReward({ query: 'Query 2', product_category: 'd › e › f', name: 'Nike Basketball' }, goal).r_type).toBe(0.5);
    // title score 1/7 but the query matches → 1.0
    expect(getTypeReward({ query: 'Query 1', product_category: 'd › e › f', name: 'Nike Basketball' }, goal).r_type).toBe(1.0);
    // title score > 0.2 alone suffices
    expect(getTypeReward({ query: 'Query 2', product_category: 'd › e › f', name: PEAK }, goal).r_type).toBe(1.0);
    // title score 0 → 0 even with query and category matches
    expect(getTypeReward({ query: 'Query 1', product_category: 'a › b › c', name: 'Organic Honey' }, goal).r_type).toBe(0.0);
    // 0 < title score < 0.1 → 0.1 even with matches
    const long = { ...goal, name: SAIREED };
    const r = getTypeReward({ query: 'Query 1', product_category: 'a › b › c', name: 'Wooden Speaker Stand' }, long);
    expect(r.title_score).toBeCloseTo(1 / 22, 10);
    expect(r.r_type).toBe(0.1);
  });
});

describe('get_attribute_reward (test_get_attribute_reward)', () => {
  const goal = { attributes: ['tea tree', 'essential oil', 'natural ingredients'] };
  const blank = { Title: '', BulletPoints: [] as string[], Description: '' };
  it('exact match', () => {
    expect(getAttributeReward({ ...blank, Attributes: ['tea tree', 'essential oil', 'natural ingredients'] }, goal)).toEqual([1, 3]);
  });
  it('partial match', () => {
    expect(getAttributeReward({ ...blank, Attributes: ['essential oil', 'natural ingredients'] }, goal)).toEqual([2 / 3, 2]);
  });
  it('goal attributes found in Title, BulletPoints or Description (substring fallback)', () => {
    const purchased = {
      Attributes: [],
      Title: '',
      BulletPoints: ['This shampoo has essential oil and smells like lemons'],
      Description: 'Best shampoo on the market, made with natural ingredients',
    };
    expect(getAttributeReward(purchased, goal)).toEqual([2 / 3, 2]);
    expect(getAttributeReward({ ...purchased, Title: 'Tea Tree Shampoo' }, goal)).toEqual([1, 3]);
  });
  it('fuzzy matches in ambiguous cases', () => {
    expect(getAttributeReward({ ...blank, Attributes: ['tea', 'essential-oil', 'natural-ingredients'] }, goal)).toEqual([1, 3]);
  });
  it('the substring test is case-insensitive on the product side only', () => {
    expect(getAttributeReward({ ...blank, Attributes: [], Description: 'NATURAL INGREDIENTS' }, goal)).toEqual([1 / 3, 1]);
  });
});

describe('get_option_reward (test_get_option_reward)', () => {
  it('exact match', () => {
    expect(getOptionReward(['pack of 12', 'grey', 'XL'], ['grey', 'XL', 'pack of 12'])).toEqual([1, 3]);
  });
  it('partial match (grey vs gray stays different after normalize_color)', () => {
    expect(getOptionReward(['pack of 12', 'gray', 'XL'], ['grey', 'XL', 'pack of 12'])).toEqual([2 / 3, 2]);
  });
  it('fuzzy match', () => {
    expect(getOptionReward(['pack of 12', 'powder snow', 'XL'], ['cool powder snow', 'XL', 'pack of 12'])).toEqual([1, 3]);
  });
  it('colour normalisation: navy blue matches royal blue', () => {
    expect(getOptionReward(['royal blue'], ['navy blue'])).toEqual([1, 1]);
  });
  it('empty goal options give None', () => {
    expect(getOptionReward(['goal 1', 'goal 2'], [])).toEqual([null, 0]);
  });
  it('empty purchased options give 0', () => {
    expect(getOptionReward([], ['goal 1', 'goal 2'])).toEqual([0, 0]);
  });
});

describe('get_reward (test_get_reward)', () => {
  const goal = {
    query: 'Query 1',
    product_category: 'a › b › c',
    name: MENS,
    attributes: ['tea tree', 'essential oil', 'natural ingredients'],
    goal_options: { color: 'grey', size: 'XL' } as Record<string, string>,
    price_upper: 40.0,
  };
  const purchased = {
    query: 'Query 1',
    product_category: 'a › b › c',
    name: MENS,
    Attributes: ['tea tree', 'essential oil', 'natural ingredients'],
    Title: '',
    BulletPoints: [] as string[],
    Description: '',
  };

  it('all matched (3 attributes, 2 options, price) → 1.0', () => {
    expect(getReward(purchased, goal, 35, { color: 'grey', size: 'XL' })).toBe(1);
  });

  it('2 of 3 attributes and 1 of 2 options → 4/6 = 0.667', () => {
    const total = getReward({ ...purchased, Attributes: ['tea tree', 'essential oil'] }, goal, 35, { color: 'grey' });
    expect(total).toBeCloseTo(0.667, 3);
  });

  it('3 goal options with 2 matched, 2 of 3 attributes, over budget → 4/7 = 0.571', () => {
    const goal3 = { ...goal, goal_options: { color: 'grey', size: 'XL', count: 'pack of 6 bars' } };
    const total = getReward({ ...purchased, Attributes: ['tea tree', 'essential oil'] }, goal3, 45, { color: 'grey', size: 'XL' });
    expect(total).toBeCloseTo(0.571, 3);
  });

  it('wrong type halves it → 0.286', () => {
    const goal3 = { ...goal, goal_options: { color: 'grey', size: 'XL', count: 'pack of 6 bars' } };
    const wrong = { ...purchased, Attributes: ['tea tree', 'essential oil'], query: 'Query 2', product_category: 'd › e › f', name: 'Nike Basketball' };
    const [total, info] = getRewardVerbose(wrong, goal3, 45, { color: 'grey', size: 'XL' });
    expect(total).toBeCloseTo(0.286, 3);
    expect(info.r_type).toBe(0.5);
    expect(info.r_price).toBe(false);
    expect(info.w_option).toBeCloseTo(3 / 7, 10);
    expect(info.r_option).toBeCloseTo(2 / 3, 10);
  });

  it('goal options as a list (human goals) and no price limit', () => {
    const human = { ...goal, goal_options: ['grey'], price_upper: 1000000 };
    expect(getReward(purchased, human, 999, { color: 'grey' })).toBe(1);
    const [, info] = getRewardVerbose(purchased, { ...human, goal_options: [] }, 999, {});
    expect(info.r_option).toBeUndefined();
    expect(info.w_att).toBe(3 / 4);
  });
});
