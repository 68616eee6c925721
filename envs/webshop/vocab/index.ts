import { BEAUTY_TYPES } from './beauty';
import { ELECTRONICS_TYPES } from './electronics';
import { FASHION_TYPES } from './fashion';
import { FOOD_TYPES } from './food';
import { FURNITURE_TYPES } from './furniture';
import type { TypeSpec } from './schema';

export * from './schema';
export { BRANDS, LINES, NOISE_ATTRIBUTES, TITLE_NOISE } from './brands';

/** Every product type of the shop, in a fixed order (the catalogue is built in this order). */
export const ALL_TYPES: readonly TypeSpec[] = [...FASHION_TYPES, ...BEAUTY_TYPES, ...ELECTRONICS_TYPES, ...FURNITURE_TYPES, ...FOOD_TYPES];

/** Amazon's option names used by the shop: the item page shows them before their values. */
export const OPTION_GROUP_NAMES: readonly string[] = [...new Set(ALL_TYPES.flatMap((t) => t.options.map((g) => g.name)))];
