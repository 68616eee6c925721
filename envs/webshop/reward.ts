/**
 * Port of WebShop's web_agent_site/engine/goal.py reward, function for function and
 * with the original field names, so the original unit tests read the same:
 *
 *   total = (num_attr_matches + num_option_matches + r_price)
 *           / (len(attributes) + len(goal_options) + 1) * r_type
 *
 * The only intended difference is the noun tagger behind `title_score` (compromise
 * instead of spaCy; see nouns.ts).
 */
import { tokenSetRatio } from './fuzz';
import { normalizeColor } from './normalize';
import { nounParse } from './nouns';

/** What get_type_reward reads of a product or a goal. */
export interface TypeFields {
  query: string;
  product_category: string;
  name: string;
}

/** What get_attribute_reward reads of the purchased product. */
export interface PurchasedAttributeFields {
  Attributes: readonly string[];
  Title: string;
  BulletPoints: readonly string[];
  Description: string;
}

export interface GoalFields extends TypeFields {
  attributes: readonly string[];
  /** A list of option values, or a {name: value} map as in synthetic goals. */
  goal_options: readonly string[] | Readonly<Record<string, string>>;
  price_upper: number;
}

export type PurchasedFields = TypeFields & PurchasedAttributeFields;

export interface TypeReward {
  r_type: number;
  query_match: boolean;
  category_match: boolean;
  title_score: number;
}

function categoryLevels(productCategory: string): Set<string> {
  return new Set(productCategory.split('›').map((x) => x.trim()));
}

/** goal.py `get_type_reward`: is the purchase the same kind of product? */
export function getTypeReward(purchased: TypeFields, goal: TypeFields): TypeReward {
  const query_match = purchased.query === goal.query;

  // Number of shared breadcrumb levels, ignoring order.
  const purchasedCategory = categoryLevels(purchased.product_category);
  let shared = 0;
  for (const level of categoryLevels(goal.product_category)) if (purchasedCategory.has(level)) shared++;
  const category_match = shared >= 2;

  // Product-name similarity from their nouns.
  const purchasedNouns = nounParse(purchased.name);
  const desiredNouns = nounParse(goal.name);
  let intersect = 0;
  for (const noun of desiredNouns.set) if (purchasedNouns.set.has(noun)) intersect++;
  const title_score = desiredNouns.list.length === 0 ? 0.2 : intersect / desiredNouns.list.length;

  // Later rules override earlier ones, exactly in goal.py's order.
  let r_type = 1.0;
  const match = query_match || category_match || title_score > 0.2;
  if (!match) r_type = 0.5;
  if (title_score < 0.1) r_type = 0.1;
  if (title_score === 0.0) r_type = 0.0;

  return { r_type, query_match, category_match, title_score };
}

/** goal.py `get_attribute_reward`: fuzzy match on mined Attributes, else substring of Title/BulletPoints/Description. */
export function getAttributeReward(purchased: PurchasedAttributeFields, goal: { attributes: readonly string[] }): [r_attr: number, num_attr_matches: number] {
  const purchasedAttrs = purchased.Attributes;
  const goalAttrs = goal.attributes;
  let numAttrMatches = 0;
  let title: string | null = null;
  let bullets: string | null = null;
  let description: string | null = null;
  for (const gAttr of goalAttrs) {
    let matched = false;
    for (const pAttr of purchasedAttrs) {
      if (tokenSetRatio(pAttr, gAttr) > 85) {
        numAttrMatches++;
        matched = true;
        break;
      }
    }
    if (!matched) {
      title ??= purchased.Title.toLowerCase();
      bullets ??= purchased.BulletPoints.join(' ').toLowerCase();
      description ??= purchased.Description.toLowerCase();
      if (title.includes(gAttr) || bullets.includes(gAttr) || description.includes(gAttr)) {
        numAttrMatches++;
        matched = true;
      }
    }
  }
  // goal.py divides by len(goal_attrs) unguarded; every goal has at least one attribute.
  const rAttr = numAttrMatches / goalAttrs.length;
  return [rAttr, numAttrMatches];
}

/** goal.py `get_option_reward`: colour-normalised fuzzy match of each goal option against the chosen ones. */
export function getOptionReward(purchasedOptions: readonly string[], goalOptions: readonly string[]): [r_option: number | null, num_option_matches: number] {
  const purchased = purchasedOptions.map((o) => normalizeColor(o));
  const goal = goalOptions.map((o) => normalizeColor(o));
  let numOptionMatches = 0;
  for (const gOption of goal) {
    for (const pOption of purchased) {
      if (tokenSetRatio(pOption, gOption) > 85) {
        numOptionMatches++;
        break;
      }
    }
  }
  const rOption = goal.length > 0 ? numOptionMatches / goal.length : null;
  return [rOption, numOptionMatches];
}

export interface RewardInfo extends TypeReward {
  r_att: number;
  w_att: number;
  r_option?: number;
  w_option?: number;
  r_price?: boolean;
  w_price?: number;
}

function goalOptionValues(goalOptions: GoalFields['goal_options']): string[] {
  return Array.isArray(goalOptions) ? [...(goalOptions as readonly string[])] : Object.values(goalOptions as Record<string, string>);
}

/**
 * goal.py `get_reward` with `verbose=True`: the total and its parts. `options` is the
 * {option name: value} map recorded during the episode.
 */
export function getRewardVerbose(purchased: PurchasedFields, goal: GoalFields, price: number, options: Readonly<Record<string, string>>): [total: number, info: RewardInfo] {
  const rTypeDict = getTypeReward(purchased, goal);
  const rPrice: boolean | null = goal.price_upper > 0 ? price <= goal.price_upper : null;
  const [rAtt, numAttrMatches] = getAttributeReward(purchased, goal);
  const goalOptions = goalOptionValues(goal.goal_options);
  const [rOption, numOptionMatches] = getOptionReward(Object.values(options), goalOptions);
  const denominator = goal.attributes.length + goalOptions.length + 1;
  let total = (numAttrMatches + numOptionMatches + (rPrice ? 1 : 0)) / denominator;
  total *= rTypeDict.r_type;

  const info: RewardInfo = { ...rTypeDict, r_att: rAtt, w_att: goal.attributes.length / denominator };
  if (rOption !== null) {
    info.r_option = rOption;
    info.w_option = goalOptions.length / denominator;
  }
  if (rPrice !== null) {
    info.r_price = rPrice;
    info.w_price = 1 / denominator;
  }
  return [total, info];
}

/** goal.py `get_reward`: the total reward of buying `purchased` at `price` with the chosen `options`. */
export function getReward(purchased: PurchasedFields, goal: GoalFields, price: number, options: Readonly<Record<string, string>>): number {
  return getRewardVerbose(purchased, goal, price, options)[0];
}
