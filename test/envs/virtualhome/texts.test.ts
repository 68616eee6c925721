/**
 * Exact feedback texts on the hand-made fixture apartment: the ICL episode byte for byte, the
 * task prompt, `Nothing happens.`, format errors, state and relation printing, held objects.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { VirtualhomeEnv } from '../../../envs/virtualhome';
import { fixtureTask, ID } from './fixture';

const turn = (action: string) => `Thought: x\nAction: ${action}`;

function play(env: VirtualhomeEnv, actions: string[]): string[] {
  return actions.map((a) => env.step(turn(a)).observation);
}

describe('virtualhome texts', () => {
  it('reproduces the ICL example byte for byte (prompt, empty room observation, CLEAN glass, held glass)', () => {
    const icl = JSON.parse(readFileSync(new URL('../../../resources/spa-rl/virtualhome_icl.json', import.meta.url), 'utf8')) as {
      role: string;
      content: string;
    }[][];
    const messages = icl[0] as { role: string; content: string }[];
    const task = fixtureTask(
      {
        revised_add_edges: [{ from_id: ID.character, relation_type: 'HOLDS_RH', to_id: ID.water_glass }],
        events: [{ verb: 'drink', id: ID.water_glass, class_name: 'water_glass' }],
      },
      { title: 'Drink', description: 'Drink water' },
    );
    const env = new VirtualhomeEnv();
    const reset = env.reset({ task });
    expect(reset.observation).toBe(messages[0]?.content);
    expect(reset.observation).toBe('The task is Drink (Drink water).');
    const results = [];
    for (let k = 1; k < messages.length; k += 2) {
      const r = env.step((messages[k] as { content: string }).content);
      results.push(r);
      const expected = messages[k + 1]?.content;
      if (expected !== undefined) expect(r.observation).toBe(expected);
    }
    expect(results.map((r) => r.info.action)).toEqual(['Walk to dining room', 'Walk to water glass', 'Find water glass', 'Grab water glass', 'Drink water glass']);
    expect(results.map((r) => r.info.valid)).toEqual([true, true, true, true, true]);
    expect(results.map((r) => r.info.progress)).toEqual([0, 0, 0, 0.5, 1]);
    const last = results[results.length - 1];
    expect(last?.observation).toBe('Observation: character, water_glass is CLEAN. You have water_glass. ');
    expect(last?.reward).toBe(1);
    expect(last?.terminated).toBe(true);
    expect(last?.info.success).toBe(true);
    expect(results.slice(0, -1).every((r) => r.reward === 0 && !r.terminated)).toBe(true);
  });

  it('answers every failure with exactly `Observation: Nothing happens.`', () => {
    const env = new VirtualhomeEnv();
    env.reset({ task: fixtureTask({ events: [{ verb: 'sleep', id: ID.character, class_name: 'character' }] }) });
    for (const a of ['walk to kitchen', 'walk to tv', 'grab couch', 'release', 'greet book', 'fly to the moon 7', 'walk to', 'put back cup on table', 'stand up', 'sleep']) {
      const r = env.step(turn(a));
      expect(r.observation, a).toBe('Observation: Nothing happens.');
      expect(r.info.valid, a).toBe(false);
      expect(r.info.formatError, a).toBe(false);
      expect(r.reward).toBe(0);
    }
  });

  it("answers a turn without `Action:` with SPA-RL's format error and counts the step", () => {
    const env = new VirtualhomeEnv();
    env.reset({ task: fixtureTask({ events: [{ verb: 'sleep', id: ID.character, class_name: 'character' }] }) });
    const r = env.step('I think I should walk to the dining room.');
    expect(r.observation).toBe("Observation: Error Input. Your input must contains 'Action: '");
    expect(r.info.formatError).toBe(true);
    expect(r.info.valid).toBe(false);
    expect(r.info.action).toBeNull();
    expect(r.info.steps).toBe(1);
    expect(env.step(turn('walk to dining room')).info.steps).toBe(2);
  });

  it('prints states in a fixed order, ON relations, containers, and `You have` per held object', () => {
    const env = new VirtualhomeEnv();
    env.reset({ task: fixtureTask({ events: [{ verb: 'sleep', id: ID.character, class_name: 'character' }] }) });
    expect(
      play(env, [
        'walk to television',
        'walk to kitchen counter',
        'walk to milk',
        'open fridge',
        'grab milk',
        'walk to juice',
        'grab juice',
        'walk to dining room',
        'put juice on table',
        'walk to table',
        'put juice on table',
      ]),
    ).toEqual([
      'Observation: tvstand, television is OFF and PLUGGED_OUT, television ON tvstand. ',
      'Observation: kitchen_counter is DIRTY, knife is CLEAN, bread_slice, knife ON kitchen_counter, bread_slice ON kitchen_counter. ',
      // The milk is inside the closed fridge: close to it, but only the fridge is visible.
      'Observation: fridge is CLOSED and PLUGGED_IN. ',
      'Observation: fridge is OPEN and PLUGGED_IN, milk. ',
      'Observation: character, fridge is OPEN and PLUGGED_IN, milk. You have milk. ',
      'Observation: character, milk, juice. You have milk. ',
      'Observation: character, milk, juice. You have milk. You have juice. ',
      // Walking into a room keeps only the held objects close.
      'Observation: character, milk, juice. You have milk. You have juice. ',
      'Observation: Nothing happens.', // not close to the table
      // Nodes in id order; the two chairs print once; ON relations among the listed nodes only.
      'Observation: character, table is CLEAN, chair, water_glass is CLEAN, milk, juice, cup is DIRTY, water_glass ON table, cup ON table. You have milk. You have juice. ',
      'Observation: character, table is CLEAN, chair, water_glass is CLEAN, milk, juice, cup is DIRTY, water_glass ON table, juice ON table, cup ON table. You have milk. ',
    ]);
  });

  it('lists the character with its posture and the ON edge it sits on', () => {
    const env = new VirtualhomeEnv();
    env.reset({ task: fixtureTask({ events: [{ verb: 'eat', id: ID.bread_slice, class_name: 'bread_slice' }] }) });
    expect(play(env, ['walk to book', 'grab book', 'walk to couch', 'sit on couch', 'walk to dining room', 'stand up', 'stand up'])).toEqual([
      // Walking to an object does not bring the surface it lies on close (as in the ICL).
      'Observation: book. ',
      'Observation: character, book. You have book. ',
      'Observation: character, couch, book. You have book. ',
      'Observation: character is SITTING, couch, book, character ON couch. You have book. ',
      'Observation: Nothing happens.',
      'Observation: character, couch, book. You have book. ',
      'Observation: Nothing happens.',
    ]);
  });

  it('writes the task prompt as `The task is <title> (<description>).`', () => {
    const env = new VirtualhomeEnv();
    const r = env.reset({ task: fixtureTask({}, { title: 'Put groceries in fridge', description: 'Take the milk from the kitchen counter and put it in the fridge' }) });
    expect(r.observation).toBe('The task is Put groceries in fridge (Take the milk from the kitchen counter and put it in the fridge).');
    expect(r.info.admissible).toBeUndefined();
  });
});
