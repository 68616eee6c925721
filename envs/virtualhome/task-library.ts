/**
 * The task library: one template per program title. A template sets the initial states the
 * task needs (the television off, the plate dirty…), places the task's objects, and returns the
 * description (which names every object needed, with the graph's class names written with
 * spaces), the recipe (what to do, by class name) and the intended bindings (which instance of
 * each class the gold program uses). The goal is derived afterwards from the gold run.
 */
import { spoken, type RoomClass } from './catalogue';
import type { Home, SceneBuilder } from './scene-builder';
import type { RecipeStep } from './task-types';

export interface BuiltTask {
  description: string;
  recipe: RecipeStep[];
  /** class_name → node id of the instances the task is about. */
  bindings: Record<string, number>;
}

export interface TaskTemplate {
  title: string;
  build(b: SceneBuilder): BuiltTask;
}

const on = (cls: string, w = 1): Home => [cls, 'ON', w];
const inside = (cls: string, w = 1): Home => [cls, 'INSIDE', w];

/** `the X` + ` in the <room>` when the description names the room. */
function where(b: SceneBuilder, id: number): string {
  return spoken(b.roomClassOf(id));
}

/** `on the <receptacle>` / `in the <receptacle>` of a placed item. */
function at(b: SceneBuilder, id: number): string {
  const p = b.placement.get(id);
  if (!p) throw new Error('virtualhome: item not placed');
  return `${p[1] === 'ON' ? 'on' : 'in'} the ${spoken(b.node(p[0]).class_name)}`;
}

/** `from the <receptacle>` of a placed item. */
function from(b: SceneBuilder, id: number): string {
  const p = b.placement.get(id);
  if (!p) throw new Error('virtualhome: item not placed');
  return `from the ${spoken(b.node(p[0]).class_name)}`;
}

function pick<T>(b: SceneBuilder, items: readonly T[]): T {
  return b.rng.pick(items);
}

/** Optionally starts the recipe in the room of `id`, mentioning it in the description. */
function maybeRoom(b: SceneBuilder, id: number, p = 0.5): { steps: RecipeStep[]; phrase: string; room: RoomClass | null; roomId: number } {
  if (!b.rng.chance(p)) return { steps: [], phrase: '', room: null, roomId: -1 };
  const room = b.roomClassOf(id);
  return { steps: [{ op: 'go', room }], phrase: `in the ${spoken(room)} `, room, roomId: b.roomIdOf(id) };
}

const DRINK: TaskTemplate = {
  title: 'Drink',
  build(b) {
    if (b.rng.chance(0.6)) {
      const g = pick(b, ['water_glass', 'cup', 'mug']);
      const id = b.place(g);
      const r = maybeRoom(b, id);
      const description = r.room
        ? `Go to the ${spoken(r.room)}, take the ${spoken(g)} and drink water from it`
        : pick(b, [`Take the ${spoken(g)} and drink water from it`, `Find the ${spoken(g)}, grab it and drink from it`]);
      const bindings: Record<string, number> = { [g]: id };
      if (r.room) bindings[r.room] = r.roomId;
      return { description, recipe: [...r.steps, { op: 'fetch', obj: g, keep: true }, { op: 'use', verb: 'drink', obj: g }], bindings };
    }
    const d = pick(b, ['milk', 'juice']);
    const g = pick(b, ['water_glass', 'cup', 'mug']);
    const did = b.place(d);
    const gid = b.place(g);
    return {
      description: `Take the ${spoken(d)} and the ${spoken(g)}, pour the ${spoken(d)} into the ${spoken(g)} and drink it`,
      recipe: [
        { op: 'fetch', obj: d },
        { op: 'fetch', obj: g, keep: true },
        { op: 'pour', obj: d, recep: g },
        { op: 'use', verb: 'drink', obj: g },
      ],
      bindings: { [d]: did, [g]: gid },
    };
  },
};

