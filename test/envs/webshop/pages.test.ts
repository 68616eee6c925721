/** Page texts, grammar, invalid actions and the page flow of the WebShop text mode. */
import { describe, expect, it } from 'vitest';
import { WEBSHOP_FORMAT_ERROR } from '../../../envs/core/react';
import { ResetNeeded } from '../../../envs/core/types';
import { WebshopEnv, getCatalogue } from '../../../envs/webshop/index';
import { parseAction } from '../../../envs/webshop/world';
import { INSTRUCTION, shampoo, shampooTask, turn } from './helpers';

const HEAD = `Observation:\nInstruction: [SEP] ${INSTRUCTION} [SEP] Back to Search`;
const SEARCH_PAGE = `WebShop [SEP] Instruction: [SEP] ${INSTRUCTION} [SEP] Search`;
const ITEM_PAGE =
  `${HEAD} [SEP] < Prev [SEP] size [SEP] 8.5 fl oz (pack of 1) [SEP] 16.9 fl oz (pack of 2) [SEP] scent [SEP] lavender [SEP] coconut [SEP] eucalyptus mint` +
  ' [SEP] Kinoko Paraben Free Shampoo, for Hair Growth and Oily Scalp and Dry Hair [SEP] Price: $27.79 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now';
const TITLE_QUERY = 'search[Kinoko Paraben Free Shampoo for Hair Growth and Oily Scalp and Dry Hair]';

function started() {
  const env = new WebshopEnv();
  const reset = env.reset({ task: shampooTask() });
  return { env, reset };
}

function onItemPage() {
  const { env } = started();
  env.step(turn(TITLE_QUERY));
  const item = env.step(turn('click[B06EZIAJC7]'));
  return { env, item };
}

describe('parseAction = re.match(r"(.+)\\[(.+)\\]", action)', () => {
  it('splits name and argument greedily', () => {
    expect(parseAction('click[Buy Now]')).toEqual(['click', 'Buy Now']);
    expect(parseAction('search[a [b] c]')).toEqual(['search[a ', 'b] c']);
    expect(parseAction('click[a][buy now]')).toEqual(['click[a]', 'buy now']);
    expect(parseAction('search[shoes] please')).toEqual(['search', 'shoes']);
  });
  it('needs a non-empty name and argument', () => {
    expect(parseAction('search[]')).toBeNull();
    expect(parseAction('[x]')).toBeNull();
    expect(parseAction('buy now')).toBeNull();
    expect(parseAction('click[x')).toBeNull();
  });
});

describe('search page', () => {
  it('reset shows the search page with the Observation:\\n prefix', () => {
    const { reset } = started();
    expect(reset.observation).toBe(`Observation:\n${SEARCH_PAGE}`);
    expect(reset.info.progress).toBe(0);
    expect(reset.info.admissible).toEqual(['search[i need a paraben free shampoo for dry hair in coconut scent, 8.5 fl oz]']);
  });
  it('click[search] is not an action; only search[…] works there', () => {
    const { env } = started();
    const r = env.step(turn('click[Search]'));
    expect(r.observation).toBe(`Observation:\n${SEARCH_PAGE}`);
    expect(r.info.valid).toBe(false);
    expect(r.reward).toBe(0);
    expect(r.terminated).toBe(false);
  });
  it('step before reset raises ResetNeeded', () => {
    expect(() => new WebshopEnv().step(turn('search[x]'))).toThrow(ResetNeeded);
  });
});

