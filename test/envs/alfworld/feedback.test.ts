/**
 * Every feedback text, the grammar and the preconditions, played on hand-written scenes with the
 * exact strings the TextWorld engine (as used by ETO/SPA) answers.
 */
import { describe, expect, it } from 'vitest';
import { AlfworldEnv, AlfworldWorld, alfworldTaskFromScene, type AlfworldScene } from '../../../envs/alfworld';
import { formatBare, formatItems } from '../../../envs/alfworld/text';
import { compareDisplayOrder } from '../../../envs/alfworld/task';
import { BEDROOM_EXAMINE, KITCHEN_HEAT, KITCHEN_INTRO } from './scenes';

/** Plays actions on a fresh env and returns each observation. */
function play(scene: AlfworldScene, actions: string[]) {
  const env = new AlfworldEnv();
  const reset = env.reset({ task: alfworldTaskFromScene(scene) });
  const steps = actions.map((a) => env.step(`Thought: test.\nAction: ${a}`));
  return { env, reset, steps, obs: steps.map((s) => s.observation) };
}

describe('ALFWorld list formatting', () => {
  it('always "a", ", and " before the last item even for two, "nothing" when empty', () => {
    expect(formatItems([])).toBe('nothing');
    expect(formatItems(['apple 1'])).toBe('a apple 1');
    expect(formatItems(['soapbottle 1', 'toiletpaper 1'])).toBe('a soapbottle 1, and a toiletpaper 1');
    expect(formatItems(['egg 1', 'mug 2', 'potato 2'])).toBe('a egg 1, a mug 2, and a potato 2');
    expect(formatBare(['cabinet 2', 'cabinet 1'])).toBe('cabinet 2, and cabinet 1');
    expect(formatBare(['sidetable 1'])).toBe('sidetable 1');
  });
  it('orders alphabetically by type, instance numbers descending', () => {
    const names = ['cabinet 1', 'cabinet 10', 'pencil 1', 'cabinet 2', 'pen 3', 'pen 12', 'apple 1'];
    expect(names.sort(compareDisplayOrder)).toEqual(['apple 1', 'cabinet 10', 'cabinet 2', 'cabinet 1', 'pen 12', 'pen 3', 'pencil 1']);
  });
});