const WATCH_TV: TaskTemplate = {
  title: 'Watch TV',
  build(b) {
    const tv = b.pickFurniture('television');
    const couch = b.pickFurniture('couch');
    b.set(tv, 'OFF', b.rng.chance(0.35) ? 'PLUGGED_OUT' : 'PLUGGED_IN');
    const recipe: RecipeStep[] = [];
    const bindings: Record<string, number> = { television: tv, couch };
    let description = 'Switch on the television in the home office, sit on the couch and watch the television';
    if (b.rng.chance(0.4)) {
      bindings.remote_control = b.place('remote_control');
      recipe.push({ op: 'fetch', obj: 'remote_control', keep: true });
      description = 'Take the remote control, switch on the television, then sit on the couch and watch the television';
    } else if (b.rng.chance(0.5)) {
      recipe.push({ op: 'go', room: 'home_office' });
      bindings.home_office = b.apt.rooms.home_office[0] as number;
    }
    recipe.push({ op: 'switch', obj: 'television', to: 'on' }, { op: 'sit', obj: 'couch' }, { op: 'use', verb: 'watch', obj: 'television' });
    return { description, recipe, bindings };
  },
};

const TURN_ON_LIGHT: TaskTemplate = {
  title: 'Turn on light',
  build(b): BuiltTask {
    const variant = b.rng.int(3);
    if (variant === 0) {
      const room = pick(b, ['bathroom', 'bedroom', 'dining_room', 'home_office'] as RoomClass[]);
      const light = b.pickFurniture('light', room);
      b.set(light, 'OFF');
      const roomId = b.apt.roomOf.get(light) as number;
      return {
        description: `Go to the ${spoken(room)} and switch on the light`,
        recipe: [
          { op: 'go', room },
          { op: 'switch', obj: 'light', to: 'on' },
        ],
        bindings: { [room]: roomId, light },
      };
    }
    const lamp = b.pickFurniture('tablelamp');
    b.set(lamp, 'OFF', b.rng.chance(0.4) ? 'PLUGGED_OUT' : 'PLUGGED_IN');
    const roomId = b.apt.roomOf.get(lamp) as number;
    if (variant === 1) {
      return {
        description: 'Go to the bedroom and switch on the tablelamp on the nightstand',
        recipe: [
          { op: 'go', room: 'bedroom' },
          { op: 'switch', obj: 'tablelamp', to: 'on' },
        ],
        bindings: { bedroom: roomId, tablelamp: lamp },
      };
    }
    const light = b.furniture('light').find((id) => b.apt.roomOf.get(id) === roomId) as number;
    b.set(light, 'OFF');
    return {
      description: 'Switch on the light and the tablelamp in the bedroom',
      recipe: [
        { op: 'go', room: 'bedroom' },
        { op: 'switch', obj: 'light', to: 'on' },
        { op: 'switch', obj: 'tablelamp', to: 'on' },
      ],
      bindings: { bedroom: roomId, tablelamp: lamp, light },
    };
  },
};

const GO_TO_SLEEP: TaskTemplate = {
  title: 'Go to sleep',
  build(b) {
    const bed = b.pickFurniture('bed');
    const roomId = b.apt.roomOf.get(bed) as number;
    const light = b.furniture('light').find((id) => b.apt.roomOf.get(id) === roomId) as number;
    b.set(light, 'ON');
    return {
      description: 'Go to the bedroom, switch off the light, lie on the bed and sleep',
      recipe: [
        { op: 'go', room: 'bedroom' },
        { op: 'switch', obj: 'light', to: 'off' },
        { op: 'lie', obj: 'bed' },
        { op: 'use', verb: 'sleep' },
      ],
      bindings: { bedroom: roomId, light, bed },
    };
  },
};

const WASH_HANDS: TaskTemplate = {
  title: 'Wash hands',
  build(b) {
    const faucet = b.pickFurniture('faucet', 'bathroom');
    b.set(faucet, 'OFF');
    const soap = b.place('soap', undefined, 'bathroom');
    return {
      description: 'Go to the bathroom, switch on the faucet, take the soap and scrub your hands with the soap',
      recipe: [
        { op: 'go', room: 'bathroom' },
        { op: 'switch', obj: 'faucet', to: 'on' },
        { op: 'fetch', obj: 'soap' },
        { op: 'use', verb: 'scrub', obj: 'soap' },
      ],
      bindings: { bathroom: b.apt.roomOf.get(faucet) as number, faucet, soap },
    };
  },
};