describe('results pages', () => {
  it('page 1: header, Next > and ten products', () => {
    const { env } = started();
    const r = env.step(turn('search[shampoo tea tree]'));
    const hits = getCatalogue().search('shampoo tea tree');
    expect(hits.length).toBe(50);
    const items = hits
      .slice(0, 10)
      .map((id) => getCatalogue().products[id]!)
      .map((p) => ` [SEP] ${p.asin} [SEP] ${p.Title} [SEP] ${p.Price}`)
      .join('');
    expect(r.observation).toBe(`${HEAD} [SEP] Page 1 (Total results: 50) [SEP] Next >${items}`);
    expect(r.info.valid).toBe(true);
    expect(r.info.admissible!.slice(0, 3)).toEqual(['click[back to search]', 'click[next >]', 'click[b00nail3bn]']);
    expect(r.info.admissible!.length).toBe(12);
  });
  it('page 2 has < Prev; past the last page the list is empty but Next > stays', () => {
    const { env } = started();
    env.step(turn('search[shampoo tea tree]'));
    const p2 = env.step(turn('click[Next >]'));
    expect(p2.observation.startsWith(`${HEAD} [SEP] Page 2 (Total results: 50) [SEP] < Prev [SEP] Next > [SEP] B`)).toBe(true);
    for (let i = 0; i < 4; i++) env.step(turn('click[next >]'));
    const p6 = env.step(turn('click[< prev]'));
    expect(p6.observation.startsWith(`${HEAD} [SEP] Page 5 (Total results: 50)`)).toBe(true);
    const p7 = env.step(turn('click[next >]'));
    expect(p7.observation).toBe(`${HEAD} [SEP] Page 6 (Total results: 50) [SEP] < Prev [SEP] Next >`);
    expect(p7.info.admissible).toEqual(['click[back to search]', 'click[< prev]', 'click[next >]']);
  });
  it('< Prev on page 1 is invalid and returns the same page', () => {
    const { env } = started();
    const first = env.step(turn('search[shampoo tea tree]'));
    const r = env.step(turn('click[< Prev]'));
    expect(r.observation).toBe(first.observation);
    expect(r.info.valid).toBe(false);
  });
  it('an ASIN not on the page is invalid; listed ASINs are case-insensitive', () => {
    const { env } = started();
    const page = env.step(turn(TITLE_QUERY));
    expect(page.observation.includes('B06EZIAJC7')).toBe(true);
    expect(env.step(turn('click[B0RRSHK3VB]')).info.valid).toBe(false);
    expect(env.step(turn('click[b06ezIAJc7]')).observation).toBe(ITEM_PAGE);
  });
  it('search works from any page (the text env accepts it everywhere)', () => {
    const { env } = onItemPage();
    const r = env.step(turn('search[shampoo tea tree]'));
    expect(r.info.valid).toBe(true);
    expect(r.observation.startsWith(`${HEAD} [SEP] Page 1 (Total results: 50)`)).toBe(true);
  });
});

describe('item page and sub-pages', () => {
  it('item page: option groups, title, price, rating and buttons', () => {
    const { item } = onItemPage();
    expect(item.observation).toBe(ITEM_PAGE);
    expect(item.info.admissible).toEqual([
      'click[back to search]',
      'click[< prev]',
      'click[8.5 fl oz (pack of 1)]',
      'click[16.9 fl oz (pack of 2)]',
      'click[lavender]',
      'click[coconut]',
      'click[eucalyptus mint]',
      'click[description]',
      'click[features]',
      'click[reviews]',
      'click[buy now]',
    ]);
  });
  it('clicking an option returns the same text (the simple mode does not mark it)', () => {
    const { env } = onItemPage();
    const r = env.step(turn('click[Coconut]'));
    expect(r.observation).toBe(ITEM_PAGE);
    expect(r.info.valid).toBe(true);
  });
  it('Description, Features and Reviews pages', () => {
    const { env } = onItemPage();
    const p = shampoo();
    const d = env.step(turn('click[Description]'));
    expect(d.observation).toBe(`${HEAD} [SEP] < Prev [SEP] ${p.Description}`);
    expect(d.observation.endsWith('[SEP] < Prev [SEP] The Kinoko shampoo is made for everyday life. Made for dry hair. This shampoo is paraben free. Ideal for hair growth. Ideal for oily scalp. Search terms: shampoo, hair growth, oily scalp, dry hair, paraben free, best shampoo. Suitable for daily use.')).toBe(true);
    expect(d.info.admissible).toEqual(['click[back to search]', 'click[< prev]']);
    expect(env.step(turn('click[< Prev]')).observation).toBe(ITEM_PAGE);
    const f = env.step(turn('click[features]'));
    expect(f.observation).toBe(`${HEAD} [SEP] < Prev [SEP] ${p.BulletPoints.join(' [SEP] ')}`);
    env.step(turn('click[< prev]'));
    expect(env.step(turn('click[reviews]')).observation).toBe(`${HEAD} [SEP] < Prev`);
    expect(env.step(turn('click[back to search]')).observation).toBe(`Observation:\n${SEARCH_PAGE}`);
  });
  it('< Prev from the item page re-renders the same results page', () => {
    const { env } = started();
    env.step(turn('search[shampoo tea tree]'));
    const p2 = env.step(turn('click[next >]'));
    const asin = p2.info.admissible![3]!.slice(6, -1);
    env.step(turn(`click[${asin}]`));
    expect(env.step(turn('click[< prev]')).observation).toBe(p2.observation);
  });
});

