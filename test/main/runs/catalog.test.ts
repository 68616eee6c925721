import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSONFile } from 'lowdb/node';
import { afterAll, describe, expect, it } from 'vitest';
import { rebuildCatalog, RunCatalog } from '../../../main/runs/catalog';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { createRun, ownedElsewhere, readRunStatus, runPaths, workspacePaths, writeRunStatus, type NewRun } from '../../../main/runs/run-folder';
import { createSupervisor } from '../../../main/jobs/supervisor';

const roots: string[] = [];
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'spa-catalog-'));
  roots.push(root);
  const ws = workspacePaths(root);
  return { root, ...ws, loc: { file: ws.catalogFile, runsDir: ws.runsDir } };
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

const run = (seed: number, minute: number): NewRun => ({
  env: 'alfworld',
  method: 'spa',
  preset: 'tiny',
  seed,
  config: { updates: 10 },
  date: new Date(Date.UTC(2026, 10, 22, 13, minute, 0)),
});

describe('catalog', () => {
  it('starts empty on a JSONFile adapter, lists created runs and follows status changes', async () => {
    const ws = workspace();
    const { catalog, warnings } = await RunCatalog.open(ws.loc);
    expect(warnings).toEqual([]);
    expect(catalog.adapter).toBeInstanceOf(JSONFile); // not lowdb's in-memory adapter under NODE_ENV=test
    expect(JSON.parse(readFileSync(ws.catalogFile, 'utf8'))).toEqual({ schema: 'spa-studio/catalog@1', runs: [] });

    const a = await catalog.create(run(1, 1));
    const b = await catalog.create({ ...run(2, 0), lineage: { sftRun: a.id } });
    expect(catalog.list().map((r) => r.id)).toEqual(['2026-11-22T13-00-00-alfworld-spa-s2', '2026-11-22T13-01-00-alfworld-spa-s1']);
    const updated = await catalog.setStatus(a.id, { status: 'completed', step: 10, backend: 'wasm', summary: { 'eval/success_rate': 0.5 } }, new Date('2026-11-22T14:00:00Z'));
    expect(updated).toEqual({
      id: a.id,
      name: a.id,
      env: 'alfworld',
      method: 'spa',
      preset: 'tiny',
      seed: 1,
      status: 'completed',
      backend: 'wasm',
      step: 10,
      message: null,
      createdAt: '2026-11-22T13:01:00.000Z',
      updatedAt: '2026-11-22T14:00:00.000Z',
      lineage: {},
      summary: { 'eval/success_rate': 0.5 },
    });
    expect((await readRunStatus(join(ws.runsDir, a.id))).status).toBe('completed'); // the folder first
    expect(catalog.get(b.id)?.lineage).toEqual({ sftRun: a.id });
    // The file is what the folders say.
    expect(JSON.parse(readFileSync(ws.catalogFile, 'utf8'))).toEqual((await rebuildCatalog(ws.runsDir)).data);
  });

  it('serializes concurrent updates through one queue (none lost, file valid)', async () => {
    const ws = workspace();
    const { catalog } = await RunCatalog.open(ws.loc);
    const r = await catalog.create(run(1, 0));
    await Promise.all(Array.from({ length: 30 }, (_, i) => catalog.setStatus(r.id, { summary: { [`m${i}`]: i } })));
    expect(Object.keys(catalog.get(r.id)?.summary ?? {})).toHaveLength(30);
    const onDisk = JSON.parse(readFileSync(ws.catalogFile, 'utf8')) as { runs: { summary: object }[] };
    expect(Object.keys(onDisk.runs[0]?.summary ?? {})).toHaveLength(30);
  });

  it('refuses per-step data: summary values are scalars', async () => {
    const ws = workspace();
    const { catalog } = await RunCatalog.open(ws.loc);
    const r = await catalog.create(run(1, 0));
    await expect(catalog.setStatus(r.id, { summary: { curve: [1, 2, 3] as unknown as number } })).rejects.toThrow();
    expect(catalog.get(r.id)?.summary).toEqual({});
  });

  it('corrupt catalog files are moved aside (never overwritten), reported and rebuilt from the folders', async () => {
    const ws = workspace();
    const { catalog } = await RunCatalog.open(ws.loc);
    for (let i = 0; i < 3; i++) await catalog.create(run(i, i));
    const good = readFileSync(ws.catalogFile, 'utf8');
    const expected = (await rebuildCatalog(ws.runsDir)).data;
    const corpus: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['null', Buffer.from('null')],
      ['array', Buffer.from('[]')],
      ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)])],
      ['invalid UTF-8', Buffer.concat([Buffer.from(good.slice(0, 30)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(good.slice(30))])],
      ['per-step arrays', Buffer.from(good.replace('"summary": {}', '"summary": {"loss": [1, 2, 3]}'))],
      ['other schema', Buffer.from(JSON.stringify({ runs: {} }))],
      ...[1, 17, 100, Math.floor(good.length / 2), good.length - 2].map((n): [string, Buffer] => [`truncated at ${n}`, Buffer.from(good.slice(0, n))]),
    ];
    const now = new Date(Date.UTC(2026, 10, 23, 0, 0, 0)); // the same time for all: names must not collide
    for (const [label, bytes] of corpus) {
      writeFileSync(ws.catalogFile, bytes);
      const opened = await RunCatalog.open(ws.loc, now);
      expect(opened.warnings, label).toHaveLength(1);
      expect(opened.warnings[0], label).toMatch(/^The run catalog catalog\.json could not be read: .+\. It was moved to catalog\.json\.corrupt-2026-11-23T00-00-00\.000Z(-\d+)? and rebuilt from the run folders\.$/);
      expect(opened.catalog.list(), label).toEqual(expected.runs);
      expect(JSON.parse(readFileSync(ws.catalogFile, 'utf8')), label).toEqual(expected);
    }
    // Every bad file is kept, byte for byte, under its own name.
    const aside = readdirSync(ws.root).filter((n) => n.startsWith('catalog.json.corrupt-')).sort();
    expect(aside).toHaveLength(corpus.length);
    expect(aside[0]).toBe('catalog.json.corrupt-2026-11-23T00-00-00.000Z');
    const kept = aside.map((n) => readFileSync(join(ws.root, n)).toString('hex')).sort();
    expect(kept).toEqual(corpus.map(([, b]) => b.toString('hex')).sort());
  });

  it('reconciles with the folders on open: added, deleted, and runs left behind by a crash', async () => {
    const ws = workspace();
    const first = await RunCatalog.open(ws.loc);
    const a = await first.catalog.create(run(1, 0));
    const b = await first.catalog.create(run(2, 1));
    await first.catalog.setStatus(a.id, { status: 'running' });
    // While the app is closed (or between the folder write and the catalog write):
    await writeRunStatus(join(ws.runsDir, a.id), { status: 'completed', step: 10 });
    rmSync(join(ws.runsDir, b.id), { recursive: true });
    const c = await createRun(ws.runsDir, run(3, 2));
    mkdirSync(join(ws.runsDir, '2026-11-22T13-09-00-alfworld-spa-s9')); // creation interrupted before config.json
    mkdirSync(join(ws.runsDir, 'not-a-run'));

    const { catalog, warnings } = await RunCatalog.open(ws.loc);
    expect(catalog.list().map((r) => [r.id, r.status])).toEqual([
      [a.id, 'completed'],
      [c.meta.id, 'created'],
    ]);
    expect(warnings).toEqual(['run folder 2026-11-22T13-09-00-alfworld-spa-s9 skipped: config.json is missing']);
  });

  it('marks runs left "running" by a dead app as crashed, in the folder and the catalog', async () => {
    const ws = workspace();
    const first = await RunCatalog.open(ws.loc);
    const a = await first.catalog.create(run(1, 0));
    const b = await first.catalog.create(run(2, 1));
    await first.catalog.setStatus(a.id, { status: 'running', step: 7 });
    await first.catalog.setStatus(b.id, { status: 'completed' });
    const { catalog } = await RunCatalog.open(ws.loc); // relaunch
    expect(await catalog.markInterruptedRuns()).toEqual([a.id]);
    expect(catalog.get(a.id)).toMatchObject({ status: 'crashed', step: 7, message: 'the process running it ended without reporting (app or worker crash)' });
    expect((await readRunStatus(join(ws.runsDir, a.id))).status).toBe('crashed');
    expect(catalog.get(b.id)?.status).toBe('completed');
  });

  it('refresh re-reads a folder a worker wrote, and drops a deleted one', async () => {
    const ws = workspace();
    const { catalog } = await RunCatalog.open(ws.loc);
    const a = await catalog.create(run(1, 0));
    await writeRunStatus(join(ws.runsDir, a.id), { status: 'running', step: 3 });
    expect(await catalog.refresh(a.id)).toMatchObject({ status: 'running', step: 3 });
    rmSync(join(ws.runsDir, a.id), { recursive: true });
    expect(await catalog.refresh(a.id)).toBeNull();
    expect(catalog.list()).toEqual([]);
    expect(existsSync(ws.catalogFile)).toBe(true);
  });

  it('with 1,000 runs, an update (folder read + catalog write) stays far from blocking (target 50 ms p95: reliability #19 reports it; asserted ≤ 500 ms)', async () => {
    const ws = workspace();
    // Folders written directly (no fsync) to keep the setup fast.
    const { meta, status } = await createRun(ws.runsDir, run(0, 0));
    for (let i = 1; i < 1000; i++) {
      const id = `2026-11-22T13-00-00-alfworld-spa-s0-${i + 1}`;
      mkdirSync(join(ws.runsDir, id));
      writeFileSync(join(ws.runsDir, id, 'config.json'), JSON.stringify({ ...meta, id, name: id }));
      writeFileSync(join(ws.runsDir, id, 'status.json'), JSON.stringify({ ...status, summary: { 'eval/success_rate': i / 1000, 'charts/SPS': 2500 } }));
    }
    const { catalog } = await RunCatalog.open(ws.loc);
    expect(catalog.list()).toHaveLength(1000);
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await catalog.refresh(meta.id);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    const p95 = times[Math.floor(times.length * 0.95)] as number;
    console.log(`catalog of 1000 runs: refresh p50 ${times[20]?.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, file ${readFileSync(ws.catalogFile).length} bytes`);
    // A loaded 2-core CI machine measured 53 ms once: the 50 ms target is a figure, not a test.
    expect(p95).toBeLessThan(500);
  });
});