const BRUSH_TEETH: TaskTemplate = {
  title: 'Brush teeth',
  build(b) {
    const brush = b.place('toothbrush');
    const paste = b.place('toothpaste');
    const counter = b.pickFurniture('bathroom_counter');
    return {
      description:
        'Take the toothbrush and the toothpaste in the bathroom, pour the toothpaste into the toothbrush, put the toothpaste on the bathroom counter and scrub your teeth with the toothbrush',
      recipe: [
        { op: 'go', room: 'bathroom' },
        { op: 'fetch', obj: 'toothbrush', keep: true },
        { op: 'fetch', obj: 'toothpaste' },
        { op: 'pour', obj: 'toothpaste', recep: 'toothbrush' },
        { op: 'put', obj: 'toothpaste', rel: 'on', recep: 'bathroom_counter' },
        { op: 'use', verb: 'scrub', obj: 'toothbrush' },
      ],
      bindings: { bathroom: b.apt.roomOf.get(counter) as number, toothbrush: brush, toothpaste: paste, bathroom_counter: counter },
    };
  },
};

const READ_BOOK: TaskTemplate = {
  title: 'Read book',
  build(b) {
    const r = pick(b, ['book', 'book', 'magazine', 'newspaper']);
    const rid = b.place(r);
    const seatCls = pick(b, ['couch', 'chair', 'bed']);
    let seat: number;
    let seatText: string;
    if (seatCls === 'chair') {
      seat = b.clusterMate(b.pickFurniture('desk', 'home_office'), 'chair');
      seatText = 'the chair at the desk in the home office';
    } else {
      seat = b.pickFurniture(seatCls);
      seatText = `the ${seatCls}`;
    }
    return {
      description: `Take the ${spoken(r)} ${from(b, rid)}, sit on ${seatText} and read the ${spoken(r)}`,
      recipe: [
        { op: 'fetch', obj: r, keep: true },
        { op: 'sit', obj: seatCls },
        { op: 'use', verb: 'read', obj: r },
      ],
      bindings: { [r]: rid, [seatCls]: seat },
    };
  },
};

const GROCERIES = ['milk', 'juice', 'apple', 'bananas', 'carrot', 'cupcake', 'wine'];
const SURFACES_IN_KITCHEN: Home[] = [on('kitchen_counter', 2), on('table', 1)];

const PUT_GROCERIES: TaskTemplate = {
  title: 'Put groceries in fridge',
  build(b) {
    const fridge = b.pickFurniture('fridge');
    const items = b.rng.sample(GROCERIES, b.rng.chance(0.4) ? 2 : 1);
    const ids = items.map((c) => b.place(c, SURFACES_IN_KITCHEN, 'dining_room'));
    const bindings: Record<string, number> = { fridge };
    items.forEach((c, i) => (bindings[c] = ids[i] as number));
    const recipe: RecipeStep[] = [];
    const r = maybeRoom(b, fridge);
    recipe.push(...r.steps);
    if (r.room) bindings[r.room] = r.roomId;
    for (const c of items) recipe.push({ op: 'fetch', obj: c }, { op: 'put', obj: c, rel: 'in', recep: 'fridge' });
    recipe.push({ op: 'close', obj: 'fridge' });
    const what =
      items.length === 1
        ? `the ${spoken(items[0] as string)} ${from(b, ids[0] as number)}`
        : `the ${spoken(items[0] as string)} and the ${spoken(items[1] as string)}`;
    return { description: `Take ${what} ${r.phrase}and put ${items.length === 1 ? 'it' : 'them'} in the fridge, then close the fridge`, recipe, bindings };
  },
};

const BROWSE_INTERNET: TaskTemplate = {
  title: 'Browse internet',
  build(b) {
    const desk = b.pickFurniture('desk', 'home_office');
    const computer = b.clusterMate(desk, 'computer');
    const chair = b.clusterMate(desk, 'chair');
    b.set(computer, 'OFF');
    return {
      description: 'Go to the home office, switch on the computer, sit on the chair at the desk, type on the keyboard and look at the cpuscreen',
      recipe: [
        { op: 'go', room: 'home_office' },
        { op: 'switch', obj: 'computer', to: 'on' },
        { op: 'sit', obj: 'chair' },
        { op: 'use', verb: 'type on', obj: 'keyboard' },
        { op: 'use', verb: 'look at', obj: 'cpuscreen' },
      ],
      bindings: {
        home_office: b.apt.rooms.home_office[0] as number,
        computer,
        chair,
        keyboard: b.clusterMate(desk, 'keyboard'),
        cpuscreen: b.clusterMate(desk, 'cpuscreen'),
      },
    };
  },
};

