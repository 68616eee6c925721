import { attrs, codedColors, COLORS_WOOD, group, styledGroup, type TypeSpec } from './schema';

const HK = 'Home & Kitchen';
const FURN = `${HK} › Furniture`;
const woodColor = (min = 2, max = 4) => styledGroup('color', [COLORS_WOOD, codedColors(COLORS_WOOD)], min, max);

export const FURNITURE_TYPES: TypeSpec[] = [
  {
    id: 'coffee-table', category: 'furniture', heldOut: false, head: 'coffee table', names: ['coffee table', 'center table'], plural: false,
    breadcrumb: `${FURN} › Living Room Furniture › Tables › Coffee Tables`, queries: ['coffee table', 'wood coffee table'],
    attributes: attrs('adj:mid century,rustic,lift top|with:storage shelf,solid wood legs,hidden compartment|for:living room,small spaces'),
    options: [woodColor()], price: [45, 350],
  },
  {
    id: 'office-chair', category: 'furniture', heldOut: false, head: 'office chair', names: ['office chair', 'desk chair'], plural: false,
    breadcrumb: `${FURN} › Home Office Furniture › Home Office Chairs › Home Office Desk Chairs`, queries: ['office chair', 'ergonomic office chair'],
    attributes: attrs('adj:ergonomic,high back,swivel|with:lumbar support,padded armrests,headrest|for:home office'),
    options: [group('color', 'black,grey,white,blue,pink', 2, 4)], price: [60, 400],
  },
  {
    id: 'bookcase', category: 'furniture', heldOut: false, head: 'bookcase', names: ['bookcase', 'bookshelf'], plural: false,
    breadcrumb: `${FURN} › Living Room Furniture › Bookcases`, queries: ['bookcase', 'industrial bookshelf'],
    attributes: attrs('adj:industrial,freestanding|with:metal frame,adjustable shelves,anti tip kit|for:bedroom'),
    options: [group('size', '3-tier,4-tier,5-tier', 2, 3), woodColor(2, 4)], price: [40, 260],
  },
  {
    id: 'tv-stand', category: 'furniture', heldOut: false, head: 'tv stand', names: ['tv stand', 'entertainment center'], plural: false,
    breadcrumb: `${FURN} › Living Room Furniture › TV & Media Furniture › Television Stands & Entertainment Centers`, queries: ['tv stand', 'farmhouse tv stand'],
    attributes: attrs('adj:farmhouse,modern|with:storage cabinets,cable management,led lights|for:living room'),
    options: [group('size', '55 inch,65 inch,75 inch', 2, 3), woodColor(2, 4)], price: [70, 450],
  },
  {
    id: 'bed-frame', category: 'furniture', heldOut: false, head: 'bed frame', names: ['bed frame', 'platform bed frame'], plural: false,
    breadcrumb: `${FURN} › Bedroom Furniture › Beds, Frames & Bases › Beds`, queries: ['platform bed frame', 'queen bed frame'],
    attributes: attrs('adj:heavy duty,upholstered,noise free|with:wood slats,headboard,under bed storage|for:kids room'),
    options: [group('size', 'twin,full,queen,king', 2, 4), group('color', 'black,grey,white,beige,dark grey', 1, 3)], price: [80, 600],
  },
  {
    id: 'nightstand', category: 'furniture', heldOut: false, head: 'nightstand', names: ['nightstand', 'bedside table'], plural: false,
    breadcrumb: `${FURN} › Bedroom Furniture › Nightstands`, queries: ['nightstand', 'nightstand with charging station'],
    attributes: attrs('adj:mid century,floating|with:charging station,two drawers,open shelf|for:bedroom,small spaces'),
    options: [woodColor()], price: [30, 220],
  },
  {
    id: 'dining-chairs', category: 'furniture', heldOut: false, head: 'dining chairs', names: ['dining chairs', 'kitchen chairs'], plural: true,
    breadcrumb: `${FURN} › Kitchen & Dining Room Furniture › Chairs`, queries: ['dining chairs set', 'upholstered dining chairs'],
    attributes: attrs('adj:upholstered,mid century,armless|with:solid wood legs,padded seat|for:dining room'),
    options: [group('color', 'grey,beige,black,green velvet,cream', 2, 4), group('item package quantity', 'set of 2,set of 4,set of 6', 2, 3)], price: [60, 400],
  },
  {
    id: 'bar-stools', category: 'furniture', heldOut: false, head: 'bar stools', names: ['bar stools', 'counter stools'], plural: true,
    breadcrumb: `${FURN} › Kitchen & Dining Room Furniture › Bar Stools`, queries: ['bar stools', 'counter height bar stools'],
    attributes: attrs('adj:counter height,swivel,height adjustable|with:footrest,backrest|for:kitchen island'),
    options: [group('color', 'black,grey,white,brown,navy blue', 2, 4), group('item package quantity', 'set of 2,set of 4', 1, 2)], price: [50, 300],
  },
  {
    id: 'shoe-rack', category: 'furniture', heldOut: false, head: 'shoe rack', names: ['shoe rack', 'shoe organizer'], plural: false,
    breadcrumb: `${HK} › Storage & Organization › Clothing & Closet Storage › Shoe Organizers › Free Standing Shoe Racks`, queries: ['shoe rack', 'shoe rack for entryway'],
    attributes: attrs('adj:stackable,space saving|with:fabric cover,side hooks|for:entryway,closet'),
    options: [group('size', '3-tier,4-tier,5-tier', 2, 3), group('color', 'black,white,bronze', 1, 3)], price: [15, 90],
  },
  {
    id: 'floor-lamp', category: 'furniture', heldOut: true, head: 'floor lamp', names: ['floor lamp', 'standing lamp'], plural: false,
    breadcrumb: `${HK} › Lighting & Ceiling Fans › Lamps & Shades › Floor Lamps`, queries: ['floor lamp', 'led floor lamp'],
    attributes: attrs('adj:dimmable,modern|with:remote control,reading light,led bulb|for:living room,bedroom'),
    options: [group('color', 'black,white,gold,bronze,silver', 2, 4)], price: [30, 200],
  },
  {
    id: 'loveseat', category: 'furniture', heldOut: true, head: 'loveseat', names: ['loveseat', 'small sofa'], plural: false,
    breadcrumb: `${FURN} › Living Room Furniture › Sofas & Couches`, queries: ['loveseat', 'small couch'],
    attributes: attrs('adj:mid century,convertible,tufted|with:removable cushions,wooden legs|for:small spaces'),
    options: [group('color', 'grey,beige,navy blue,dark green,cream', 2, 4)], price: [150, 700],
  },
  {
    id: 'standing-desk', category: 'furniture', heldOut: true, head: 'standing desk', names: ['standing desk', 'sit stand desk'], plural: false,
    breadcrumb: `${FURN} › Home Office Furniture › Home Office Desks`, queries: ['standing desk', 'electric standing desk'],
    attributes: attrs('adj:electric,heavy duty|with:memory presets,cable tray,dual motor|for:home office'),
    options: [group('size', '40 x 24 inches,48 x 24 inches,55 x 28 inches', 2, 3), group('color', 'black,white,walnut,maple', 2, 3)], price: [120, 600],
  },
];
