import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, completeStage, lookupStage, openStage, stageDir, stageKey, withStageLock } from '../../../main/runs/stage-cache';

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-cache-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

describe('canonical JSON and stage keys', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: -0, c: 'é"\n' })).toBe('{"b":0,"c":"é\\"\\n"}');
    expect(() => canonicalJson({ lr: NaN })).toThrow('canonical JSON cannot hold NaN');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('cannot hold a function');
  });

  it('is sha256 of the canonical {stage, slice, inputs}', () => {
    // sha256('{"inputs":{},"slice":{"a":1},"stage":"sft"}'), computed with Python's hashlib.
    expect(stageKey('sft', { a: 1 })).toBe('f1de028160c7d2aac66cd53f2adafcc10d4ef35d5bd3130d0275532d1f7b7728');
  });

  it('does not depend on key order, and changes with anything that matters', () => {
    const a = stageKey('sft', { lr: 1e-4, epochs: 3, model: { d: 128, layers: 2 } }, { data: 'abc', tokenizer: 'def' });
    const b = stageKey('sft', { model: { layers: 2, d: 128 }, epochs: 3, lr: 0.0001 }, { tokenizer: 'def', data: 'abc' });
    expect(a).toBe(b);
    expect(stageKey('sft', { lr: 1e-4, epochs: 4, model: { d: 128, layers: 2 } }, { data: 'abc', tokenizer: 'def' })).not.toBe(a);
    expect(stageKey('sft', { lr: 1e-4, epochs: 3, model: { d: 128, layers: 2 } }, { data: 'abd', tokenizer: 'def' })).not.toBe(a);
    expect(stageKey('explore', { lr: 1e-4, epochs: 3, model: { d: 128, layers: 2 } }, { data: 'abc', tokenizer: 'def' })).not.toBe(a);
    expect(() => stageKey('../sft', {})).toThrow('stage names');
    expect(() => stageDir('/c', 'sft', '../../etc')).toThrow('not a stage key');
  });
});

describe('stage folders', () => {
  it('new → partial → done, with done.json written last and checked on lookup', async () => {
    const cache = tempDir();
    const req = { stage: 'sft', slice: { lr: 1e-4 }, inputs: { data: 'k1' } };
    const first = await openStage(cache, req);
    expect(first).toMatchObject({ state: 'new', done: null });
    expect(first.dir).toBe(join(cache, 'sft', stageKey('sft', { lr: 1e-4 }, { data: 'k1' })));
    expect(JSON.parse(readFileSync(join(first.dir, 'stage.json'), 'utf8'))).toEqual({ stage: 'sft', key: first.key, slice: { lr: 1e-4 }, inputs: { data: 'k1' } });

    // The producer writes, crashes, and a later producer finds its leftovers.
    mkdirSync(join(first.dir, 'checkpoints', 'step-4'), { recursive: true });
    writeFileSync(join(first.dir, 'checkpoints', 'step-4', 'model.json'), '{"a":1}');
    expect((await openStage(cache, req)).state).toBe('partial');
    writeFileSync(join(first.dir, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    const done = await completeStage(cache, 'sft', first.key, '2026-11-22T13-40-05-alfworld-sft-s1', new Date('2026-11-22T14:00:00Z'));
    expect(done.files.map((f) => [f.path, f.bytes])).toEqual([
      ['checkpoints/step-4/model.json', 7],
      ['stage.json', readFileSync(join(first.dir, 'stage.json')).length],
      ['weights.bin', 4],
    ]);
    const hit = await openStage(cache, req);
    expect(hit).toMatchObject({ state: 'done', done: { producedBy: '2026-11-22T13-40-05-alfworld-sft-s1', completedAt: '2026-11-22T14:00:00.000Z' } });

    // A flipped byte keeps the size: only the sha256 lookup sees it.
    writeFileSync(join(first.dir, 'weights.bin'), Buffer.from([1, 2, 3, 5]));
    expect((await lookupStage(cache, 'sft', first.key)).done).not.toBeNull();
    expect(await lookupStage(cache, 'sft', first.key, 'sha256')).toEqual({ done: null, reason: 'weights.bin does not match its sha256' });
    // Truncation is caught by the default size check; reopening discards the stale marker.
    truncateSync(join(first.dir, 'weights.bin'), 2);
    expect(await lookupStage(cache, 'sft', first.key)).toEqual({ done: null, reason: 'weights.bin has 2 bytes, done.json says 4' });
    expect((await openStage(cache, req)).state).toBe('partial');
    expect(existsSync(join(first.dir, 'done.json'))).toBe(false);
  });

  it('a torn done.json is not a hit', async () => {
    const cache = tempDir();
    const s = await openStage(cache, { stage: 'explore', slice: { k: 8 } });
    await completeStage(cache, 'explore', s.key, null);
    const p = join(s.dir, 'done.json');
    writeFileSync(p, readFileSync(p, 'utf8').slice(0, 40));
    const r = await lookupStage(cache, 'explore', s.key);
    expect(r.done).toBeNull();
    expect(r.reason).toMatch(/^done\.json is not valid JSON/);
  });
});

describe('the stage lock (one producer per key, across processes)', () => {
  const slice = { holder: true };

  it('makes a producer in this process wait for one in another, then find the stage done', async () => {
    const cache = tempDir();
    const fixture = join(import.meta.dirname, 'fixtures', 'stage-lock-holder.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, cache, 'sft', '1500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('LOCKED') && resolve());
      child.on('exit', (code) => reject(new Error(`holder exited (${code}) before locking`)));
    });
    let waited = false;
    const seen = await withStageLock(cache, 'sft', stageKey('sft', slice), () => openStage(cache, { stage: 'sft', slice }), { onWait: () => (waited = true), pollMs: 50 });
    expect(waited).toBe(true);
    expect(seen?.state).toBe('done');
    expect(seen?.done?.producedBy).toBe(`pid-${child.pid}`);
    expect(await exited).toBe(0);
  }, 20_000);

  it('takes over the lock of a producer that died (stale), without waiting', async () => {
    const cache = tempDir();
    const key = stageKey('sft', slice);
    const lockDir = `${stageDir(cache, 'sft', key)}.lock`;
    mkdirSync(lockDir, { recursive: true });
    const old = new Date(Date.now() - 120_000);
    utimesSync(lockDir, old, old);
    let waited = false;
    expect(await withStageLock(cache, 'sft', key, async () => 'ran', { onWait: () => (waited = true) })).toBe('ran');
    expect(waited).toBe(false);
    expect(existsSync(lockDir)).toBe(false); // released
  });

  it('serialises two producers of one process without their queue, and stops waiting when cancelled', async () => {
    const cache = tempDir();
    const key = stageKey('sft', slice);
    let inside = 0;
    let most = 0;
    const produce = () =>
      withStageLock(cache, 'sft', key, async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 200));
        inside--;
        return true;
      }, { pollMs: 20 });
    expect(await Promise.all([produce(), produce()])).toEqual([true, true]);
    expect(most).toBe(1);

    let cancel = false;
    let ran = false;
    const holder = withStageLock(cache, 'sft', key, () => new Promise<boolean>((r) => setTimeout(() => r(true), 300)));
    await new Promise((r) => setTimeout(r, 50));
    const waiter = withStageLock(cache, 'sft', key, async () => (ran = true), { pollMs: 20, cancelled: () => cancel });
    setTimeout(() => (cancel = true), 100);
    expect(await waiter).toBeNull();
    expect(ran).toBe(false);
    expect(await holder).toBe(true);
  });
});