describe('ALFWorld feedback texts on a hand-written kitchen', () => {
  it('the task message is the intro and the goal joined by one newline', () => {
    const { reset } = play(KITCHEN_HEAT, []);
    expect(reset.observation).toBe(`${KITCHEN_INTRO}\nYour task is to: heat some apple and put it in diningtable.`);
    expect(reset.info.admissible).toEqual([
      'go to cabinet 1',
      'go to cabinet 2',
      'go to countertop 1',
      'go to diningtable 1',
      'go to drawer 1',
      'go to fridge 1',
      'go to microwave 1',
      'go to sinkbasin 1',
      'inventory',
      'look',
    ]);
    expect(reset.info.progress).toBe(0);
  });

  it('answers every command with the engine text', () => {
    const { obs, steps } = play(KITCHEN_HEAT, [
      'look',
      'inventory',
      'go to cabinet 1',
      'go to cabinet 2',
      'look',
      'examine cabinet 2',
      'open cabinet 2',
      'open cabinet 1',
      'close cabinet 1',
      'go to drawer 1',
      'open drawer 1',
      'go to countertop 1',
      'look',
      'examine knife 1',
      'take apple 2 from countertop 1',
      'take bread 1 from countertop 1',
      'inventory',
      'examine apple 2',
      'go to fridge 1',
      'put apple 2 in/on fridge 1',
      'cool apple 2 with fridge 1',
      'examine apple 2',
      'go to microwave 1',
      'heat apple 2 with microwave 1',
      'examine apple 2',
      'go to sinkbasin 1',
      'clean apple 2 with sinkbasin 1',
      'examine apple 2',
      'put apple 2 in/on sinkbasin 1',
      'examine sinkbasin 1',
      'take apple 2 from sinkbasin 1',
      'go to diningtable 1',
      'put apple 2 in/on diningtable 1',
    ]);
    expect(obs).toEqual([
      `Observation: ${KITCHEN_INTRO}`,
      'Observation: You are not carrying anything.',
      'Observation: The cabinet 1 is closed.',
      'Observation: Nothing happens.',
      'Observation: You are facing the cabinet 2, and cabinet 1. Next to it, you see nothing.',
      'Observation: The cabinet 2 is closed.',
      'Observation: You open the cabinet 2. The cabinet 2 is open. In it, you see nothing.',
      'Observation: You open the cabinet 1. The cabinet 1 is open. In it, you see a mug 1.',
      'Observation: You close the cabinet 1.',
      'Observation: On the drawer 1, you see a fork 2.',
      'Observation: Nothing happens.',
      'Observation: On the countertop 1, you see a apple 2, a bread 1, and a knife 1.',
      'Observation: You are facing the countertop 1. Next to it, you see nothing.',
      "Observation: There's nothing special about knife 1.",
      'Observation: You pick up the apple 2 from the countertop 1.',
      'Observation: Nothing happens.',
      'Observation: You are carrying: a apple 2.',
      "Observation: There's nothing special about apple 2.",
      'Observation: The fridge 1 is closed.',
      'Observation: Nothing happens.',
      'Observation: You cool the apple 2 using the fridge 1.',
      'Observation: This is a cold apple 2.',
      'Observation: The microwave 1 is closed.',
      'Observation: You heat the apple 2 using the microwave 1.',
      'Observation: This is a hot apple 2.',
      'Observation: On the sinkbasin 1, you see nothing.',
      'Observation: You clean the apple 2 using the sinkbasin 1.',
      'Observation: This is a hot and clean apple 2.',
      'Observation: You put the apple 2 in/on the sinkbasin 1.',
      'Observation: On the sinkbasin 1, you see a apple 2.',
      'Observation: You pick up the apple 2 from the sinkbasin 1.',
      'Observation: On the diningtable 1, you see nothing.',
      'Observation: You put the apple 2 in/on the diningtable 1.',
    ]);
    expect(steps.map((s) => s.info.valid)).toEqual(obs.map((o) => o !== 'Observation: Nothing happens.'));
    const last = steps[steps.length - 1];
    expect(last).toMatchObject({ reward: 1, terminated: true, truncated: false, info: { success: true, progress: 1, steps: 33 } });
    expect(steps.slice(0, -1).every((s) => s.reward === 0 && !s.terminated && !s.info.success)).toBe(true);
  });

  it('the fridge lists its contents; objects that start in it are already cold (the cool quirk)', () => {
    const { obs } = play(KITCHEN_HEAT, ['go to fridge 1', 'open fridge 1', 'examine apple 1', 'examine egg 1', 'take egg 1 from fridge 1', 'examine egg 1', 'go to fridge 1', 'close fridge 1', 'go to fridge 1']);
    expect(obs).toEqual([
      'Observation: The fridge 1 is closed.',
      'Observation: You open the fridge 1. The fridge 1 is open. In it, you see a apple 1, and a egg 1.',
      'Observation: This is a cold apple 1.',
      'Observation: This is a cold egg 1.',
      'Observation: You pick up the egg 1 from the fridge 1.',
      'Observation: This is a cold egg 1.',
      'Observation: Nothing happens.',
      'Observation: You close the fridge 1.',
      'Observation: Nothing happens.',
    ]);
  });

  it('a cool task is solved by an apple taken from the fridge without any cool action', () => {
    const cool = { ...KITCHEN_HEAT, taskType: 'cool' as const, goal: 'put a cool apple in diningtable' };
    const { steps } = play(cool, ['go to fridge 1', 'open fridge 1', 'take apple 1 from fridge 1', 'go to diningtable 1', 'put apple 1 in/on diningtable 1']);
    expect(steps.map((s) => s.info.progress)).toEqual([0, 0, 2 / 3, 2 / 3, 1]);
    expect(steps[4]).toMatchObject({ reward: 1, terminated: true });
  });

  it('matches commands exactly: case, spacing, trailing period, wrong numbers and missing "in/on" all fail', () => {
    const { obs, steps, env } = play(KITCHEN_HEAT, [
      'Go to countertop 1',
      'go to countertop 1.',
      'go to  countertop 1',
      'go to countertop 2',
      'go to countertop',
      'goto countertop 1',
      'go to countertop 1',
      'take apple 1 from countertop 1',
      'take Apple 2 from countertop 1',
      'take apple 2 from countertop 1',
      'put apple 2 in countertop 1',
      'put apple 2 on countertop 1',
      'put apple 2 in/on countertop 1 ',
    ]);
    expect(obs.slice(0, 6)).toEqual(Array(6).fill('Observation: Nothing happens.'));
    expect(obs[6]).toBe('Observation: On the countertop 1, you see a apple 2, a bread 1, and a knife 1.');
    expect(obs.slice(7, 9)).toEqual(['Observation: Nothing happens.', 'Observation: Nothing happens.']);
    expect(obs[9]).toBe('Observation: You pick up the apple 2 from the countertop 1.');
    expect(obs.slice(10, 12)).toEqual(['Observation: Nothing happens.', 'Observation: Nothing happens.']);
    // The harness strips the action, as SPA does, so a trailing space is accepted.
    expect(obs[12]).toBe('Observation: You put the apple 2 in/on the countertop 1.');
    expect(steps.slice(0, 6).every((s) => !s.info.valid && !s.info.formatError)).toBe(true);
    expect(env.admissibleActions()).toContain('take apple 2 from countertop 1');
  });

  it('an invalid action leaves the state unchanged', () => {
    const world = new AlfworldWorld(alfworldTaskFromScene(KITCHEN_HEAT));
    world.execute('go to countertop 1');
    const before = world.admissible().slice();
    for (const bad of ['take apple 1 from countertop 1', 'open countertop 1', 'go to countertop 1', 'use knife 1', 'heat knife 1 with microwave 1', 'fly']) {
      expect(world.execute(bad)).toEqual({ text: 'Nothing happens.', valid: false, won: false });
    }
    expect(world.admissible()).toEqual(before);
  });

  it('preconditions: hand capacity one, closed containers, canContain, appliance at the spot', () => {
    const { obs } = play(KITCHEN_HEAT, [
      'go to countertop 1',
      'take knife 1 from countertop 1',
      'take apple 2 from countertop 1', // hand full
      'go to fridge 1',
      'put knife 1 in/on fridge 1', // closed
      'open fridge 1',
      'put knife 1 in/on fridge 1', // a fridge cannot hold a knife
      'cool knife 1 with fridge 1', // not coolable
      'heat knife 1 with microwave 1', // microwave elsewhere, knife not heatable
      'go to cabinet 1',
      'open cabinet 1',
      'put knife 1 in/on cabinet 1', // a cabinet cannot hold a knife
      'go to drawer 1',
      'put knife 1 in/on drawer 1', // open shelf: no need to open
      'go to microwave 1',
      'take mug 1 from cabinet 1', // not at the cabinet any more
    ]);
    expect(obs).toEqual([
      'Observation: On the countertop 1, you see a apple 2, a bread 1, and a knife 1.',
      'Observation: You pick up the knife 1 from the countertop 1.',
      'Observation: Nothing happens.',
      'Observation: The fridge 1 is closed.',
      'Observation: Nothing happens.',
      'Observation: You open the fridge 1. The fridge 1 is open. In it, you see a apple 1, and a egg 1.',
      'Observation: Nothing happens.',
      'Observation: Nothing happens.',
      'Observation: Nothing happens.',
      'Observation: The cabinet 1 is closed.',
      'Observation: You open the cabinet 1. The cabinet 1 is open. In it, you see a mug 1.',
      'Observation: Nothing happens.',
      'Observation: On the drawer 1, you see a fork 2.',
      'Observation: You put the knife 1 in/on the drawer 1.',
      'Observation: The microwave 1 is closed.',
      'Observation: Nothing happens.',
    ]);
  });

  it('heat, cool and clean need the appliance at the spot but not open, and only what is held', () => {
    const world = new AlfworldWorld(alfworldTaskFromScene(KITCHEN_HEAT));
    for (const a of ['go to countertop 1', 'take bread 1 from countertop 1', 'go to microwave 1']) world.execute(a);
    expect(world.admissible()).toEqual(
      expect.arrayContaining(['heat bread 1 with microwave 1', 'open microwave 1', 'examine microwave 1', 'examine bread 1', 'inventory', 'look']),
    );
    expect(world.admissible()).not.toContain('put bread 1 in/on microwave 1'); // closed
    expect(world.execute('clean bread 1 with microwave 1').valid).toBe(false);
    expect(world.execute('heat bread 1 with microwave 1').text).toBe('You heat the bread 1 using the microwave 1.');
    world.execute('go to sinkbasin 1');
    expect(world.execute('clean bread 1 with sinkbasin 1').valid).toBe(false); // bread is not cleanable
  });

  it('progress of a heat task: has the object, object hot, goal', () => {
    const { steps } = play(KITCHEN_HEAT, [
      'go to countertop 1',
      'take apple 2 from countertop 1',
      'go to microwave 1',
      'heat apple 2 with microwave 1',
      'go to countertop 1',
      'put apple 2 in/on countertop 1',
      'take apple 2 from countertop 1',
      'go to diningtable 1',
      'put apple 2 in/on diningtable 1',
    ]);
    expect(steps.map((s) => Math.round(s.info.progress * 3))).toEqual([0, 1, 1, 2, 2, 0, 2, 2, 3]);
  });

  it('put with an unheated apple does not solve a heat task', () => {
    const { steps } = play(KITCHEN_HEAT, ['go to countertop 1', 'take apple 2 from countertop 1', 'go to diningtable 1', 'put apple 2 in/on diningtable 1']);
    expect(steps[3]).toMatchObject({ reward: 0, terminated: false, info: { success: false, progress: 1 / 3 } });
  });
});

