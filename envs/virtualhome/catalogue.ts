/**
 * The class inventory: every class an apartment may contain, with VirtualHome's category and
 * properties (after `resources/properties_data.json` upstream) and which state pairs it carries.
 * Class names are the graph's `class_name`s, which the agent must type exactly (spaces allowed
 * for underscores): `television`, not `tv`; `coffe_maker` (sic, as in the TrimmedTestScenes).
 */

export const PROPERTIES = [
  'GRABBABLE',
  'CAN_OPEN',
  'HAS_SWITCH',
  'HAS_PLUG',
  'SURFACES',
  'CONTAINERS',
  'RECIPIENT',
  'DRINKABLE',
  'POURABLE',
  'EATABLE',
  'CUTTABLE',
  'SITTABLE',
  'LIEABLE',
  'LOOKABLE',
  'READABLE',
  'CLOTHES',
  'MOVABLE',
  'CUTTING',
] as const;
export type Property = (typeof PROPERTIES)[number];

/**
 * Node states, in the stable order observations print them (the original prints a Python set,
 * i.e. an arbitrary order; we fix this one).
 */
export const STATES = ['CLOSED', 'OPEN', 'ON', 'OFF', 'PLUGGED_IN', 'PLUGGED_OUT', 'CLEAN', 'DIRTY', 'SITTING', 'LYING'] as const;
export type StateName = (typeof STATES)[number];

export type Category =
  | 'Characters'
  | 'Rooms'
  | 'Doors'
  | 'Floor'
  | 'Walls'
  | 'Furniture'
  | 'Appliances'
  | 'Electronics'
  | 'Lamps'
  | 'Decor'
  | 'Props'
  | 'Food'
  | 'Kitchenware'
  | 'Clothes';

/** Which mutually exclusive state pairs a class carries. */
export interface StatePairs {
  /** CLOSED / OPEN (CAN_OPEN). */
  open?: boolean;
  /** ON / OFF (HAS_SWITCH). */
  switch?: boolean;
  /** PLUGGED_IN / PLUGGED_OUT (HAS_PLUG). */
  plug?: boolean;
  /** CLEAN / DIRTY. */
  dirt?: boolean;
}

export interface ClassInfo {
  category: Category;
  properties: Property[];
  pairs: StatePairs;
}

/** Property lists are frozen: task graphs share them (tasks are immutable data). */
const P = (category: Category, properties: Property[], pairs: StatePairs = {}): ClassInfo => ({ category, properties: Object.freeze(properties) as Property[], pairs });

const ROOM = P('Rooms', []);
const APPLIANCE_OPEN = (extra: Property[] = []) => P('Appliances', ['CAN_OPEN', 'CONTAINERS', ...extra], { open: true });
const DISH = (extra: Property[] = []) => P('Kitchenware', ['GRABBABLE', 'MOVABLE', 'RECIPIENT', ...extra], { dirt: true });
const FOOD = (extra: Property[] = []) => P('Food', ['GRABBABLE', 'MOVABLE', 'EATABLE', ...extra]);

