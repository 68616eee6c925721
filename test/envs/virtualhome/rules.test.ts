/**
 * Preconditions and effects of the verbs, the binder's priority order, and the goal check /
 * progress, on the hand-made fixture apartment.
 */
import { describe, expect, it } from 'vitest';
import { VirtualhomeEnv } from '../../../envs/virtualhome';
import { compileScene } from '../../../envs/virtualhome/scene';
import { World } from '../../../envs/virtualhome/world';
import { fixtureGraph, fixtureTask, ID } from './fixture';

const NOTHING = 'Observation: Nothing happens.';
const turn = (action: string) => `Thought: x\nAction: ${action}`;
const NEVER = { events: [{ verb: 'sleep', id: ID.character, class_name: 'character' }] };

function envOn(goal: Parameters<typeof fixtureTask>[0] = NEVER, opts: Parameters<typeof fixtureTask>[1] = {}): VirtualhomeEnv {
  const env = new VirtualhomeEnv();
  env.reset({ task: fixtureTask(goal, opts) });
  return env;
}

/** Plays actions; returns whether each was valid. */
function valid(env: VirtualhomeEnv, actions: string[]): boolean[] {
  return actions.map((a) => env.step(turn(a)).info.valid);
}

describe('virtualhome rules', () => {
  it('needs exact class names (no equivalences: kitchen, tv, sofa fail)', () => {
    const env = envOn();
    expect(valid(env, ['walk to kitchen', 'walk to tv', 'walk to sofa', 'walk to dining room', 'walk to television', 'walk to couch'])).toEqual([false, false, false, true, true, true]);
  });

  it('blocks walking through a closed door, allows walking to that door, and opening it frees the way', () => {
    const env = envOn(NEVER, { bindings: { door: ID.doorOfficeBath } });
    expect(env.step(turn('walk to toilet')).observation).toBe(NOTHING);
    expect(env.step(turn('walk to bathroom')).observation).toBe(NOTHING);
    expect(env.step(turn('walk to door')).observation).toBe('Observation: door is CLOSED. ');
    expect(env.step(turn('open door')).observation).toBe('Observation: door is OPEN. ');
    expect(env.step(turn('walk to bathroom')).observation).toBe('Observation: ');
    expect(env.step(turn('walk to toilet')).observation).toBe('Observation: toilet is CLOSED. ');
  });

  it('grab: needs closeness, an open container, a free hand; two hands at most', () => {
    const env = envOn();
    expect(valid(env, ['grab milk', 'walk to milk', 'grab milk', 'open fridge', 'grab milk', 'grab milk'])).toEqual([false, true, false, true, true, false]);
    expect(valid(env, ['walk to juice', 'grab juice', 'walk to water glass', 'grab water glass', 'open kitchen cabinet'])).toEqual([true, true, true, false, false]);
    expect(valid(env, ['grab table', 'grab couch'])).toEqual([false, false]);
  });

  it('open / close: CAN_OPEN, close, a free hand to open, and the right current state', () => {
    const env = envOn();
    expect(valid(env, ['open fridge', 'walk to fridge', 'close fridge', 'open fridge', 'open fridge', 'close fridge', 'open table'])).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('put X on/in Y: X held, Y close, Y open when it can open', () => {
    const env = envOn();
    expect(valid(env, ['walk to bread slice', 'put bread slice on table', 'grab bread slice', 'put bread slice on table', 'walk to fridge', 'put bread slice in fridge'])).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(valid(env, ['open fridge', 'put bread slice in fridge', 'put bread slice in fridge'])).toEqual([true, true, false]);
    expect(valid(env, ['grab bread slice', 'put bread slice on bread slice', 'put bread slice on fridge'])).toEqual([true, false, true]);
  });

  it('switch on needs power: plug in first; plugging out switches off', () => {
    const env = envOn();
    expect(valid(env, ['switch on television', 'walk to television', 'switch on television', 'switch off television', 'plug in television', 'switch on television', 'switch on television'])).toEqual([
      false,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(env.step(turn('plug out television')).observation).toBe('Observation: tvstand, television is OFF and PLUGGED_OUT, television ON tvstand. ');
  });

  it('sitting: no walking while seated, stand up once, watch needs facing the screen', () => {
    const env = envOn();
    expect(valid(env, ['sit on couch', 'walk to couch', 'sit on couch', 'sit on couch', 'walk to television', 'watch television', 'turn to television', 'watch television', 'look at television', 'stand up', 'stand up'])).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(valid(env, ['lie on couch', 'sleep', 'wake up', 'stand up', 'sleep'])).toEqual([true, true, true, true, false]);
    expect(valid(env, ['walk to chair', 'lie on chair', 'sit on chair'])).toEqual([true, false, true]);
  });

  it('cleaning: wipe needs something in hand; wash/rinse/scrub need closeness; DIRTY becomes CLEAN', () => {
    const env = envOn();
    expect(env.step(turn('walk to kitchen counter')).observation).toBe(
      'Observation: kitchen_counter is DIRTY, knife is CLEAN, bread_slice, knife ON kitchen_counter, bread_slice ON kitchen_counter. ',
    );
    expect(valid(env, ['wipe kitchen counter', 'grab knife', 'wipe knife'])).toEqual([false, true, false]);
    expect(env.step(turn('wipe kitchen counter')).observation).toBe(
      'Observation: character, kitchen_counter is CLEAN, knife is CLEAN, bread_slice, bread_slice ON kitchen_counter. You have knife. ',
    );
    expect(valid(env, ['wash plate', 'walk to plate', 'open kitchen cabinet', 'wash plate'])).toEqual([false, true, true, true]);
    expect(env.step(turn('walk to plate')).observation).toBe('Observation: character, kitchen_cabinet is OPEN, knife is CLEAN, plate is CLEAN. You have knife. ');
  });

  it('cut needs a knife in hand; eat needs closeness; drink needs the glass in hand; pour needs a recipient', () => {
    const env = envOn();
    expect(valid(env, ['walk to bread slice', 'cut bread slice', 'eat bread slice', 'walk to knife', 'grab knife', 'walk to bread slice', 'cut bread slice'])).toEqual([
      true,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(valid(env, ['walk to water glass', 'drink water glass', 'grab water glass', 'drink water glass', 'walk to juice', 'pour water glass into juice'])).toEqual([
      true,
      false,
      true,
      true,
      true,
      false,
    ]);
    const env2 = envOn();
    expect(valid(env2, ['walk to juice', 'grab juice', 'walk to water glass', 'pour juice into water glass', 'pour juice into table', 'drink juice', 'drink water glass'])).toEqual([
      true,
      true,
      true,
      true,
      false,
      true, // juice is DRINKABLE and held
      false, // the glass is not held
    ]);
  });

  it('clothes: put on a held shirt, take it off again; release and greet never work', () => {
    const env = envOn();
    expect(valid(env, ['put on clothes shirt', 'walk to clothes shirt', 'grab clothes shirt', 'put on clothes shirt', 'grab clothes shirt', 'take off clothes shirt', 'release', 'greet clothes shirt'])).toEqual([
      false,
      true,
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  it('drop puts a held object on the floor; put back returns it to its first place', () => {
    const env = envOn();
    expect(valid(env, ['walk to book', 'grab book', 'drop book', 'grab book', 'put back book', 'walk to couch', 'put back book'])).toEqual([true, true, true, true, false, true, true]);
    expect(env.step(turn('walk to couch')).observation).toBe('Observation: couch, book, book ON couch. ');
  });

  it('the fallback grammar runs script names with one-word arguments', () => {
    const env = envOn();
    expect(valid(env, ['walk couch', 'sit couch', 'standup', 'walk television'])).toEqual([true, true, true, true]);
  });

  it('binds deterministically: bound id, then close, then near the last-used object, then same room, then lowest id', () => {
    const scene = compileScene(fixtureGraph(ID.bathroom));
    const idx = (id: number) => scene.indexOfId.get(id);
    const cls = (name: string) => scene.classIndex.get(name) as number;
    // Lowest id when no instance is in the agent's room (the bathroom has no chair).
    expect(new World(scene).resolve(cls('chair'))).toBe(idx(ID.diningChair1));
    // Pre-seeded (object_id_dict) binding first.
    expect(new World(scene, { chair: ID.officeChair }).resolve(cls('chair'))).toBe(idx(ID.officeChair));

    // Same room: from the office, `chair` is the office chair, and it stays bound after leaving.
    const env = envOn();
    expect(env.step(turn('walk to chair')).observation).toBe('Observation: chair, clothes_shirt, clothes_shirt ON chair. ');
    env.step(turn('walk to dining room'));
    expect(env.step(turn('walk to chair')).observation).toBe('Observation: chair, clothes_shirt, clothes_shirt ON chair. ');

    // Near the last-used object: after turning to the table, `cup` is the dirty cup on it, not the lower-id cup in the sink.
    const env2 = envOn();
    env2.step(turn('walk to dining room'));
    env2.step(turn('turn to table'));
    expect(env2.step(turn('walk to cup')).observation).toBe('Observation: cup is DIRTY. ');
    const env3 = envOn();
    env3.step(turn('walk to dining room'));
    expect(env3.step(turn('walk to cup')).observation).toBe('Observation: sink, cup is CLEAN. ');

    // Close first: at the table, `chair` is the lowest-id chair next to it.
    const env4 = envOn();
    env4.step(turn('walk to table'));
    env4.step(turn('sit on chair'));
    expect(env4.step(turn('stand up')).observation).toBe('Observation: table is CLEAN, chair, water_glass is CLEAN, juice, cup is DIRTY, water_glass ON table, juice ON table, cup ON table. ');
  });

  it('records a binding even when the action fails (change_obj_index runs before execution)', () => {
    const env = envOn();
    env.step(turn('walk to dining room'));
    expect(env.step(turn('grab chair')).info.valid).toBe(false); // binds chair to the dining room's first chair
    env.step(turn('walk to home office'));
    // Back to the dining chair, not the office chair: close to it and to the table next to it.
    expect(env.step(turn('walk to chair')).observation).toBe('Observation: table is CLEAN, chair. ');
  });
});

describe('virtualhome goal check and progress', () => {
  it('counts nodes, present edges, absent edges and events; success exactly at 1', () => {
    const env = new VirtualhomeEnv();
    env.reset({
      task: fixtureTask({
        nodes: [{ id: ID.television, class_name: 'television', category: 'Electronics', properties: ['HAS_SWITCH', 'HAS_PLUG', 'LOOKABLE'], states: ['ON', 'PLUGGED_IN'] }],
        revised_nodes: [{ from_id: ID.milk, relation_type: 'INSIDE', to_id: ID.fridge }],
        revised_add_edges: [
          { from_id: ID.milk, relation_type: 'ON', to_id: ID.tvstand },
          { from_id: ID.character, relation_type: 'ON', to_id: ID.couch },
        ],
        events: [{ verb: 'watch', id: ID.television, class_name: 'television' }],
      }),
    });
    const steps = [
      'walk to milk',
      'open fridge',
      'grab milk',
      'walk to television',
      'plug in television',
      'put milk on tvstand',
      'switch on television',
      'walk to couch',
      'sit on couch',
      'turn to television',
      'watch television',
    ].map((a) => env.step(turn(a)));
    expect(steps.map((r) => r.info.progress)).toEqual([0, 0, 0.2, 0.2, 0.2, 0.4, 0.6, 0.6, 0.8, 0.8, 1]);
    expect(steps.map((r) => r.reward)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(steps.map((r) => r.terminated)).toEqual([false, false, false, false, false, false, false, false, false, false, true]);
  });

  it('accepts HOLDS_RH in either hand', () => {
    const env = new VirtualhomeEnv();
    env.reset({ task: fixtureTask({ revised_add_edges: [{ from_id: ID.character, relation_type: 'HOLDS_RH', to_id: ID.water_glass }] }) });
    env.step(turn('walk to juice'));
    env.step(turn('grab juice'));
    env.step(turn('walk to water glass'));
    const r = env.step(turn('grab water glass'));
    expect(r.info.success).toBe(true);
    expect(r.reward).toBe(1);
  });

  it('checks success after every step, failed ones included', () => {
    const env = new VirtualhomeEnv();
    // The goal already holds in the initial graph: the first (failed) step ends the episode.
    env.reset({ task: fixtureTask({ nodes: [{ id: ID.water_glass, class_name: 'water_glass', category: 'Kitchenware', properties: [], states: ['CLEAN'] }] }) });
    const r = env.step(turn('fly to the moon'));
    expect(r.info.valid).toBe(false);
    expect(r.info.success).toBe(true);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(1);
  });

  it('compares node states as whole sets (an extra state is a mismatch)', () => {
    const env = new VirtualhomeEnv();
    env.reset({ task: fixtureTask({ nodes: [{ id: ID.television, class_name: 'television', category: 'Electronics', properties: [], states: ['ON'] }] }) });
    const rs = ['walk to television', 'plug in television', 'switch on television'].map((a) => env.step(turn(a)));
    expect(rs.map((r) => r.info.success)).toEqual([false, false, false]);
    expect(rs[2]?.info.progress).toBe(0);
  });
});