describe('ALFWorld examine (look_at_obj_in_light)', () => {
  it('needs the lamp on, the agent at the lamp and the object in hand — checked on the state after every step', () => {
    const { obs, steps } = play(BEDROOM_EXAMINE, [
      'go to desk 1',
      'use desklamp 1',
      'use desklamp 1',
      'examine desklamp 1',
      'go to bed 1',
      'use desklamp 1',
      'take book 1 from bed 1',
      'go to desk 1',
    ]);
    expect(obs).toEqual([
      'Observation: On the desk 1, you see a desklamp 1, and a pen 1.',
      'Observation: You turn on the desklamp 1.',
      'Observation: You turn on the desklamp 1.',
      "Observation: There's nothing special about desklamp 1.",
      'Observation: On the bed 1, you see a book 1, and a pillow 1.',
      'Observation: Nothing happens.',
      'Observation: You pick up the book 1 from the bed 1.',
      'Observation: On the desk 1, you see a desklamp 1, and a pen 1.',
    ]);
    expect(steps.map((s) => s.info.progress)).toEqual([0, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 2 / 3, 1]);
    expect(steps[7]).toMatchObject({ reward: 1, terminated: true, info: { success: true } });
  });

  it('holding the object and turning the lamp on solves it where the lamp is', () => {
    const { steps } = play(BEDROOM_EXAMINE, ['go to dresser 1', 'take book 2 from dresser 1', 'go to desk 1', 'use desklamp 1']);
    expect(steps.map((s) => s.reward)).toEqual([0, 0, 0, 1]);
    expect(steps[1]?.info.progress).toBe(1 / 3);
  });

  it('a held book away from the lit lamp is not enough', () => {
    const world = new AlfworldWorld(alfworldTaskFromScene(BEDROOM_EXAMINE));
    for (const a of ['go to desk 1', 'use desklamp 1', 'go to bed 1', 'take book 1 from bed 1']) expect(world.execute(a).won).toBe(false);
    expect(world.progress()).toBe(2 / 3);
    expect(world.execute('go to desk 1').won).toBe(true);
    expect(world.execute('go to bed 1').won).toBe(false); // walking away loses it
  });
});