const WORK: TaskTemplate = {
  title: 'Work',
  build(b) {
    const desk = b.pickFurniture('desk', 'home_office');
    const computer = b.clusterMate(desk, 'computer');
    const chair = b.clusterMate(desk, 'chair');
    b.set(computer, 'OFF');
    const recipe: RecipeStep[] = [
      { op: 'switch', obj: 'computer', to: 'on' },
      { op: 'sit', obj: 'chair' },
      { op: 'use', verb: 'type on', obj: 'keyboard' },
    ];
    const bindings: Record<string, number> = { computer, chair, keyboard: b.clusterMate(desk, 'keyboard') };
    let description = 'Switch on the computer in the home office, sit on the chair at the desk and type on the keyboard';
    if (b.rng.chance(0.4)) {
      const paper = b.place(pick(b, ['book', 'newspaper']));
      const cls = b.node(paper).class_name;
      bindings[cls] = paper;
      recipe.unshift({ op: 'fetch', obj: cls, keep: true });
      description = `Take the ${spoken(cls)} with you, switch on the computer in the home office, sit on the chair at the desk and type on the keyboard`;
    }
    return { description, recipe, bindings };
  },
};

const LISTEN_TO_MUSIC: TaskTemplate = {
  title: 'Listen to music',
  build(b) {
    const radio = b.pickFurniture('radio');
    b.set(radio, 'OFF', b.rng.chance(0.4) ? 'PLUGGED_OUT' : 'PLUGGED_IN');
    const seatCls = pick(b, ['couch', 'couch', 'chair']);
    const seat = seatCls === 'couch' ? b.pickFurniture('couch') : b.clusterMate(b.pickFurniture('desk', 'home_office'), 'chair');
    const seatText = seatCls === 'couch' ? 'the couch' : 'the chair at the desk';
    return {
      description: `Switch on the radio in the ${where(b, radio)} and sit on ${seatText} to listen to music`,
      recipe: [
        { op: 'switch', obj: 'radio', to: 'on' },
        { op: 'sit', obj: seatCls },
      ],
      bindings: { radio, [seatCls]: seat },
    };
  },
};

const GO_TO_TOILET: TaskTemplate = {
  title: 'Go to toilet',
  build(b) {
    const toilet = b.pickFurniture('toilet');
    b.set(toilet, b.rng.chance(0.7) ? 'CLOSED' : 'OPEN');
    const recipe: RecipeStep[] = [
      { op: 'go', room: 'bathroom' },
      { op: 'open', obj: 'toilet' },
      { op: 'sit', obj: 'toilet' },
    ];
    const bindings: Record<string, number> = { bathroom: b.apt.roomOf.get(toilet) as number, toilet };
    let description = 'Go to the bathroom, open the toilet and sit on the toilet';
    if (b.rng.chance(0.5)) {
      bindings.toilet_paper = b.place('toilet_paper');
      recipe.splice(1, 0, { op: 'fetch', obj: 'toilet_paper', keep: true });
      description = 'Go to the bathroom, take the toilet paper, open the toilet and sit on the toilet';
    }
    return { description, recipe, bindings };
  },
};

const PICK_UP_PHONE: TaskTemplate = {
  title: 'Pick up phone',
  build(b) {
    const phone = b.place('phone');
    b.set(phone, 'OFF');
    return {
      description: `Pick up the phone ${from(b, phone)} in the ${where(b, phone)} and switch it on`,
      recipe: [
        { op: 'fetch', obj: 'phone', keep: true },
        { op: 'switch', obj: 'phone', to: 'on' },
      ],
      bindings: { phone },
    };
  },
};

const DIRTY_DISHES = ['plate', 'bowl', 'cup', 'mug', 'pot', 'water_glass'];
const DIRTY_SPOTS: Home[] = [inside('sink', 3), on('kitchen_counter', 2), on('table', 1)];

