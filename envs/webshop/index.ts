/** WebShop-style environment (SPA-RL text mode): public surface. */
export type { WebshopTask, WebshopGoal, Product } from './types';
export { webshopGenerator, WEBSHOP_GENERATOR_VERSION, expertSolves, goalFingerprint, splitOfGoal } from './generator';
export { WebshopEnv } from './env';
export { WebshopExpert } from './expert';
export { WebshopRuleBaseline } from './rule-baseline';
export { getCatalogue, type Catalogue } from './catalogue';
export { getTypeReward, getAttributeReward, getOptionReward, getReward, getRewardVerbose, type RewardInfo, type TypeReward } from './reward';
export { normalizeColor, COLOR_SET } from './normalize';
export { tokenSetRatio } from './fuzz';
