/** Tasks from scene descriptions: the schema, the errors (naming the field) and the built task. */
import { describe, expect, it } from 'vitest';
import { alfworldTaskFromScene, type AlfworldScene } from '../../../envs/alfworld';
import { BEDROOM_EXAMINE, KITCHEN_HEAT } from './scenes';

function errorOf(scene: unknown): string {
  try {
    alfworldTaskFromScene(scene);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

const with_ = (patch: Partial<AlfworldScene>): AlfworldScene => ({ ...KITCHEN_HEAT, ...patch });

describe('alfworldTaskFromScene', () => {
  it('builds a plain-JSON task with sorted receptacles and contents, shared spots and the cool quirk', () => {
    const task = alfworldTaskFromScene(KITCHEN_HEAT);
    expect(JSON.parse(JSON.stringify(task))).toEqual(task);
    expect(task).toMatchObject({
      env: 'alfworld',
      split: 'unseen',
      index: -1,
      taskType: 'heat',
      goal: 'heat some apple and put it in diningtable',
      roomType: 'kitchen',
      layout: 'custom',
      object: 'apple',
      receptacle: 'diningtable',
      toggle: null,
      initialState: { hot: [], cool: ['apple 1', 'egg 1'], clean: [] },
    });
    expect(task.id).toMatch(/^alfworld\/scene\/[0-9a-f]{8}$/);
    expect(task.receptacles.map((r) => r.name)).toEqual(['cabinet 2', 'cabinet 1', 'countertop 1', 'diningtable 1', 'drawer 1', 'fridge 1', 'microwave 1', 'sinkbasin 1']);
    const byName = Object.fromEntries(task.receptacles.map((r) => [r.name, r]));
    expect(byName['cabinet 2']?.location).toBe(byName['cabinet 1']?.location);
    expect(byName['countertop 1']).toEqual({ name: 'countertop 1', openable: false, open: false, location: 3, contents: ['apple 2', 'bread 1', 'knife 1'] });
    expect(byName['drawer 1']?.openable).toBe(false);
    expect(byName['fridge 1']?.openable).toBe(true);
    // The same scene always gives the same id; another scene another one.
    expect(alfworldTaskFromScene(KITCHEN_HEAT).id).toBe(task.id);
    expect(alfworldTaskFromScene(with_({ goal: 'put a hot apple in diningtable' })).id).not.toBe(task.id);
  });

  it('defaults the goal to the first template and accepts every template of the type', () => {
    expect(alfworldTaskFromScene(with_({ goal: undefined })).goal).toBe('put a hot apple in diningtable');
    expect(alfworldTaskFromScene(BEDROOM_EXAMINE).goal).toBe('look at book under the desklamp');
    expect(alfworldTaskFromScene({ ...BEDROOM_EXAMINE, goal: 'examine the book with the desklamp' }).goal).toBe('examine the book with the desklamp');
    const put = alfworldTaskFromScene(with_({ taskType: 'put', goal: 'find some apple and put it in diningtable' }));
    expect(put.goal).toBe('find some apple and put it in diningtable');
  });

  it('rejects bad scenes with a message naming the field', () => {
    expect(errorOf(null)).toMatch(/^Invalid ALFWorld scene at \(root\): /);
    expect(errorOf(with_({ roomType: 'garage' as 'kitchen' }))).toMatch(/^Invalid ALFWorld scene at roomType: /);
    expect(errorOf(with_({ taskType: 'slice' as 'put' }))).toMatch(/^Invalid ALFWorld scene at taskType: /);
    expect(errorOf({ ...KITCHEN_HEAT, extra: 1 })).toMatch(/^Invalid ALFWorld scene at \(root\): .*extra/);
    expect(errorOf(with_({ receptacles: [] }))).toMatch(/^Invalid ALFWorld scene at receptacles: /);
    const recs = KITCHEN_HEAT.receptacles;
    expect(errorOf(with_({ receptacles: [...recs, { name: 'chair 1' }] }))).toBe('Invalid ALFWorld scene at receptacles.8.name: unknown receptacle type "chair"');
    expect(errorOf(with_({ receptacles: [...recs, { name: 'Fridge 2' }] }))).toBe('Invalid ALFWorld scene at receptacles.8.name: "Fridge 2" is not "<type> <n>" (lower-case type, number from 1)');
    expect(errorOf(with_({ receptacles: [...recs, { name: 'fridge 1' }] }))).toBe('Invalid ALFWorld scene at receptacles.8.name: "fridge 1" appears twice');
    expect(errorOf(with_({ receptacles: [...recs, { name: 'sofa 1', openable: true }] }))).toBe('Invalid ALFWorld scene at receptacles.8.openable: a sofa cannot be opened');
    expect(errorOf(with_({ receptacles: [...recs, { name: 'shelf 1', open: true }] }))).toBe('Invalid ALFWorld scene at receptacles.8.open: "shelf 1" is not openable');
    expect(errorOf(with_({ receptacles: [...recs, { name: 'shelf 1', contents: ['unicorn 1'] }] }))).toBe('Invalid ALFWorld scene at receptacles.8.contents.0: unknown object type "unicorn"');
    expect(errorOf(with_({ receptacles: [...recs, { name: 'shelf 1', contents: [{ name: 'mug 1' }] }] }))).toBe('Invalid ALFWorld scene at receptacles.8.contents.0.name: "mug 1" appears twice');
    expect(errorOf(with_({ receptacles: [...recs, { name: 'shelf 1', sameLocationAs: 'shelf 2' }] }))).toBe(
      'Invalid ALFWorld scene at receptacles.8.sameLocationAs: "shelf 2" is not another receptacle of the scene',
    );
    expect(errorOf(with_({ receptacles: [...recs, { name: 'shelf 1', contents: [{ name: 'cup 1', warm: true } as never] }] }))).toMatch(/^Invalid ALFWorld scene at receptacles\.8\.contents\.0: /);
  });

  it('rejects goals the scene cannot support, naming the field', () => {
    expect(errorOf(with_({ object: 'knife' }))).toBe('Invalid ALFWorld scene at object: a knife cannot be used in a heat task (not heatable)');
    expect(errorOf(with_({ object: 'houseplant' }))).toBe('Invalid ALFWorld scene at object: "houseplant" is not a portable object type');
    expect(errorOf(with_({ object: 'egg', taskType: 'puttwo', goal: undefined }))).toBe('Invalid ALFWorld scene at object: the scene needs at least 2 egg in its receptacles');
    expect(errorOf(with_({ receptacle: 'toilet' }))).toBe('Invalid ALFWorld scene at receptacle: no toilet in the scene');
    expect(errorOf(with_({ receptacle: 'chair' }))).toBe('Invalid ALFWorld scene at receptacle: "chair" is not a receptacle type');
    expect(errorOf(with_({ receptacle: 'coffeemachine', receptacles: [...KITCHEN_HEAT.receptacles, { name: 'coffeemachine 1' }] }))).toBe(
      'Invalid ALFWorld scene at receptacle: a coffeemachine cannot hold a apple',
    );
    expect(errorOf(with_({ receptacles: KITCHEN_HEAT.receptacles.filter((r) => r.name !== 'microwave 1') }))).toBe('Invalid ALFWorld scene at receptacles: a heat task needs a microwave');
    expect(errorOf({ ...BEDROOM_EXAMINE, toggle: 'floorlamp' })).toBe('Invalid ALFWorld scene at toggle: no floorlamp in the scene');
    expect(errorOf({ ...BEDROOM_EXAMINE, toggle: undefined })).toBe('Invalid ALFWorld scene at toggle: examine needs "toggle": "desklamp" or "floorlamp"');
    expect(errorOf(with_({ goal: 'heat the apple' }))).toBe(
      'Invalid ALFWorld scene at goal: "heat the apple" is not one of: "put a hot apple in diningtable", "heat some apple and put it in diningtable"',
    );
  });
});
