import { attrs, codedColors, COLORS_GADGET, group, styledGroup, type TypeSpec } from './schema';

const EL = 'Electronics';
const CPA = 'Computers & Accessories';
const gadgetColor = (min = 2, max = 4) => styledGroup('color', [COLORS_GADGET, codedColors(COLORS_GADGET)], min, max);

export const ELECTRONICS_TYPES: TypeSpec[] = [
  {
    id: 'wireless-earbuds', category: 'electronics', heldOut: false, head: 'wireless earbuds', names: ['wireless earbuds', 'bluetooth earbuds'], plural: true,
    breadcrumb: `${EL} › Headphones, Earbuds & Accessories › Headphones & Earbuds › Earbud Headphones`, queries: ['wireless earbuds', 'bluetooth earbuds'],
    attributes: attrs('adj:noise cancelling,waterproof,bluetooth 5.3|with:charging case,touch control,built in microphone|for:sports'),
    options: [gadgetColor()], price: [15, 180],
  },
  {
    id: 'over-ear-headphones', category: 'electronics', heldOut: false, head: 'over ear headphones', names: ['over ear headphones', 'over-ear headphones'], plural: true,
    breadcrumb: `${EL} › Headphones, Earbuds & Accessories › Headphones & Earbuds › Over-Ear Headphones`, queries: ['over ear headphones', 'noise cancelling headphones'],
    attributes: attrs('adj:noise cancelling,foldable,hi res audio|with:built in microphone,long battery life,soft ear cushions|for:home office'),
    options: [gadgetColor()], price: [20, 300],
  },
  {
    id: 'phone-case', category: 'electronics', heldOut: false, head: 'phone case', names: ['phone case', 'cell phone case'], plural: false,
    breadcrumb: 'Cell Phones & Accessories › Cases, Holsters & Sleeves › Basic Cases', queries: ['phone case', 'shockproof phone case'],
    attributes: attrs('adj:shockproof,ultra slim,anti scratch|with:kickstand,card holder,screen protector|for:wireless charging'),
    options: [group('size', 'iphone 13,iphone 14,iphone 15 pro,galaxy s23,pixel 8', 2, 4), gadgetColor(2, 4)], price: [6, 40],
  },
  {
    id: 'wall-charger', category: 'electronics', heldOut: false, head: 'wall charger', names: ['wall charger', 'charging block'], plural: false,
    breadcrumb: `${EL} › ${CPA} › Chargers & Adapters › Wall Chargers`, queries: ['usb c wall charger', 'fast charger'],
    attributes: attrs('adj:fast charging,foldable,compact|with:type c port,overheat protection,led indicator|for:multiple devices'),
    options: [group('style', '20w,30w,45w,65w', 2, 3), group('color', 'white,black', 1, 2)], price: [8, 50],
  },
  {
    id: 'bluetooth-speaker', category: 'electronics', heldOut: false, head: 'bluetooth speaker', names: ['bluetooth speaker', 'portable speaker'], plural: false,
    breadcrumb: `${EL} › Portable Audio & Video › Portable Speakers & Docks › Portable Bluetooth Speakers`, queries: ['bluetooth speaker', 'portable speaker'],
    attributes: attrs('adj:waterproof,portable,loud|with:deep bass,long battery life,built in microphone|for:outdoor parties'),
    options: [gadgetColor()], price: [18, 200],
  },
  {
    id: 'fitness-tracker', category: 'electronics', heldOut: false, head: 'fitness tracker', names: ['fitness tracker', 'activity tracker'], plural: false,
    breadcrumb: `${EL} › Wearable Technology › Activity & Fitness Trackers`, queries: ['fitness tracker', 'fitness tracker for women'],
    attributes: attrs('adj:waterproof,lightweight|with:heart rate monitor,sleep tracking,step counter,long battery life|for:swimming'),
    options: [group('color', 'black,pink,navy,purple,teal,grey', 2, 4)], price: [20, 150],
  },
  {
    id: 'hdmi-cable', category: 'electronics', heldOut: false, head: 'hdmi cable', names: ['hdmi cable', 'hdmi cord'], plural: false,
    breadcrumb: `${EL} › ${CPA} › Cables & Interconnects › HDMI Cables`, queries: ['hdmi cable', '4k hdmi cable'],
    attributes: attrs('adj:high speed,braided,gold plated,4k|with:ethernet support|for:gaming consoles'),
    options: [group('size', '3 feet,6 feet,10 feet,15 feet', 2, 4), group('color', 'black,grey,white', 1, 2)], price: [5, 30],
  },
  {
    id: 'wireless-mouse', category: 'electronics', heldOut: false, head: 'wireless mouse', names: ['wireless mouse', 'cordless mouse'], plural: false,
    breadcrumb: `${EL} › ${CPA} › Computer Accessories & Peripherals › Keyboards, Mice & Accessories › Mice`, queries: ['wireless mouse', 'ergonomic mouse'],
    attributes: attrs('adj:ergonomic,rechargeable,silent click|with:usb receiver,adjustable dpi,side buttons|for:home office'),
    options: [gadgetColor()], price: [9, 80],
  },
  {
    id: 'mechanical-keyboard', category: 'electronics', heldOut: false, head: 'mechanical keyboard', names: ['mechanical keyboard', 'gaming keyboard'], plural: false,
    breadcrumb: `${EL} › ${CPA} › Computer Accessories & Peripherals › Keyboards, Mice & Accessories › Keyboards`, queries: ['mechanical keyboard', 'gaming keyboard'],
    attributes: attrs('adj:rgb backlit,hot swappable,compact|with:detachable cable,wrist rest|for:pc gaming'),
    options: [group('style', 'blue switch,red switch,brown switch', 2, 3), group('color', 'black,white,pink,grey', 1, 3)], price: [25, 160],
  },
  {
    id: 'power-bank', category: 'electronics', heldOut: true, head: 'power bank', names: ['power bank', 'portable charger'], plural: false,
    breadcrumb: 'Cell Phones & Accessories › Chargers & Power Adapters › Portable Power Banks', queries: ['power bank', 'portable charger'],
    attributes: attrs('adj:fast charging,ultra slim|with:led display,type c port,built in cables|for:camping'),
    options: [group('capacity', '10000mah,20000mah,26800mah', 2, 3), group('color', 'black,white,blue,pink', 1, 3)], price: [15, 90],
  },
  {
    id: 'webcam', category: 'electronics', heldOut: true, head: 'webcam', names: ['webcam', 'web camera'], plural: false,
    breadcrumb: `${EL} › ${CPA} › Computer Accessories & Peripherals › Webcams`, queries: ['webcam', '1080p webcam'],
    attributes: attrs('adj:full hd 1080p,plug and play|with:built in microphone,privacy cover,auto focus,wide angle lens|for:video calls'),
    options: [group('color', 'black,white', 1, 2)], price: [18, 120],
  },
  {
    id: 'memory-card', category: 'electronics', heldOut: true, head: 'memory card', names: ['memory card', 'micro sd card'], plural: false,
    breadcrumb: `${EL} › ${CPA} › Computer Accessories & Peripherals › Memory Cards › Micro SD Cards`, queries: ['micro sd card', 'memory card'],
    attributes: attrs('adj:high speed,waterproof|with:sd adapter,lifetime warranty|for:dash cams,nintendo switch'),
    options: [group('capacity', '32gb,64gb,128gb,256gb,512gb', 2, 4)], price: [6, 80],
  },
];