describe('runs supervised by another process (spa run in a terminal beside the studio)', () => {
  it('are neither marked crashed at startup nor resumed while their owner lives; once it is gone they are', async () => {
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => dead.once('exit', resolve));
    try {
      const ws = workspace();
      const { catalog } = await RunCatalog.open(ws.loc);
      const a = await catalog.create(run(1, 1));
      const b = await catalog.create(run(2, 2));
      const host = hostname();
      await catalog.setStatus(a.id, { status: 'running', owner: { pid: live.pid!, host } });
      await catalog.setStatus(b.id, { status: 'running', owner: { pid: dead.pid!, host } });
      const statusOf = (id: string) => readRunStatus(runPaths(ws.runsDir, id).dir);

      expect(ownedElsewhere(await statusOf(a.id))).toEqual({ pid: live.pid, host });
      expect(ownedElsewhere(await statusOf(b.id))).toBeNull();
      expect(ownedElsewhere({ status: 'running', owner: { pid: process.pid, host } })).toBeNull(); // ours
      expect(ownedElsewhere({ status: 'running', owner: { pid: dead.pid!, host: `${host}-elsewhere` } })).not.toBeNull(); // cannot tell: hands off
      expect(ownedElsewhere({ status: 'completed', owner: { pid: live.pid!, host } })).toBeNull();

      // The app starts: only the orphaned run is marked crashed.
      expect(await catalog.markInterruptedRuns()).toEqual([b.id]);
      expect((await statusOf(a.id)).status).toBe('running');
      expect(await statusOf(b.id)).toMatchObject({ status: 'crashed', owner: null });

      // Resume is refused while the owner lives (no second writer), accepted after.
      const sup = await createSupervisor({ dataDir: ws.root });
      await expect(sup.resume(a.id)).rejects.toThrow(`run ${a.id} is being trained by another process (pid ${live.pid} on ${host})`);
      live.kill('SIGKILL');
      await new Promise((resolve) => live.once('exit', resolve));
      expect(ownedElsewhere(await statusOf(a.id))).toBeNull();
      expect(await catalog.markInterruptedRuns()).toEqual([a.id]);
      await sup.shutdown();
    } finally {
      live.kill('SIGKILL');
    }
  });
});