export const CATALOGUE: Record<string, ClassInfo> = {
  character: P('Characters', []),
  // Rooms (the kitchen is `dining_room`, the living room `home_office`, as in the TrimmedTestScenes).
  bathroom: ROOM,
  bedroom: ROOM,
  dining_room: ROOM,
  home_office: ROOM,
  // Structure.
  door: P('Doors', ['CAN_OPEN'], { open: true }),
  doorjamb: P('Doors', []),
  floor: P('Floor', ['SURFACES']),
  wall: P('Walls', []),
  // Lamps and switches.
  light: P('Electronics', ['HAS_SWITCH'], { switch: true }),
  ceilinglamp: P('Lamps', []),
  walllamp: P('Lamps', []),
  tablelamp: P('Lamps', ['HAS_SWITCH', 'HAS_PLUG'], { switch: true, plug: true }),
  powersocket: P('Electronics', []),
  // Furniture.
  bathroom_cabinet: P('Furniture', ['CAN_OPEN', 'CONTAINERS'], { open: true }),
  bathroom_counter: P('Furniture', ['SURFACES'], { dirt: true }),
  bed: P('Furniture', ['LIEABLE', 'SITTABLE', 'SURFACES']),
  bench: P('Furniture', ['SITTABLE', 'SURFACES', 'MOVABLE']),
  bookshelf: P('Furniture', ['CONTAINERS', 'SURFACES']),
  chair: P('Furniture', ['SITTABLE', 'SURFACES', 'MOVABLE']),
  closet: P('Furniture', ['CAN_OPEN', 'CONTAINERS'], { open: true }),
  couch: P('Furniture', ['LIEABLE', 'SITTABLE', 'SURFACES', 'MOVABLE']),
  desk: P('Furniture', ['CAN_OPEN', 'CONTAINERS', 'SURFACES', 'MOVABLE'], { open: true, dirt: true }),
  dresser: P('Furniture', ['CAN_OPEN', 'CONTAINERS'], { open: true }),
  filing_cabinet: P('Furniture', ['CAN_OPEN', 'CONTAINERS'], { open: true }),
  garbage_can: P('Furniture', ['CAN_OPEN', 'CONTAINERS', 'MOVABLE'], { open: true }),
  kitchen_cabinet: P('Furniture', ['CAN_OPEN', 'CONTAINERS'], { open: true }),
  kitchen_counter: P('Furniture', ['SURFACES'], { dirt: true }),
  nightstand: P('Furniture', ['CAN_OPEN', 'CONTAINERS', 'SURFACES'], { open: true }),
  shower: P('Furniture', ['HAS_SWITCH'], { switch: true }),
  sink: P('Furniture', ['CONTAINERS', 'RECIPIENT']),
  faucet: P('Furniture', ['HAS_SWITCH'], { switch: true }),
  table: P('Furniture', ['SURFACES', 'MOVABLE'], { dirt: true }),
  toilet: P('Furniture', ['SITTABLE', 'CAN_OPEN', 'CONTAINERS'], { open: true }),
  towel_rack: P('Furniture', ['SURFACES']),
  tvstand: P('Furniture', ['SURFACES']),
  // Appliances.
  coffe_maker: P('Appliances', ['CONTAINERS', 'RECIPIENT', 'HAS_SWITCH', 'HAS_PLUG'], { switch: true, plug: true }),
  dishwasher: APPLIANCE_OPEN(['HAS_SWITCH', 'HAS_PLUG']),
  freezer: APPLIANCE_OPEN(['HAS_PLUG']),
  fridge: APPLIANCE_OPEN(['HAS_PLUG']),
  microwave: APPLIANCE_OPEN(['HAS_SWITCH', 'HAS_PLUG']),
  oven: APPLIANCE_OPEN(['HAS_SWITCH']),
  stove: P('Appliances', ['HAS_SWITCH', 'SURFACES'], { switch: true }),
  stovefan: P('Appliances', ['HAS_SWITCH'], { switch: true }),
  toaster: P('Appliances', ['CONTAINERS', 'HAS_SWITCH', 'HAS_PLUG'], { switch: true, plug: true }),
  // Electronics.
  computer: P('Electronics', ['HAS_SWITCH', 'LOOKABLE'], { switch: true }),
  cpuscreen: P('Electronics', ['LOOKABLE']),
  keyboard: P('Electronics', ['MOVABLE']),
  mouse: P('Electronics', ['MOVABLE']),
  mousepad: P('Props', ['SURFACES']),
  phone: P('Electronics', ['GRABBABLE', 'MOVABLE', 'HAS_SWITCH', 'LOOKABLE'], { switch: true }),
  radio: P('Electronics', ['HAS_SWITCH', 'HAS_PLUG', 'MOVABLE'], { switch: true, plug: true }),
  remote_control: P('Electronics', ['GRABBABLE', 'MOVABLE']),
  television: P('Electronics', ['HAS_SWITCH', 'HAS_PLUG', 'LOOKABLE'], { switch: true, plug: true }),
  // Decor.
  curtain: P('Decor', ['CAN_OPEN', 'MOVABLE'], { open: true }),
  drawing: P('Decor', ['LOOKABLE']),
  mat: P('Decor', ['SURFACES', 'MOVABLE']),
  orchid: P('Decor', ['GRABBABLE', 'MOVABLE']),
  photoframe: P('Decor', ['GRABBABLE', 'MOVABLE', 'LOOKABLE']),
  pillow: P('Props', ['GRABBABLE', 'MOVABLE']),
  tray: P('Props', ['GRABBABLE', 'MOVABLE', 'SURFACES']),
  // Kitchenware.
  water_glass: DISH(),
  cup: DISH(),
  mug: DISH(),
  plate: DISH(['SURFACES']),
  bowl: DISH(),
  pot: DISH(),
  frying_pan: DISH(),
  fork: P('Kitchenware', ['GRABBABLE', 'MOVABLE'], { dirt: true }),
  spoon: P('Kitchenware', ['GRABBABLE', 'MOVABLE'], { dirt: true }),
  knife: P('Kitchenware', ['GRABBABLE', 'MOVABLE', 'CUTTING'], { dirt: true }),
  // Drinks.
  milk: P('Food', ['GRABBABLE', 'MOVABLE', 'DRINKABLE', 'POURABLE']),
  juice: P('Food', ['GRABBABLE', 'MOVABLE', 'DRINKABLE', 'POURABLE']),
  wine: P('Food', ['GRABBABLE', 'MOVABLE', 'DRINKABLE', 'POURABLE']),
  ground_coffee: P('Food', ['GRABBABLE', 'MOVABLE', 'POURABLE']),
  // Food.
  apple: FOOD(['CUTTABLE']),
  bananas: FOOD(['CUTTABLE']),
  bread_slice: FOOD(['CUTTABLE']),
  carrot: FOOD(['CUTTABLE']),
  cereal: FOOD(),
  chips: FOOD(),
  cupcake: FOOD(),
  cutlets: FOOD(['CUTTABLE']),
  // Readables.
  book: P('Props', ['GRABBABLE', 'MOVABLE', 'READABLE']),
  magazine: P('Props', ['GRABBABLE', 'MOVABLE', 'READABLE']),
  newspaper: P('Props', ['GRABBABLE', 'MOVABLE', 'READABLE']),
  // Bathroom props.
  toothbrush: P('Props', ['GRABBABLE', 'MOVABLE', 'RECIPIENT']),
  toothpaste: P('Props', ['GRABBABLE', 'MOVABLE', 'POURABLE']),
  soap: P('Props', ['GRABBABLE', 'MOVABLE']),
  towel: P('Props', ['GRABBABLE', 'MOVABLE']),
  toilet_paper: P('Props', ['GRABBABLE', 'MOVABLE']),
  // Cleaning.
  rag: P('Props', ['GRABBABLE', 'MOVABLE']),
  sponge: P('Props', ['GRABBABLE', 'MOVABLE']),
  dishwashing_liquid: P('Props', ['GRABBABLE', 'MOVABLE', 'POURABLE']),
  // Clothes.
  clothes_shirt: P('Clothes', ['GRABBABLE', 'MOVABLE', 'CLOTHES']),
  clothes_pants: P('Clothes', ['GRABBABLE', 'MOVABLE', 'CLOTHES']),
  clothes_jacket: P('Clothes', ['GRABBABLE', 'MOVABLE', 'CLOTHES']),
};

export function classInfo(className: string): ClassInfo {
  const info = CATALOGUE[className];
  if (!info) throw new Error(`virtualhome: unknown class "${className}"`);
  return info;
}

/** The room classes. */
export const ROOM_CLASSES = ['bathroom', 'bedroom', 'dining_room', 'home_office'] as const;
export type RoomClass = (typeof ROOM_CLASSES)[number];

/** A class name as an agent (or a description) writes it: underscores become spaces. */
export function spoken(className: string): string {
  return className.split('_').join(' ');
}