const WASH_DISHES: TaskTemplate = {
  title: 'Wash dishes',
  build(b) {
    const faucet = b.pickFurniture('faucet', 'dining_room');
    b.set(faucet, 'OFF');
    const d = pick(b, DIRTY_DISHES);
    const dish = b.place(d, DIRTY_SPOTS, 'dining_room');
    b.set(dish, 'DIRTY');
    const toCabinet = b.rng.chance(0.5);
    const dest = toCabinet ? b.pickFurniture('kitchen_cabinet') : b.pickFurniture('kitchen_counter');
    const destCls = toCabinet ? 'kitchen_cabinet' : 'kitchen_counter';
    return {
      description: `Switch on the faucet in the dining room, wash the dirty ${spoken(d)} and put it ${toCabinet ? 'in' : 'on'} the ${spoken(destCls)}`,
      recipe: [
        { op: 'go', room: 'dining_room' },
        { op: 'switch', obj: 'faucet', to: 'on' },
        { op: 'fetch', obj: d },
        { op: 'clean', verb: 'wash', obj: d },
        { op: 'put', obj: d, rel: toCabinet ? 'in' : 'on', recep: destCls },
      ],
      bindings: { dining_room: b.apt.roomOf.get(faucet) as number, faucet, [d]: dish, [destCls]: dest },
    };
  },
};

const MAKE_COFFEE: TaskTemplate = {
  title: 'Make coffee',
  build(b) {
    const maker = b.pickFurniture('coffe_maker');
    b.set(maker, 'OFF', b.rng.chance(0.35) ? 'PLUGGED_OUT' : 'PLUGGED_IN');
    const coffee = b.place('ground_coffee');
    const recipe: RecipeStep[] = [
      { op: 'fetch', obj: 'ground_coffee' },
      { op: 'put', obj: 'ground_coffee', rel: 'in', recep: 'coffe_maker' },
      { op: 'switch', obj: 'coffe_maker', to: 'on' },
    ];
    const bindings: Record<string, number> = { coffe_maker: maker, ground_coffee: coffee };
    let description = 'Put the ground coffee in the coffe maker and switch on the coffe maker';
    if (b.rng.chance(0.4)) {
      bindings.mug = b.place('mug');
      recipe.push({ op: 'fetch', obj: 'mug' }, { op: 'put', obj: 'mug', rel: 'on', recep: 'kitchen_counter' });
      bindings.kitchen_counter = b.clusterMate(maker, 'kitchen_counter');
      description += ', then put a mug on the kitchen counter next to it';
    }
    return { description, recipe, bindings };
  },
};

const RELAX_ON_SOFA: TaskTemplate = {
  title: 'Relax on sofa',
  build(b) {
    const couch = b.pickFurniture('couch');
    const pillow = b.place('pillow', [on('bed')]);
    return {
      description: 'Bring the pillow from the bed to the couch, put the pillow on the couch and lie on the couch',
      recipe: [
        { op: 'fetch', obj: 'pillow' },
        { op: 'put', obj: 'pillow', rel: 'on', recep: 'couch' },
        { op: 'lie', obj: 'couch' },
      ],
      bindings: { couch, pillow },
    };
  },
};

const CLOTHES = ['clothes_shirt', 'clothes_pants', 'clothes_jacket'];

const GET_DRESSED: TaskTemplate = {
  title: 'Get dressed',
  build(b) {
    const c = pick(b, CLOTHES);
    const id = b.place(c, [inside('dresser', 1), inside('closet', 1)]);
    const r = maybeRoom(b, id);
    const bindings: Record<string, number> = { [c]: id };
    if (r.room) bindings[r.room] = r.roomId;
    return {
      description: `Take the ${spoken(c)} ${from(b, id)} ${r.phrase}and put it on`,
      recipe: [...r.steps, { op: 'fetch', obj: c }, { op: 'wear', obj: c }],
      bindings,
    };
  },
};

const SNACKS = ['apple', 'bananas', 'chips', 'cupcake', 'cereal', 'bread_slice'];

const HAVE_SNACK: TaskTemplate = {
  title: 'Have snack',
  build(b) {
    const f = pick(b, SNACKS);
    const id = b.place(f);
    const table = b.pickFurniture('table', 'dining_room');
    const chair = b.clusterMate(table, 'chair');
    return {
      description: `Take the ${spoken(f)}, sit on a chair at the table in the dining room and eat the ${spoken(f)}`,
      recipe: [
        { op: 'fetch', obj: f, keep: true },
        { op: 'sit', obj: 'chair' },
        { op: 'use', verb: 'eat', obj: f },
      ],
      bindings: { [f]: id, chair },
    };
  },
};