describe('ALFWorld puttwo (pick_two_obj_and_place)', () => {
  const scene: AlfworldScene = {
    roomType: 'bedroom',
    taskType: 'puttwo',
    object: 'creditcard',
    receptacle: 'drawer',
    receptacles: [
      { name: 'bed 1', contents: ['pillow 1', 'book 1'] },
      { name: 'drawer 1' },
      { name: 'drawer 2' },
      { name: 'dresser 1', contents: ['creditcard 1'] },
      { name: 'sidetable 1', contents: ['creditcard 2', 'desklamp 1'] },
    ],
  };
  it('needs two distinct objects in the same receptacle', () => {
    const task = alfworldTaskFromScene(scene);
    expect(task.goal).toBe('put two creditcard in drawer');
    const { steps } = play(scene, [
      'go to dresser 1',
      'take creditcard 1 from dresser 1',
      'go to drawer 2',
      'open drawer 2',
      'put creditcard 1 in/on drawer 2',
      'go to sidetable 1',
      'take creditcard 2 from sidetable 1',
      'go to drawer 1',
      'open drawer 1',
      'put creditcard 2 in/on drawer 1', // one in each drawer: not yet
      'take creditcard 2 from drawer 1',
      'go to drawer 2',
      'put creditcard 2 in/on drawer 2',
    ]);
    expect(steps.map((s) => s.info.progress * 4)).toEqual([0, 1, 1, 1, 2, 2, 3, 3, 3, 2, 3, 3, 4]);
    expect(steps.map((s) => s.reward)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});
