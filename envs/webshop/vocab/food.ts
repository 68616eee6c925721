import { attrs, group, type TypeSpec } from './schema';

const GGF = 'Grocery & Gourmet Food';

export const FOOD_TYPES: TypeSpec[] = [
  {
    id: 'ground-coffee', category: 'food', heldOut: false, head: 'ground coffee', names: ['ground coffee', 'coffee grounds'], plural: false,
    breadcrumb: `${GGF} › Beverages › Coffee, Tea & Cocoa › Coffee › Ground Coffee`, queries: ['ground coffee', 'medium roast coffee'],
    attributes: attrs('adj:medium roast,dark roast,organic,fair trade,single origin|with:chocolate notes|for:drip coffee makers'),
    options: [group('size', '12 ounce (pack of 1),12 ounce (pack of 2),2 pound,32 ounce', 2, 4), group('flavor name', 'original,hazelnut,french vanilla,caramel,mocha', 2, 4)],
    price: [6, 40],
  },
  {
    id: 'protein-bars', category: 'food', heldOut: false, head: 'protein bars', names: ['protein bars', 'protein snack bars'], plural: true,
    breadcrumb: `${GGF} › Snack Foods › Bars › Protein Bars`, queries: ['protein bars', 'keto protein bars'],
    attributes: attrs('adj:gluten free,low sugar,keto friendly,non gmo|with:20g protein|for:meal replacement'),
    options: [group('flavor name', 'chocolate peanut butter,cookies and cream,birthday cake,salted caramel,mint chocolate', 2, 4), group('size', '12 count,24 count', 1, 2)],
    price: [12, 45],
  },
  {
    id: 'green-tea', category: 'food', heldOut: false, head: 'green tea', names: ['green tea', 'green tea bags'], plural: false,
    breadcrumb: `${GGF} › Beverages › Coffee, Tea & Cocoa › Tea › Green`, queries: ['green tea bags', 'organic green tea'],
    attributes: attrs('adj:organic,decaffeinated,individually wrapped,non gmo|with:antioxidants|for:iced tea'),
    options: [group('flavor name', 'jasmine,mint,lemon ginger,original,honey', 2, 4), group('size', '20 count,40 count,100 count', 2, 3)], price: [4, 25],
  },
  {
    id: 'potato-chips', category: 'food', heldOut: false, head: 'potato chips', names: ['potato chips', 'chips'], plural: true,
    breadcrumb: `${GGF} › Snack Foods › Chips & Crisps › Potato`, queries: ['kettle potato chips', 'potato chips variety pack'],
    attributes: attrs('adj:kettle cooked,gluten free,non gmo,low sodium|with:no artificial flavors|for:lunch boxes'),
    options: [group('flavor name', 'sea salt,salt and vinegar,bbq,jalapeno,sour cream and onion', 2, 4), group('size', '1 ounce (pack of 24),5 ounce (pack of 8),8 ounce (pack of 1)', 1, 3)],
    price: [4, 35],
  },
  {
    id: 'beef-jerky', category: 'food', heldOut: false, head: 'beef jerky', names: ['beef jerky', 'jerky'], plural: false,
    breadcrumb: `${GGF} › Snack Foods › Jerky & Dried Meats › Beef`, queries: ['beef jerky', 'high protein jerky'],
    attributes: attrs('adj:high protein,low sugar,gluten free,grass fed|with:no added nitrates|for:road trips'),
    options: [group('flavor name', 'original,teriyaki,peppered,sweet and spicy', 2, 4), group('size', '2.5 ounce (pack of 1),3.25 ounce (pack of 4),10 ounce', 1, 3)],
    price: [6, 40],
  },
  {
    id: 'olive-oil', category: 'food', heldOut: false, head: 'extra virgin olive oil', names: ['extra virgin olive oil', 'olive oil'], plural: false,
    breadcrumb: `${GGF} › Pantry Staples › Cooking Oils › Olive Oils`, queries: ['extra virgin olive oil', 'olive oil'],
    attributes: attrs('adj:cold pressed,organic,first harvest|with:glass bottle|for:salad dressing'),
    options: [group('size', '16.9 fl oz,25.3 fl oz,33.8 fl oz,2 liter', 2, 4)], price: [8, 45],
  },
  {
    id: 'raw-honey', category: 'food', heldOut: false, head: 'raw honey', names: ['raw honey', 'pure raw honey'], plural: false,
    breadcrumb: `${GGF} › Pantry Staples › Honey, Syrups & Sweeteners › Honey`, queries: ['raw honey', 'organic honey'],
    attributes: attrs('adj:unfiltered,organic,kosher|with:glass jar,honeycomb pieces|for:tea lovers'),
    options: [group('size', '12 ounce,16 ounce,32 ounce,5 pound', 2, 4)], price: [7, 50],
  },
  {
    id: 'dark-chocolate', category: 'food', heldOut: false, head: 'dark chocolate', names: ['dark chocolate', 'dark chocolate bar'], plural: false,
    breadcrumb: `${GGF} › Snack Foods › Candy & Chocolate › Chocolate Bars`, queries: ['dark chocolate bar', 'sugar free chocolate'],
    attributes: attrs('adj:sugar free,dairy free,fair trade,organic|with:whole almonds|for:baking'),
    options: [group('flavor name', 'mint,orange,raspberry,sea salt caramel,espresso', 2, 4), group('size', '3.5 ounce (pack of 1),3.5 ounce (pack of 6),12 count', 1, 3)],
    price: [3, 30],
  },
  {
    id: 'trail-mix', category: 'food', heldOut: false, head: 'trail mix', names: ['trail mix', 'snack mix'], plural: false,
    breadcrumb: `${GGF} › Snack Foods › Nuts & Seeds › Trail Mix`, queries: ['trail mix', 'healthy trail mix'],
    attributes: attrs('adj:non gmo,high protein,vegan|with:dried cranberries,roasted peanuts|for:hiking'),
    options: [group('size', '1 ounce (pack of 24),26 ounce,2 pound', 1, 3), group('flavor name', 'original,tropical,sweet and salty', 1, 3)], price: [6, 35],
  },
  {
    id: 'mixed-nuts', category: 'food', heldOut: true, head: 'mixed nuts', names: ['mixed nuts', 'nuts'], plural: true,
    breadcrumb: `${GGF} › Snack Foods › Nuts & Seeds › Mixed Nuts`, queries: ['mixed nuts', 'roasted mixed nuts'],
    attributes: attrs('adj:unsalted,keto friendly,non gmo,kosher|with:resealable bag|for:snacking'),
    options: [group('size', '1 ounce (pack of 24),16 ounce,2 pound,40 ounce', 2, 4), group('flavor name', 'lightly salted,honey roasted,deluxe', 1, 3)], price: [8, 45],
  },
  {
    id: 'granola', category: 'food', heldOut: true, head: 'granola', names: ['granola', 'granola cereal'], plural: false,
    breadcrumb: `${GGF} › Breakfast Foods › Cereals › Granola`, queries: ['granola', 'low sugar granola'],
    attributes: attrs('adj:low sugar,gluten free,whole grain,high fiber|with:whole almonds|for:breakfast'),
    options: [group('flavor name', 'honey almond,cinnamon,cocoa crunch,blueberry', 2, 4), group('size', '11 ounce,12 ounce (pack of 4),32 ounce', 1, 3)], price: [4, 30],
  },
  {
    id: 'sparkling-water', category: 'food', heldOut: true, head: 'sparkling water', names: ['sparkling water', 'seltzer water'], plural: false,
    breadcrumb: `${GGF} › Beverages › Bottled Beverages, Water & Drink Mixes › Water › Sparkling Water`, queries: ['sparkling water', 'flavored sparkling water'],
    attributes: attrs('adj:zero calorie,unsweetened,caffeine free|with:natural flavors,electrolytes|for:on the go'),
    options: [group('flavor name', 'lime,grapefruit,black cherry,lemon,mango', 2, 4), group('size', '12 fl oz (pack of 12),16.9 fl oz (pack of 24),12 fl oz (pack of 8)', 1, 3)],
    price: [5, 30],
  },
];
