/** The task generator: determinism, splits, layouts and the properties that keep tasks from being easy. */
import { describe, expect, it } from 'vitest';
import { ALFWORLD_TASK_TYPES, AlfworldWorld, GOAL_TEMPLATES, GOALS_VALID, alfworldGenerator, type AlfworldTask } from '../../../envs/alfworld';
import { canContain, OPENABLE_TYPES, TARGET_OBJECT_TYPES } from '../../../envs/alfworld/catalogue';
import { generateAlfworldTask } from '../../../envs/alfworld/generator';
import { goalSentences } from '../../../envs/alfworld/goals';
import { layout, TRAIN_FLOOR_PLANS, UNSEEN_FLOOR_PLANS } from '../../../envs/alfworld/layouts';
import { typeOfName, numberOfName } from '../../../envs/alfworld/task';
import { hash32 } from '../../../envs/core/rng';
import { SPLITS, UnknownTaskError, type Split } from '../../../envs/core/types';

const N = 300;
const tasks: Record<Split, AlfworldTask[]> = {
  train: Array.from({ length: N }, (_, i) => alfworldGenerator.task('train', i)),
  seen: Array.from({ length: N }, (_, i) => alfworldGenerator.task('seen', i)),
  unseen: Array.from({ length: N }, (_, i) => alfworldGenerator.task('unseen', i)),
};
const all = [...tasks.train, ...tasks.seen, ...tasks.unseen];

/** The scene and goal, without the id: two splits must never share one. */
function fingerprint(t: AlfworldTask): string {
  const { id: _id, split: _split, index: _index, ...scene } = t;
  return JSON.stringify(scene);
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1] as number;