const CUT_BREAD: TaskTemplate = {
  title: 'Cut bread',
  build(b) {
    const knife = b.place('knife');
    const f = pick(b, ['bread_slice', 'bread_slice', 'apple', 'carrot']);
    const food = b.place(f, f === 'bread_slice' ? [on('kitchen_counter', 2), on('table', 1)] : undefined);
    const sink = b.pickFurniture('sink', 'dining_room');
    return {
      description: `Take the knife, cut the ${spoken(f)} ${at(b, food)} with it and put the knife in the kitchen sink`,
      recipe: [
        { op: 'fetch', obj: 'knife' },
        { op: 'use', verb: 'cut', obj: f },
        { op: 'put', obj: 'knife', rel: 'in', recep: 'sink' },
      ],
      bindings: { knife, [f]: food, sink },
    };
  },
};

const WIPE_TABLE: TaskTemplate = {
  title: 'Wipe table',
  build(b) {
    const targetCls = pick(b, ['table', 'table', 'kitchen_counter', 'desk']);
    const target = b.pickFurniture(targetCls, targetCls === 'desk' ? 'home_office' : undefined);
    b.set(target, 'DIRTY');
    const tool = pick(b, ['rag', 'rag', 'sponge']);
    const tid = b.place(tool);
    return {
      description: `Take the ${tool} and wipe the dirty ${spoken(targetCls)} in the ${where(b, target)} with it`,
      recipe: [
        { op: 'fetch', obj: tool },
        { op: 'clean', verb: 'wipe', obj: targetCls },
      ],
      bindings: { [tool]: tid, [targetCls]: target },
    };
  },
};

const HEAT_FOOD: TaskTemplate = {
  title: 'Heat food',
  build(b) {
    const mw = b.pickFurniture('microwave');
    b.set(mw, 'OFF', b.rng.chance(0.3) ? 'PLUGGED_OUT' : 'PLUGGED_IN');
    const f = pick(b, ['cutlets', 'cutlets', 'bread_slice', 'cupcake']);
    const id = b.place(f, f === 'cutlets' ? undefined : [inside('fridge', 2), on('kitchen_counter', 1), on('table', 1)]);
    return {
      description: `Take the ${spoken(f)} ${from(b, id)}, put it in the microwave, close the microwave and switch it on`,
      recipe: [
        { op: 'fetch', obj: f },
        { op: 'put', obj: f, rel: 'in', recep: 'microwave' },
        { op: 'close', obj: 'microwave' },
        { op: 'switch', obj: 'microwave', to: 'on' },
      ],
      bindings: { [f]: id, microwave: mw },
    };
  },
};

const THROW_AWAY_TRASH: TaskTemplate = {
  title: 'Throw away trash',
  build(b) {
    const x = pick(b, ['newspaper', 'magazine', 'chips']);
    const id = b.place(x);
    const can = b.pickFurniture('garbage_can');
    b.set(can, b.rng.chance(0.6) ? 'CLOSED' : 'OPEN');
    return {
      description: `Take the ${spoken(x)} ${from(b, id)} and put it in the garbage can in the dining room`,
      recipe: [
        { op: 'fetch', obj: x },
        { op: 'put', obj: x, rel: 'in', recep: 'garbage_can' },
      ],
      bindings: { [x]: id, garbage_can: can },
    };
  },
};

const PUT_AWAY_CLOTHES: TaskTemplate = {
  title: 'Put away clothes',
  build(b) {
    const c = pick(b, CLOTHES);
    const id = b.place(c, [on('bed', 2), on('chair', 1), on('couch', 1)]);
    const destCls = b.furniture('closet').length > 0 && b.rng.chance(0.5) ? 'closet' : 'dresser';
    const dest = b.pickFurniture(destCls);
    return {
      description: `Take the ${spoken(c)} ${from(b, id)} and put it in the ${destCls} in the bedroom, then close the ${destCls}`,
      recipe: [
        { op: 'fetch', obj: c },
        { op: 'put', obj: c, rel: 'in', recep: destCls },
        { op: 'close', obj: destCls },
      ],
      bindings: { [c]: id, [destCls]: dest },
    };
  },
};

