import { describe, expect, it } from 'vitest';
import { hash32 } from '../../../envs/core/rng';
import { SPLITS, UnknownTaskError, type Split } from '../../../envs/core/types';
import { spoken } from '../../../envs/virtualhome/catalogue';
import { TASK_TITLES, TRAIN_APARTMENTS, UNSEEN_APARTMENTS, VirtualhomeEnv, virtualhomeGenerator, type VirtualhomeTask } from '../../../envs/virtualhome';

const PER_SPLIT = 300;
const cache = new Map<Split, VirtualhomeTask[]>();
function tasks(split: Split): VirtualhomeTask[] {
  let list = cache.get(split);
  if (!list) {
    list = Array.from({ length: PER_SPLIT }, (_, i) => virtualhomeGenerator.task(split, i));
    cache.set(split, list);
  }
  return list;
}

/** What makes a task that task: its scene, its instruction and its goal. */
const fingerprint = (t: VirtualhomeTask): number => hash32(JSON.stringify([t.title, t.description, t.init_graph, t.revised_graph]));

describe('virtualhome generator', () => {
  it('declares env, version and the canonical sizes', () => {
    expect(virtualhomeGenerator.env).toBe('virtualhome');
    expect(virtualhomeGenerator.version).toBe(1);
    expect(virtualhomeGenerator.sizes).toEqual({ train: 1000, seen: 150, unseen: 150 });
  });

  it('is deterministic and makes plain JSON tasks with stable ids', () => {
    for (const split of SPLITS) {
      for (const i of [0, 7, 26, 999]) {
        const a = virtualhomeGenerator.task(split, i);
        const b = virtualhomeGenerator.task(split, i);
        expect(a).toEqual(b);
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
        expect(a.id).toBe(`virtualhome/v1/${split}/${i}`);
        expect(a.env).toBe('virtualhome');
        expect(a.split).toBe(split);
        expect(a.index).toBe(i);
        expect(a.taskType).toBe(a.title);
        expect(a.goal).toBe(a.description);
      }
    }
    expect(fingerprint(virtualhomeGenerator.task('train', 0))).toBe(fingerprint(virtualhomeGenerator.task('train', 0)));
  });

  it('accepts any non-negative integer index and rejects the rest with UnknownTaskError', () => {
    expect(virtualhomeGenerator.task('unseen', 123456).index).toBe(123456);
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => virtualhomeGenerator.task('train', bad)).toThrow(UnknownTaskError);
  });

  it('keeps the splits disjoint (no task in two splits)', () => {
    const seen = new Map<number, string>();
    for (const split of SPLITS) {
      for (const t of tasks(split)) {
        const f = fingerprint(t);
        const other = seen.get(f);
        expect(other, `${t.id} duplicates ${other}`).toBeUndefined();
        seen.set(f, t.id);
      }
    }
    expect(seen.size).toBe(3 * PER_SPLIT);
  });

  it('holds out apartments for the unseen split', () => {
    expect(TRAIN_APARTMENTS.length + UNSEEN_APARTMENTS.length).toBeGreaterThanOrEqual(12);
    expect(UNSEEN_APARTMENTS.length).toBeGreaterThanOrEqual(3);
    const apt = (t: VirtualhomeTask) => Number(t.apartment.slice('apartment_'.length));
    const used = (split: Split) => new Set(tasks(split).map(apt));
    expect([...used('train')].sort((a, b) => a - b)).toEqual([...TRAIN_APARTMENTS]);
    expect([...used('seen')].every((a) => TRAIN_APARTMENTS.includes(a))).toBe(true);
    expect([...used('unseen')].sort((a, b) => a - b)).toEqual([...UNSEEN_APARTMENTS]);
  });

  it('covers every title in every split, at least 20 of them', () => {
    expect(TASK_TITLES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(TASK_TITLES).size).toBe(TASK_TITLES.length);
    for (const split of SPLITS) expect(new Set(tasks(split).map((t) => t.title))).toEqual(new Set(TASK_TITLES));
    expect(TASK_TITLES).toEqual(expect.arrayContaining(['Drink', 'Watch TV', 'Turn on light', 'Wash hands', 'Brush teeth', 'Read book', 'Put groceries in fridge', 'Browse internet', 'Listen to music', 'Go to toilet', 'Pick up phone', 'Wash dishes', 'Make coffee', 'Relax on sofa']));
  });

  it('makes consistent graphs: unique ids, edges between existing nodes, the character inside a room', () => {
    for (const t of tasks('seen').slice(0, 60)) {
      const ids = new Set(t.init_graph.nodes.map((n) => n.id));
      expect(ids.size).toBe(t.init_graph.nodes.length);
      for (const e of t.init_graph.edges) expect(ids.has(e.from_id) && ids.has(e.to_id)).toBe(true);
      const rooms = new Set(t.init_graph.nodes.filter((n) => n.category === 'Rooms').map((n) => n.class_name));
      expect([...rooms].sort()).toEqual(['bathroom', 'bedroom', 'dining_room', 'home_office']);
      expect(t.init_graph.edges.filter((e) => e.from_id === 1 && e.relation_type === 'INSIDE')).toHaveLength(1);
      expect(t.init_graph.nodes.length).toBeGreaterThan(80);
    }
  });

  it('binds gold classes to nodes of that class, writes script lines, and names every recipe object in the description', () => {
    for (const split of SPLITS) {
      for (const t of tasks(split).slice(0, 81)) {
        const byId = new Map(t.init_graph.nodes.map((n) => [n.id, n]));
        for (const [cls, id] of Object.entries(t.object_id_dict)) expect(byId.get(id)?.class_name).toBe(cls);
        for (const line of t.program) expect(line).toMatch(/^\[[A-Za-z]+\]( <[a-z_]+> \(\d+\))*$/);
        expect(t.program.length).toBeGreaterThanOrEqual(2);
        const named = t.recipe.flatMap((s) => [('obj' in s ? s.obj : undefined), ('recep' in s ? s.recep : undefined), ('room' in s ? s.room : undefined)]);
        for (const cls of named) if (cls !== undefined) expect(t.description, `${t.id}: ${cls}`).toContain(spoken(cls));
      }
    }
  });

  it('gives every task a goal that does not hold at reset', () => {
    const env = new VirtualhomeEnv();
    for (const split of SPLITS) {
      for (const t of tasks(split).slice(0, 100)) {
        const g = t.revised_graph;
        expect(g.nodes.length + g.revised_nodes.length + g.revised_add_edges.length + g.events.length, t.id).toBeGreaterThan(0);
        expect(env.reset({ task: t }).info.progress, t.id).toBeLessThan(1);
      }
    }
  });
});