describe('Buy Now, reward and options', () => {
  it('buying the target with the asked-for options scores 1.0 and ends the episode', () => {
    const { env } = onItemPage();
    env.step(turn('click[coconut]'));
    env.step(turn('click[description]'));
    env.step(turn('click[< prev]')); // sub-page → item page keeps the selections
    env.step(turn('click[8.5 fl oz (pack of 1)]'));
    const r = env.step(turn('click[Buy Now]'));
    expect(r.observation).toBe('Observation:\nThank you for shopping with us!');
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(1);
    expect(r.info.success).toBe(true);
    expect(r.info.progress).toBe(1);
    expect(r.info.admissible).toBeUndefined();
    expect(r.info.extra).toMatchObject({ asin: 'B06EZIAJC7', options: { scent: 'coconut', size: '8.5 fl oz (pack of 1)' }, r_type: 1, r_att: 1, r_option: 1, r_price: true });
  });
  it('clicking an option of the same group again overwrites it', () => {
    const { env } = onItemPage();
    env.step(turn('click[coconut]'));
    env.step(turn('click[lavender]'));
    env.step(turn('click[8.5 fl oz (pack of 1)]'));
    const r = env.step(turn('click[buy now]'));
    expect(r.reward).toBeCloseTo(4 / 5, 10);
    expect(r.info.success).toBe(false);
    expect(r.info.extra).toMatchObject({ options: { scent: 'lavender', size: '8.5 fl oz (pack of 1)' } });
  });
  it('a results re-render resets the selected options', () => {
    const { env } = onItemPage();
    env.step(turn('click[coconut]'));
    env.step(turn('click[< prev]'));
    env.step(turn('click[b06ezIAJc7]'));
    const r = env.step(turn('click[buy now]'));
    expect(r.reward).toBeCloseTo(3 / 5, 10); // 2 attributes + price, no options
  });
  it('over budget, the price point is lost', () => {
    const env = new WebshopEnv();
    env.reset({ task: shampooTask({ price_upper: 20 }) });
    env.step(turn(TITLE_QUERY));
    env.step(turn('click[B06EZIAJC7]'));
    env.step(turn('click[coconut]'));
    env.step(turn('click[8.5 fl oz (pack of 1)]'));
    const r = env.step(turn('click[buy now]'));
    expect(r.reward).toBeCloseTo(4 / 5, 10);
    expect(r.info.extra).toMatchObject({ r_price: false, price: 27.79 });
  });
});

describe('invalid actions and format errors', () => {
  it('anything that is not search[…] or a clickable returns the same page, invalid', () => {
    const { env, item } = onItemPage();
    for (const a of ['click[nothing]', 'Search[shampoo]', 'search[]', 'click [buy now]', 'click[a][buy now]', 'buy now', 'search[ ]']) {
      const r = env.step(turn(a));
      expect(r.observation, a).toBe(item.observation);
      expect(r.info.valid, a).toBe(false);
      expect(r.reward, a).toBe(0);
    }
  });
  it('a turn without "Action: " is a format error (the step still counts)', () => {
    const { env } = started();
    const r = env.step('Thought: hmm\nAction:click[buy now]');
    expect(r.observation).toBe(WEBSHOP_FORMAT_ERROR);
    expect(r.observation).toBe("Observation: Invalid format. The input must contains 'Action: '");
    expect(r.info.formatError).toBe(true);
    expect(r.info.valid).toBe(false);
    expect(r.info.steps).toBe(1);
  });
});

describe('progress oracle', () => {
  it('rises through listed → open → options → bought', () => {
    const { env, reset } = started();
    expect(reset.info.progress).toBe(0);
    const results = env.step(turn(TITLE_QUERY));
    expect(results.info.progress).toBe(0.25);
    const item = env.step(turn('click[B06EZIAJC7]'));
    expect(item.info.progress).toBe(0.5);
    expect(env.step(turn('click[coconut]')).info.progress).toBe(0.625);
    expect(env.step(turn('click[8.5 fl oz (pack of 1)]')).info.progress).toBe(0.75);
    expect(env.step(turn('click[description]')).info.progress).toBe(0.75);
    expect(env.step(turn('click[back to search]')).info.progress).toBe(0);
  });
});
