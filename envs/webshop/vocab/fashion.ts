import { attrs, codedColors, COLORS_APPAREL, group, LETTER_SIZES, SHOE_SIZES, SHOE_SIZES_US, styledGroup, WORD_SIZES, type TypeSpec } from './schema';

const CSJ = 'Clothing, Shoes & Jewelry';
const apparelSize = () => styledGroup('size', [WORD_SIZES, LETTER_SIZES], 3, 6);
const apparelColor = (min = 2, max = 4) => styledGroup('color', [COLORS_APPAREL, codedColors(COLORS_APPAREL)], min, max);
const shoeSize = () => styledGroup('size', [SHOE_SIZES, SHOE_SIZES_US], 4, 8);

export const FASHION_TYPES: TypeSpec[] = [
  {
    id: 'running-shoes', category: 'fashion', heldOut: false, head: 'running shoes', names: ['running shoes', 'running sneakers'], plural: true,
    breadcrumb: `${CSJ} › Men › Shoes › Athletic › Running`, queries: ['men running shoes', 'running shoes'],
    attributes: attrs('adj:non slip,lightweight,breathable,shock absorbing|with:memory foam,arch support,rubber sole|for:road running,gym workouts'),
    options: [shoeSize(), apparelColor(2, 5)], price: [29, 140],
  },
  {
    id: 'maxi-dress', category: 'fashion', heldOut: false, head: 'maxi dress', names: ['maxi dress', 'long dress'], plural: false,
    breadcrumb: `${CSJ} › Women › Clothing › Dresses › Casual`, queries: ['women maxi dress', 'summer dresses for women'],
    attributes: attrs('adj:short sleeve,long sleeve,v neck,high waist,floral print,flowy|with:ruffle hem,button closure|for:summer beach'),
    options: [apparelSize(), apparelColor()], price: [19, 70],
  },
  {
    id: 't-shirt', category: 'fashion', heldOut: false, head: 't-shirt', names: ['t-shirt', 'tee shirt'], plural: false,
    breadcrumb: `${CSJ} › Men › Clothing › Shirts › T-Shirts`, queries: ['men t-shirt', 'cotton t-shirt'],
    attributes: attrs('adj:crew neck,classic fit,moisture wicking,tagless,heavyweight,short sleeve|with:chest pocket|for:everyday wear'),
    options: [apparelSize(), apparelColor()], price: [9, 35],
  },
  {
    id: 'jeans', category: 'fashion', heldOut: false, head: 'jeans', names: ['jeans', 'denim jeans'], plural: true,
    breadcrumb: `${CSJ} › Men › Clothing › Jeans`, queries: ['men jeans', 'slim fit jeans'],
    attributes: attrs('adj:slim fit,straight leg,stretch denim,relaxed fit,high rise,distressed|with:button fly,zip fly'),
    options: [group('size', '28w x 30l,30w x 30l,30w x 32l,32w x 30l,32w x 32l,34w x 32l,36w x 32l,38w x 34l', 3, 6), group('color', 'dark wash,light wash,medium wash,black,stone wash,vintage blue', 2, 4)],
    price: [24, 90],
  },
  {
    id: 'hoodie', category: 'fashion', heldOut: false, head: 'hoodie', names: ['hoodie', 'hooded sweatshirt'], plural: false,
    breadcrumb: `${CSJ} › Women › Clothing › Fashion Hoodies & Sweatshirts`, queries: ['women hoodie', 'pullover hoodie'],
    attributes: attrs('adj:fleece lined,oversized,pullover,zip up|with:kangaroo pocket,drawstring hood,ribbed cuffs|for:cold weather'),
    options: [apparelSize(), apparelColor()], price: [18, 65],
  },
  {
    id: 'ankle-boots', category: 'fashion', heldOut: false, head: 'ankle boots', names: ['ankle boots', 'booties'], plural: true,
    breadcrumb: `${CSJ} › Women › Shoes › Boots › Ankle & Bootie`, queries: ['women ankle boots', 'chelsea boots'],
    attributes: attrs('adj:waterproof,faux leather,pointed toe,chunky|with:side zipper,block heel,rubber sole,memory foam|for:winter'),
    options: [shoeSize(), group('color', 'black,brown,tan,grey,burgundy,taupe,black suede', 2, 4)], price: [35, 150],
  },
  {
    id: 'athletic-socks', category: 'fashion', heldOut: false, head: 'athletic socks', names: ['athletic socks', 'sport socks'], plural: true,
    breadcrumb: `${CSJ} › Men › Clothing › Socks & Hosiery › Athletic Socks`, queries: ['athletic socks', 'running socks'],
    attributes: attrs('adj:moisture wicking,cushioned sole,no show,ankle length|with:arch support,reinforced heel|for:hiking'),
    options: [group('size', 'small,medium,large,x-large', 2, 4), group('item package quantity', '3 pairs,6 pairs,12 pairs', 2, 3), group('color', 'white,black,grey,multicolor', 2, 3)],
    price: [9, 30],
  },
  {
    id: 'sunglasses', category: 'fashion', heldOut: false, head: 'sunglasses', names: ['sunglasses', 'sun glasses'], plural: true,
    breadcrumb: `${CSJ} › Men › Accessories › Sunglasses & Eyewear Accessories › Sunglasses`, queries: ['polarized sunglasses', 'sunglasses for men'],
    attributes: attrs('adj:polarized,retro,oversized|with:uv400 protection,metal frame,spring hinges|for:driving'),
    options: [group('color', 'black | grey,gold | green,tortoise | brown,silver | blue,matte black,clear | pink', 2, 5)], price: [12, 160],
  },
  {
    id: 'wrist-watch', category: 'fashion', heldOut: false, head: 'watch', names: ['watch', 'wrist watch'], plural: false,
    breadcrumb: `${CSJ} › Men › Watches › Wrist Watches`, queries: ['men watch', 'analog watch'],
    attributes: attrs('adj:waterproof,analog,minimalist|with:leather strap,quartz movement,date display,luminous hands|for:formal occasions'),
    options: [group('color', 'silver | black,gold | white,rose gold,black,blue,brown | gold', 2, 4)], price: [25, 300],
  },
  {
    id: 'laptop-backpack', category: 'fashion', heldOut: false, head: 'laptop backpack', names: ['laptop backpack', 'backpack'], plural: false,
    breadcrumb: `${CSJ} › Luggage & Travel Gear › Backpacks › Laptop Backpacks`, queries: ['laptop backpack', 'travel backpack'],
    attributes: attrs('adj:water resistant,anti theft|with:usb charging port,padded laptop compartment,luggage strap|for:business trips,college students'),
    options: [group('size', '15.6 inch,17 inch', 1, 2), group('color', 'black,grey,navy blue,dark green,pink', 2, 4)], price: [22, 90],
  },
  {
    id: 'leggings', category: 'fashion', heldOut: true, head: 'leggings', names: ['leggings', 'yoga pants'], plural: true,
    breadcrumb: `${CSJ} › Women › Clothing › Active › Leggings`, queries: ['women leggings', 'yoga leggings'],
    attributes: attrs('adj:high waist,squat proof,buttery soft,tummy control|with:phone pockets|for:yoga'),
    options: [apparelSize(), apparelColor()], price: [15, 60],
  },
  {
    id: 'sandals', category: 'fashion', heldOut: true, head: 'sandals', names: ['sandals', 'flat sandals'], plural: true,
    breadcrumb: `${CSJ} › Women › Shoes › Sandals › Flat`, queries: ['women sandals', 'summer sandals'],
    attributes: attrs('adj:open toe,non slip|with:adjustable buckle,ankle strap,arch support,cushioned footbed|for:beach vacations'),
    options: [shoeSize(), group('color', 'black,brown,white,beige,silver,rose gold', 2, 4)], price: [15, 80],
  },
  {
    id: 'rain-jacket', category: 'fashion', heldOut: true, head: 'rain jacket', names: ['rain jacket', 'raincoat'], plural: false,
    breadcrumb: `${CSJ} › Women › Clothing › Coats, Jackets & Vests › Raincoats`, queries: ['women rain jacket', 'waterproof jacket'],
    attributes: attrs('adj:waterproof,packable,windproof,lightweight|with:adjustable hood,zipper pockets|for:hiking'),
    options: [apparelSize(), apparelColor()], price: [30, 120],
  },
];
