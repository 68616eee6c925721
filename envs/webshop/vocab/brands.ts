import type { Category } from './schema';

/**
 * Made-up brand names per category. Titles lead with them, as on Amazon, so a
 * search result page is brand-heavy and near-duplicates share a brand.
 */
export const BRANDS: Record<Category, readonly string[]> = {
  fashion: ['Ziloco', 'Hanvex', 'Marlowe & Finch', 'Trekora', 'Bellasoul', 'Urbanix', 'Quenby', 'Dolvane', 'Stridemark', 'Kestrel Co', 'Vintora', 'Oakhurst', 'Lumira', 'Pexton', 'Ravella', 'Corvane', 'Yuneko', 'Breezia'],
  beauty: ['Lumiere Botanics', 'Pureva', 'Silkara', 'Glowdy', 'Maison Verel', 'Aurelle', 'Dermavia', 'Kinoko', 'Velvetine', 'Roshana', 'Beautique', 'Naturelle Lab', 'Ombrae', 'Cosmira', 'Fennix', 'Haloria'],
  electronics: ['Voltix', 'Sonaro', 'Tekpoint', 'Ampera', 'Zentrix', 'Qubon', 'Auraflex', 'Nexwave', 'Helion', 'Kyvo', 'Brivo', 'Digimax', 'Orbex', 'Lumitek', 'Syncra', 'Pulsar One'],
  furniture: ['Woodlore', 'Casavia', 'Homestead Lane', 'Nordvik', 'Oakridge Home', 'Linnea', 'Hearthly', 'Brambleton', 'Modway Studio', 'Timberfold', 'Aldercrest', 'Sorenby', 'Vellmar', 'Kinsey & Co'],
  food: ['Harvest Valley', 'Golden Acre', 'Mountain Peak', 'Sunny Orchard', 'Bramble Farm', 'Pacific Grove', 'Old Mill', 'Wildleaf', 'Copper Kettle', 'True North', 'Meadowbrook', 'Blue Heron', 'Little Fern', 'Stonebridge'],
};

/** Product-line names that follow the brand in titles ("Voltix AirPods-style …"). */
export const LINES: Record<Category, readonly string[]> = {
  fashion: ['Classic', 'Everyday', 'Stepcraft', 'Urban Trek', 'Aero', 'Essentials', 'Heritage', 'Flex', 'Coastline', 'Summit'],
  beauty: ['Hydra', 'Pure Glow', 'Silk Touch', 'Radiance', 'Velvet', 'Botanica', 'Dew', 'Luxe', 'Calm', 'Bloom'],
  electronics: ['Pro', 'Max', 'Air', 'Lite', 'X2', 'Ultra', 'Neo', 'Go', 'S7', 'Studio'],
  furniture: ['Alden', 'Brooklyn', 'Harper', 'Oslo', 'Monroe', 'Sierra', 'Camden', 'Willow', 'Aspen', 'Hudson'],
  food: ['Classic', 'Reserve', 'Select', 'Homestyle', 'Signature', 'Daily', 'Artisan', 'Trail', 'Simply', 'Heritage'],
};

/**
 * Title filler ("2024 Upgraded", "Premium"): noise that makes titles long and brand-heavy.
 * None of these may contain an attribute phrase (checked by the catalogue tests).
 */
export const TITLE_NOISE: Record<Category, readonly string[]> = {
  fashion: ['Casual', 'Fashion', 'Comfortable', '2024 New', 'Classic Style', 'Trendy', 'Unisex Design', 'All Season'],
  beauty: ['Professional', 'Salon Quality', 'Premium', 'Travel Friendly', 'Gift for Her', 'Dermatologist Tested', 'Luxury'],
  electronics: ['2024 Upgraded', 'Premium', 'Latest Version', 'Universal', 'High Performance', 'Plug & Play Ready', 'Gen 2'],
  furniture: ['Easy Assembly', 'Home Decor', 'Contemporary Style', 'Sturdy', 'Premium', 'Space Friendly Design', 'Classic Look'],
  food: ['Value Size', 'Family Size', 'Gourmet', 'Premium', 'Bulk', 'Snack Size', 'Pantry Pick'],
};

/** Generic phrases the "mined" Attributes list sometimes carries besides the real ones. */
export const NOISE_ATTRIBUTES: readonly string[] = ['great gift', 'daily routine', 'good value', 'premium quality', 'perfect present'];