const SET_UP_TABLE: TaskTemplate = {
  title: 'Set up table',
  build(b) {
    const table = b.pickFurniture('table', 'dining_room');
    const second = pick(b, ['fork', 'spoon', 'knife', 'cup', 'water_glass']);
    const away = (cls: string): Home[] => [inside('kitchen_cabinet', 3), on('kitchen_counter', 2), ...(cls === 'plate' ? [inside('dishwasher', 1)] : [])];
    const plate = b.place('plate', away('plate'), 'dining_room');
    const other = b.place(second, away(second), 'dining_room');
    return {
      description: `Put a plate and a ${spoken(second)} on the table in the dining room`,
      recipe: [
        { op: 'fetch', obj: 'plate' },
        { op: 'put', obj: 'plate', rel: 'on', recep: 'table' },
        { op: 'fetch', obj: second },
        { op: 'put', obj: second, rel: 'on', recep: 'table' },
      ],
      bindings: { table, plate, [second]: other },
    };
  },
};

const TAKE_SHOWER: TaskTemplate = {
  title: 'Take shower',
  build(b) {
    const shower = b.pickFurniture('shower');
    b.set(shower, 'OFF');
    const towel = b.place('towel');
    return {
      description: 'Go to the bathroom, switch on the shower and take the towel',
      recipe: [
        { op: 'go', room: 'bathroom' },
        { op: 'switch', obj: 'shower', to: 'on' },
        { op: 'fetch', obj: 'towel', keep: true },
      ],
      bindings: { bathroom: b.apt.roomOf.get(shower) as number, shower, towel },
    };
  },
};

const TURN_OFF_TV: TaskTemplate = {
  title: 'Turn off TV',
  build(b) {
    const tv = b.pickFurniture('television');
    b.set(tv, 'ON', 'PLUGGED_IN');
    const recipe: RecipeStep[] = [
      { op: 'switch', obj: 'television', to: 'off' },
      { op: 'unplug', obj: 'television' },
    ];
    const bindings: Record<string, number> = { television: tv };
    let description = 'Switch off the television in the home office and plug it out';
    if (b.rng.chance(0.5)) {
      const light = b.pickFurniture('light', 'home_office');
      b.set(light, 'ON');
      bindings.light = light;
      recipe.push({ op: 'switch', obj: 'light', to: 'off' });
      description = 'Switch off the television in the home office, plug it out and switch off the light in the home office';
    }
    return { description, recipe, bindings };
  },
};

const LOAD_DISHWASHER: TaskTemplate = {
  title: 'Wash dishes with dishwasher',
  build(b) {
    const dw = b.pickFurniture('dishwasher');
    b.set(dw, 'OFF', b.rng.chance(0.25) ? 'PLUGGED_OUT' : 'PLUGGED_IN');
    const d = pick(b, ['plate', 'bowl', 'cup', 'mug']);
    const dish = b.place(d, DIRTY_SPOTS, 'dining_room');
    b.set(dish, 'DIRTY');
    return {
      description: `Take the dirty ${spoken(d)} ${from(b, dish)}, put it in the dishwasher, close the dishwasher and switch it on`,
      recipe: [
        { op: 'fetch', obj: d },
        { op: 'put', obj: d, rel: 'in', recep: 'dishwasher' },
        { op: 'close', obj: 'dishwasher' },
        { op: 'switch', obj: 'dishwasher', to: 'on' },
      ],
      bindings: { dishwasher: dw, [d]: dish },
    };
  },
};

/** All titles, in a fixed order (task index modulo this list picks the title). */
export const TASK_LIBRARY: readonly TaskTemplate[] = [
  DRINK,
  WATCH_TV,
  TURN_ON_LIGHT,
  GO_TO_SLEEP,
  WASH_HANDS,
  BRUSH_TEETH,
  READ_BOOK,
  PUT_GROCERIES,
  BROWSE_INTERNET,
  WORK,
  LISTEN_TO_MUSIC,
  GO_TO_TOILET,
  PICK_UP_PHONE,
  WASH_DISHES,
  MAKE_COFFEE,
  RELAX_ON_SOFA,
  GET_DRESSED,
  HAVE_SNACK,
  CUT_BREAD,
  WIPE_TABLE,
  HEAT_FOOD,
  THROW_AWAY_TRASH,
  PUT_AWAY_CLOTHES,
  SET_UP_TABLE,
  TAKE_SHOWER,
  TURN_OFF_TV,
  LOAD_DISHWASHER,
];

export const TASK_TITLES: readonly string[] = TASK_LIBRARY.map((t) => t.title);
