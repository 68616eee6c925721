import { attrs, group, type TypeSpec } from './schema';

const BPC = 'Beauty & Personal Care';
const MAKEUP_COLORS = 'ruby red,nude pink,berry,coral,mauve,classic red,plum,peach';

export const BEAUTY_TYPES: TypeSpec[] = [
  {
    id: 'shampoo', category: 'beauty', heldOut: false, head: 'shampoo', names: ['shampoo', 'hair shampoo'], plural: false,
    breadcrumb: `${BPC} › Hair Care › Shampoo & Conditioner › Shampoos`, queries: ['shampoo', 'sulfate free shampoo'],
    attributes: attrs('adj:sulfate free,paraben free,cruelty free,color safe|with:tea tree,argan oil,biotin|for:dry hair,oily scalp,hair growth'),
    options: [
      group('size', '8.5 fl oz (pack of 1),16.9 fl oz (pack of 1),33.8 fl oz (pack of 1),8.5 fl oz (pack of 2),16.9 fl oz (pack of 2)', 2, 4),
      group('scent', 'unscented,lavender,coconut,citrus,eucalyptus mint', 2, 4),
    ],
    price: [7, 45],
  },
  {
    id: 'face-moisturizer', category: 'beauty', heldOut: false, head: 'face moisturizer', names: ['face moisturizer', 'facial moisturizer'], plural: false,
    breadcrumb: `${BPC} › Skin Care › Face › Creams & Moisturizers › Face Moisturizers`, queries: ['face moisturizer', 'moisturizer for sensitive skin'],
    attributes: attrs('adj:fragrance free,oil free,non comedogenic|with:hyaluronic acid,niacinamide,spf 30|for:sensitive skin,anti aging'),
    options: [group('size', '1.7 fl oz,2.5 fl oz,3.4 fl oz,1.7 fl oz (pack of 2)', 2, 4)], price: [9, 65],
  },
  {
    id: 'lipstick', category: 'beauty', heldOut: false, head: 'lipstick', names: ['lipstick', 'lip stick'], plural: false,
    breadcrumb: `${BPC} › Makeup › Lips › Lipstick`, queries: ['matte lipstick', 'long lasting lipstick'],
    attributes: attrs('adj:long lasting,matte,vegan,moisturizing,cruelty free|with:shea butter,vitamin e|for:dry lips'),
    options: [group('color', MAKEUP_COLORS, 3, 6)], price: [5, 38],
  },
  {
    id: 'eyeshadow-palette', category: 'beauty', heldOut: false, head: 'eyeshadow palette', names: ['eyeshadow palette', 'eye shadow palette'], plural: false,
    breadcrumb: `${BPC} › Makeup › Eyes › Eyeshadow`, queries: ['eyeshadow palette', 'nude eyeshadow palette'],
    attributes: attrs('adj:highly pigmented,long lasting,blendable,cruelty free,waterproof|with:built in mirror|for:beginners'),
    options: [group('color', 'nude tones,smoky,sunset glow,rose gold,galaxy,warm brown', 2, 5)], price: [8, 55],
  },
  {
    id: 'nail-polish', category: 'beauty', heldOut: false, head: 'nail polish', names: ['nail polish', 'nail lacquer'], plural: false,
    breadcrumb: `${BPC} › Foot, Hand & Nail Care › Nail Art & Polish › Nail Polish`, queries: ['nail polish', 'quick dry nail polish'],
    attributes: attrs('adj:quick dry,chip resistant,non toxic,long lasting,glossy|with:gel finish|for:home manicure'),
    options: [group('color', 'cherry red,baby pink,nude beige,navy,glitter silver,black,lilac', 3, 6)], price: [4, 25],
  },
  {
    id: 'eau-de-parfum', category: 'beauty', heldOut: false, head: 'eau de parfum', names: ['eau de parfum', 'perfume'], plural: false,
    breadcrumb: `${BPC} › Fragrance › Women's › Eau de Parfum`, queries: ['perfume for women', 'eau de parfum spray'],
    attributes: attrs('adj:long lasting,floral scent,powdery|with:vanilla notes,citrus notes|for:women,evening wear'),
    options: [group('size', '1 fl oz,1.7 fl oz,3.4 fl oz,3.4 fl oz (pack of 2)', 2, 3)], price: [18, 140],
  },
  {
    id: 'body-lotion', category: 'beauty', heldOut: false, head: 'body lotion', names: ['body lotion', 'lotion'], plural: false,
    breadcrumb: `${BPC} › Skin Care › Body › Moisturizers › Lotions`, queries: ['body lotion', 'lotion for dry skin'],
    attributes: attrs('adj:non greasy,fast absorbing,hypoallergenic|with:shea butter,cocoa butter,vitamin e|for:dry skin,sensitive skin'),
    options: [
      group('size', '13.5 fl oz,16 fl oz,32 fl oz,16 fl oz (pack of 2)', 2, 4),
      group('scent', 'unscented,lavender,coconut,vanilla,cucumber melon', 2, 4),
    ],
    price: [5, 30],
  },
  {
    id: 'hair-dryer', category: 'beauty', heldOut: false, head: 'hair dryer', names: ['hair dryer', 'blow dryer'], plural: false,
    breadcrumb: `${BPC} › Hair Care › Styling Tools & Appliances › Hair Dryers & Accessories › Hair Dryers`, queries: ['hair dryer', 'ionic hair dryer'],
    attributes: attrs('adj:ionic,foldable,low noise|with:diffuser attachment,concentrator nozzle,cool shot button|for:curly hair'),
    options: [group('color', 'black,pink,white,rose gold,purple', 2, 4)], price: [19, 120],
  },
  {
    id: 'makeup-brush-set', category: 'beauty', heldOut: false, head: 'makeup brush set', names: ['makeup brush set', 'makeup brushes'], plural: false,
    breadcrumb: `${BPC} › Tools & Accessories › Makeup Brushes & Tools › Brush Sets`, queries: ['makeup brush set', 'makeup brushes'],
    attributes: attrs('adj:ultra soft,synthetic bristles,dense|with:travel case,brush cleaner|for:foundation blending'),
    options: [group('style', '10 piece,16 piece,22 piece', 2, 3), group('color', 'black,pink,champagne gold,marble white', 2, 3)], price: [7, 45],
  },
  {
    id: 'sunscreen', category: 'beauty', heldOut: true, head: 'sunscreen', names: ['sunscreen', 'sun screen'], plural: false,
    breadcrumb: `${BPC} › Skin Care › Sunscreens & Tanning Products › Sunscreens`, queries: ['sunscreen', 'mineral sunscreen'],
    attributes: attrs('adj:water resistant,reef safe,broad spectrum,oil free|with:spf 50,zinc oxide|for:sensitive skin,babies'),
    options: [group('size', '3 fl oz,6 fl oz,3 fl oz (pack of 2)', 2, 3)], price: [7, 40],
  },
  {
    id: 'sheet-mask', category: 'beauty', heldOut: true, head: 'sheet mask', names: ['sheet mask', 'face sheet mask'], plural: false,
    breadcrumb: `${BPC} › Skin Care › Face › Treatments & Masks › Sheet Masks`, queries: ['sheet mask', 'korean face mask'],
    attributes: attrs('adj:hydrating,brightening,cruelty free|with:hyaluronic acid,collagen,aloe vera|for:dry skin,dull skin'),
    options: [group('item package quantity', '5 count,10 count,20 count', 2, 3)], price: [6, 35],
  },
  {
    id: 'flat-iron', category: 'beauty', heldOut: true, head: 'flat iron', names: ['flat iron', 'hair straightener'], plural: false,
    breadcrumb: `${BPC} › Hair Care › Styling Tools & Appliances › Flat Irons`, queries: ['flat iron', 'hair straightener'],
    attributes: attrs('adj:dual voltage,ionic|with:ceramic plates,auto shut off,digital display|for:thick hair,curly hair'),
    options: [group('color', 'black,pink,white,rose gold,purple', 2, 4)], price: [19, 130],
  },
];
