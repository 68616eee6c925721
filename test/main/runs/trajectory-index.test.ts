import { appendFileSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunTrajectory } from '../../../common/run-schema';
import { AppendLog } from '../../../engine/storage/append-log';
import { readTextFrom, utf8Boundary } from '../../../main/runs/line-scan';
import { TrajectoryIndex } from '../../../main/runs/trajectory-index';
import { syntheticTrajectory } from '../../helpers/fake-launcher';

const roots: string[] = [];
function tempFile(name: string): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-index-'));
  roots.push(d);
  return join(d, name);
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function append(file: string, from: number, n: number, update = 0): void {
  const log = AppendLog.open<RunTrajectory>(file);
  log.appendMany(Array.from({ length: n }, (_, i) => syntheticTrajectory(from + i, { update, stage: update % 2 ? 'eval-seen' : 'train' })));
  log.close();
}

const ALL = { outcome: 'any', offset: 0, limit: 1000 } as const;

describe('trajectory index', () => {
  it('indexes 20k trajectories once, then reads only what was appended', async () => {
    const file = tempFile('trajectories.jsonl');
    for (let u = 0; u < 20; u++) append(file, u * 1000, 1000, u);
    const index = new TrajectoryIndex(file);
    const t0 = performance.now();
    await index.refresh();
    const firstMs = performance.now() - t0;
    expect(index.size).toBe(20_000);
    expect(index.stats.bytesScanned).toBe(statSync(file).size);
    expect(firstMs).toBeLessThan(15_000); // measured ≈1 s here; a loose bound for slow CI machines

    const before = statSync(file).size;
    append(file, 20_000, 3, 20);
    const t1 = performance.now();
    await index.refresh();
    const q = index.query({ ...ALL, update: 20 }, () => 0);
    const incrementalMs = performance.now() - t1;
    expect(index.stats.bytesScanned).toBe(statSync(file).size); // only the new bytes were added
    expect(statSync(file).size - before).toBeGreaterThan(0);
    expect(q.total).toBe(3);
    expect(q.items.map((i) => i.index)).toEqual([20_000, 20_001, 20_002]);
    expect(incrementalMs).toBeLessThan(2_000);
    expect((await index.read(20_001))?.id).toBe('traj-20001');
  });

  it('filters by outcome, task type, split, stage, update and free text; facets cover the whole run', async () => {
    const file = tempFile('t.jsonl');
    append(file, 0, 6, 0);
    append(file, 6, 6, 1);
    const index = new TrajectoryIndex(file);
    await index.refresh();
    const all = index.query(ALL, (id) => (id === 'traj-4' ? 2 : 0));
    expect(all.total).toBe(12);
    expect(all.taskTypes).toEqual(['clean', 'heat', 'pick']);
    expect(all.stages).toEqual(['eval-seen', 'train']);
    expect(all.updates).toEqual([0, 1]);
    expect(all.items.find((i) => i.id === 'traj-4')?.annotated).toBe(2);
    expect(all.items[1]).toMatchObject({ index: 1, id: 'traj-1', taskType: 'clean', success: true, steps: 3, invalidSteps: 1, stage: 'train', update: 0, split: 'train' });
    const ids = (f: object) => index.query({ ...ALL, ...f }, () => 0).items.map((i) => i.id);
    expect(ids({ outcome: 'failure' })).toEqual(['traj-0', 'traj-3', 'traj-6', 'traj-9']);
    expect(ids({ outcome: 'success', taskType: 'heat' })).toEqual(['traj-2', 'traj-5', 'traj-8', 'traj-11']);
    expect(ids({ split: 'seen' })).toEqual(['traj-0', 'traj-5', 'traj-10']);
    expect(ids({ stage: 'eval-seen', update: 1 })).toHaveLength(6);
    expect(ids({ query: 'APPLE number 7' })).toEqual(['traj-7']);
    // Actions are searched, and every term must appear somewhere: "go to place 4" is only in
    // 5-step trajectories (3, 7, 11); traj-4 has "place" in its actions and "4" in its task id.
    expect(ids({ query: 'place 4' })).toEqual(['traj-3', 'traj-4', 'traj-7', 'traj-11']);
    const page = index.query({ ...ALL, offset: 10, limit: 5 }, () => 0);
    expect([page.total, page.items.map((i) => i.index)]).toEqual([12, [10, 11]]);
  });

  it('keeps a snapshot in the cache: a later open reads it, catches up with new lines, and distrusts it when the file was cut or it is damaged', async () => {
    const file = tempFile('trajectories.jsonl');
    const cache = join(file, '..', 'cache', 'index.json');
    append(file, 0, 50, 0);
    const first = new TrajectoryIndex(file, cache);
    await first.persist();
    expect(first.stats).toMatchObject({ snapshotLoaded: false, snapshotsSaved: 1 });
    const want = first.query(ALL, () => 0);

    const second = new TrajectoryIndex(file, cache);
    await second.refresh();
    expect(second.stats).toMatchObject({ snapshotLoaded: true, bytesScanned: 0, rebuilds: 0 });
    expect(second.query(ALL, () => 0)).toEqual(want);
    expect((await second.read(49))?.id).toBe('traj-49');

    append(file, 50, 5, 1);
    const third = new TrajectoryIndex(file, cache);
    await third.refresh();
    expect(third.stats.snapshotLoaded).toBe(true);
    expect(third.stats.bytesScanned).toBe(statSync(file).size - first.stats.bytesScanned); // only the new lines
    expect(third.query({ ...ALL, update: 1 }, () => 0).items.map((i) => i.index)).toEqual([50, 51, 52, 53, 54]);

    // A resume cut the file and wrote other records over the same bytes: rebuilt from 0.
    truncateSync(file, 0);
    append(file, 900, 50, 7);
    const fourth = new TrajectoryIndex(file, cache);
    await fourth.refresh();
    expect(fourth.stats.rebuilds).toBe(1);
    expect(fourth.query(ALL, () => 0).items.map((i) => i.id)).toEqual(Array.from({ length: 50 }, (_, i) => `traj-${900 + i}`));

    // A damaged snapshot is ignored (only a cache): the file is scanned.
    for (const junk of ['', '{"v":1', 'null', '{"v":1,"end":-5,"lastLine":null,"entries":[]}', '{"v":2,"end":0,"lastLine":null,"entries":[]}']) {
      writeFileSync(cache, junk);
      const fresh = new TrajectoryIndex(file, cache);
      await fresh.refresh();
      expect(fresh.stats.snapshotLoaded, junk).toBe(false);
      expect(fresh.size).toBe(50);
    }
  });

  it('skips a damaged line, waits for a line being written, and re-indexes after a resume cut the file', async () => {
    const file = tempFile('t.jsonl');
    append(file, 0, 3);
    appendFileSync(file, '{"garbage": true}\n');
    append(file, 3, 2);
    const index = new TrajectoryIndex(file);
    await index.refresh();
    expect(index.size).toBe(5);
    expect(index.stats.skipped).toBe(1);

    const size = statSync(file).size;
    appendFileSync(file, '{"schema":"spa-studio/traj'); // a writer mid-line
    await index.refresh();
    expect(index.size).toBe(5);
    truncateSync(file, size); // the next opener repairs the torn tail

    // A resume cuts the log back to its checkpoint and writes different records.
    truncateSync(file, 0);
    append(file, 100, 2);
    await index.refresh();
    expect(index.stats.rebuilds).toBe(1);
    expect(index.query(ALL, () => 0).items.map((i) => i.id)).toEqual(['traj-100', 'traj-101']);
  });
});

describe('log tail', () => {
  it('reads from an offset, stops at the last newline, never splits a character', async () => {
    const file = tempFile('log.txt');
    appendFileSync(file, 'first line\nsecond é line\npartial');
    const a = await readTextFrom(file, 0);
    expect(a.text).toBe('first line\nsecond é line\n');
    appendFileSync(file, ' done\n');
    const b = await readTextFrom(file, a.endOffset);
    expect(b.text).toBe('partial done\n');
    expect(await readTextFrom(file, b.endOffset)).toEqual({ text: '', endOffset: b.endOffset });
    expect(await readTextFrom(join(file, '..', 'missing.txt'), 0)).toEqual({ text: '', endOffset: 0 });
    const euro = Buffer.from('ab€', 'utf8'); // € is 3 bytes
    expect(utf8Boundary(euro, 4)).toBe(2);
    expect(utf8Boundary(euro, 5)).toBe(5);
  });
});