describe('alfworldGenerator', () => {
  it('declares the env, version and the canonical split sizes', () => {
    expect(alfworldGenerator.env).toBe('alfworld');
    expect(alfworldGenerator.version).toBe(1);
    expect(alfworldGenerator.sizes).toEqual({ train: 3321, seen: 140, unseen: 134 });
  });

  it('is deterministic: the same (split, index) is the same task, whatever was generated before', () => {
    expect(generateAlfworldTask('train', 17)).toEqual(tasks.train[17]);
    expect(generateAlfworldTask('unseen', 3)).toEqual(tasks.unseen[3]);
    const again = alfworldGenerator.task('seen', 5);
    expect(again).toEqual(tasks.seen[5]);
    expect(alfworldGenerator.task('seen', 5)).toBe(again); // cached: the same frozen object
    // Pinned, so that a change that alters tasks is noticed (and the version bumped).
    expect(hash32(JSON.stringify(SPLITS.map((s) => tasks[s].slice(0, 40)))).toString(16)).toBe(PINNED_HASH);
  });

  it('makes plain, frozen JSON tasks with well-formed ids', () => {
    for (const split of SPLITS) {
      const t = tasks[split][7] as AlfworldTask;
      expect(JSON.parse(JSON.stringify(t))).toEqual(t);
      expect(t.id).toBe(`alfworld/v1/${split}/7`);
      expect(t).toMatchObject({ env: 'alfworld', split, index: 7 });
      expect(Object.isFrozen(t) && Object.isFrozen(t.receptacles[0]) && Object.isFrozen(t.receptacles[0]?.contents)).toBe(true);
    }
  });

  it('serves any non-negative integer index and refuses the others', () => {
    expect(alfworldGenerator.task('train', 1_000_000).id).toBe('alfworld/v1/train/1000000');
    expect(alfworldGenerator.task('unseen', 2 ** 31).index).toBe(2 ** 31);
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => alfworldGenerator.task('train', bad)).toThrow(UnknownTaskError);
    expect(() => alfworldGenerator.task('test' as Split, 0)).toThrow(UnknownTaskError);
  });

  it('keeps the splits disjoint; unseen uses only held-out layouts, train and seen only training ones', () => {
    const prints = SPLITS.map((s) => new Set(tasks[s].map(fingerprint)));
    for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) for (const p of prints[a] as Set<string>) expect((prints[b] as Set<string>).has(p)).toBe(false);
    const held = new Set(UNSEEN_FLOOR_PLANS.map((n) => `FloorPlan${n}`));
    expect(tasks.unseen.every((t) => held.has(t.layout))).toBe(true);
    expect([...tasks.train, ...tasks.seen].some((t) => held.has(t.layout))).toBe(false);
    expect(TRAIN_FLOOR_PLANS.length).toBeGreaterThanOrEqual(100);
    // At least one held-out layout per room type, and seen reuses training layouts.
    expect(new Set(UNSEEN_FLOOR_PLANS.map((n) => layout(n).roomType)).size).toBe(4);
    const trainLayouts = new Set(tasks.train.map((t) => t.layout));
    expect(tasks.seen.filter((t) => trainLayouts.has(t.layout)).length).toBeGreaterThan(N * 0.8);
  });

  it('respects GOALS_VALID and uses every goal template, the third put variant included', () => {
    const templates = new Set<string>();
    for (const t of all) {
      expect(GOALS_VALID[t.taskType]).toContain(t.roomType);
      const spec = { taskType: t.taskType, object: t.object, receptacle: t.receptacle, toggle: t.toggle };
      const sentences = goalSentences(spec);
      expect(sentences).toContain(t.goal);
      templates.add(GOAL_TEMPLATES[t.taskType][sentences.indexOf(t.goal)] as string);
      expect((TARGET_OBJECT_TYPES as readonly string[]).includes(t.object)).toBe(true);
      if (t.taskType === 'examine') expect(['desklamp', 'floorlamp']).toContain(t.toggle);
      else expect(canContain(t.receptacle as string, t.object)).toBe(true);
    }
    expect(templates.size).toBe(Object.values(GOAL_TEMPLATES).flat().length);
    expect(templates.has('find some {obj} and put it in {recep}')).toBe(true);
    for (const split of SPLITS) expect(new Set(tasks[split].map((t) => t.taskType)).size).toBe(ALFWORLD_TASK_TYPES.length);
  });

  it('never starts solved; targets never start in a goal receptacle; things in a fridge start cool', () => {
    for (const t of all) {
      const world = new AlfworldWorld(t);
      expect(world.isWon()).toBe(false);
      expect(world.progress()).toBe(0);
      const targets = t.receptacles.flatMap((r) => r.contents.filter((o) => typeOfName(o) === t.object).map(() => typeOfName(r.name)));
      expect(targets.length).toBeGreaterThanOrEqual(t.taskType === 'puttwo' ? 2 : 1);
      expect(targets.length).toBeLessThanOrEqual(t.taskType === 'puttwo' ? 5 : 4);
      if (t.receptacle) expect(targets).not.toContain(t.receptacle);
      const inFridge = t.receptacles.filter((r) => typeOfName(r.name) === 'fridge').flatMap((r) => r.contents);
      expect([...t.initialState.cool].sort()).toEqual(inFridge.sort());
    }
  });

  it('numbers instances 1..k per type, in random order', () => {
    let targetOneFirst = 0;
    let multi = 0;
    for (const t of tasks.train) {
      const byType = new Map<string, number[]>();
      for (const r of t.receptacles) for (const o of r.contents) byType.set(typeOfName(o), [...(byType.get(typeOfName(o)) ?? []), numberOfName(o)]);
      for (const nums of byType.values()) expect(nums.slice().sort((a, b) => a - b)).toEqual(nums.map((_, i) => i + 1));
      const targets = t.receptacles.flatMap((r) => r.contents.filter((o) => typeOfName(o) === t.object));
      if (targets.length > 1) {
        multi++;
        if (targets[0] === `${t.object} 1`) targetOneFirst++; // `… 1` is not always the first listed
      }
    }
    expect(multi).toBeGreaterThan(50);
    expect(targetOneFirst / multi).toBeLessThan(0.7);
  });

  it('hides 40–60% of the targets behind closed doors', () => {
    let closed = 0;
    let total = 0;
    for (const t of tasks.train) {
      for (const r of t.receptacles) {
        const n = r.contents.filter((o) => typeOfName(o) === t.object).length;
        total += n;
        if (r.openable && !r.open) closed += n;
      }
    }
    expect(closed / total).toBeGreaterThan(0.4);
    expect(closed / total).toBeLessThan(0.6);
  });

  it('builds rooms of realistic sizes with per-instance openability, shared spots, lamps and look-alikes', () => {
    const sizes: Record<string, number[]> = {};
    let shelves = 0;
    let closable = 0;
    let withPair = 0;
    for (const n of [...TRAIN_FLOOR_PLANS, ...UNSEEN_FLOOR_PLANS]) {
      const l = layout(n);
      (sizes[l.roomType] ??= []).push(l.receptacles.length);
      for (const r of l.receptacles) {
        if ((r.type === 'cabinet' || r.type === 'drawer') && r.openable) closable++;
        if ((r.type === 'cabinet' || r.type === 'drawer') && !r.openable) shelves++;
        if (!OPENABLE_TYPES.has(r.type)) expect(r.openable).toBe(false);
      }
      if (new Set(l.receptacles.map((r) => r.location)).size < l.receptacles.length) withPair++;
      if (l.roomType === 'livingroom' || l.roomType === 'bedroom') expect(l.lamps.length).toBeGreaterThan(0);
      if (l.roomType === 'kitchen') expect(['fridge', 'microwave', 'sinkbasin', 'countertop', 'stoveburner', 'cabinet'].every((t) => l.types.has(t))).toBe(true);
    }
    expect(median(sizes.kitchen as number[])).toBeGreaterThanOrEqual(20);
    expect(median(sizes.kitchen as number[])).toBeLessThanOrEqual(25);
    expect(Math.max(...(sizes.kitchen as number[]))).toBeLessThanOrEqual(40);
    expect(Math.max(...(sizes.kitchen as number[]))).toBeGreaterThanOrEqual(35);
    expect(median(sizes.livingroom as number[])).toBeGreaterThanOrEqual(10);
    expect(median(sizes.bedroom as number[])).toBeGreaterThanOrEqual(9);
    expect(median(sizes.bathroom as number[])).toBeGreaterThanOrEqual(8);
    expect(shelves / (shelves + closable)).toBeGreaterThan(0.1);
    expect(shelves / (shelves + closable)).toBeLessThan(0.3);
    expect(withPair).toBeGreaterThan(5);
    expect(withPair).toBeLessThan(60);
    const withLookAlike = tasks.train.filter((t) => ['mug', 'cup', 'knife', 'butterknife', 'soapbar', 'soapbottle', 'pen', 'pencil'].includes(t.object));
    const confusable: Record<string, string> = { mug: 'cup', cup: 'mug', knife: 'butterknife', butterknife: 'knife', soapbar: 'soapbottle', soapbottle: 'soapbar', pen: 'pencil', pencil: 'pen' };
    const share = withLookAlike.filter((t) => t.receptacles.some((r) => r.contents.some((o) => typeOfName(o) === confusable[t.object]))).length / withLookAlike.length;
    expect(withLookAlike.length).toBeGreaterThan(20);
    expect(share).toBeGreaterThan(0.6);
  });
});

const PINNED_HASH = '5c12ff08';
