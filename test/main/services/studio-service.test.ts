import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRequest, type ChannelName, type Request, type Response, type StudioEvent } from '../../../common/ipc-contract';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { runPaths, workspacePaths } from '../../../main/runs/run-folder';
import { callService, createStudioService, type StudioService } from '../../../main/services/studio-service';
import { FakeLauncher } from '../../helpers/fake-launcher';
import { WEBSHOP_SFT_DOC } from '../io/fixtures';

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-service-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

/** Calls a channel the way the transports do: request validated by the contract first. */
function call<C extends ChannelName>(service: StudioService, channel: C, request: Request<C>): Promise<Response<C>> {
  return callService(service, channel, parseRequest<C>(channel, request).request);
}

async function open(dataDir = tempDir()) {
  const launcher = new FakeLauncher(workspacePaths(dataDir).runsDir);
  const service = await createStudioService({ dataDir, launcher, mode: 'cli', version: '9.9.9' });
  const events: StudioEvent[] = [];
  service.subscribe((e) => events.push(e));
  return { dataDir, launcher, service, events };
}

const config = defaultRunConfig('alfworld', 'spa', 'smoke', 1);

describe('studio service', () => {
  it('starts runs through the launcher, lists them newest first and relays events', async () => {
    const { service, launcher, events } = await open();
    const a = await call(service, 'runs.start', { config, name: 'first' });
    const b = await call(service, 'runs.start', { config: { ...config, seed: 2 } });
    expect(launcher.calls).toEqual(['start', 'start']);
    const list = await call(service, 'runs.list', {});
    expect(list.runs.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(list.runs[1]).toMatchObject({ name: 'first', status: 'running', env: 'alfworld', method: 'spa' });
    expect(events.filter((e) => e.type === 'catalog.changed')).toHaveLength(2);
    expect(events.some((e) => e.type === 'run.status' && e.id === a.id && e.status.status === 'running')).toBe(true);
    launcher.writeUpdates(a.id, 1, 1);
    expect(events.at(-1)).toEqual({ type: 'run.appended', id: a.id, files: ['metrics', 'trajectories', 'log'] });
    await launcher.finish(a.id);
    await new Promise((r) => setTimeout(r, 50)); // the catalog refresh after run.status is async
    expect((await call(service, 'runs.list', {})).runs.find((r) => r.id === a.id)?.status).toBe('completed');
    expect(await call(service, 'runs.get', { id: a.id })).toMatchObject({ meta: { id: a.id, name: 'first' }, status: { status: 'completed' } });
    expect(await call(service, 'app.info', {})).toEqual({ version: '9.9.9', dataDir: expect.any(String), mode: 'cli', backend: { name: 'wasm', reason: 'fake launcher' } });
    await expect(call(service, 'runs.get', { id: '2026-01-01T00-00-00-alfworld-spa-s9' })).rejects.toThrow(/no run/);
  });

  it('tails metrics and the log from byte offsets', async () => {
    const { service, launcher } = await open();
    const { id } = await call(service, 'runs.start', { config });
    launcher.writeUpdates(id, 3, 1);
    const first = await call(service, 'runs.metrics', { id });
    expect(first.records.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(first.records[2]).toMatchObject({ 'charts/success_rate': 2 / 3, 'losses/policy_loss': 1 / 3 });
    launcher.writeUpdates(id, 2, 1, 3);
    const next = await call(service, 'runs.metrics', { id, from: first.endOffset });
    expect(next.records.map((r) => r.step)).toEqual([3, 4]);
    expect((await call(service, 'runs.metrics', { id, from: next.endOffset })).records).toEqual([]);
    const log = await call(service, 'runs.log', { id });
    expect(log.text.trim().split('\n')).toHaveLength(5);
    expect(log.text).toContain('update 4 done');
    expect((await call(service, 'runs.log', { id, from: log.endOffset })).text).toBe('');
  });

  it('pages and filters trajectories, reads one by index, and counts annotated steps', async () => {
    const { service, launcher } = await open();
    const { id } = await call(service, 'runs.start', { config });
    launcher.writeUpdates(id, 4, 5);
    const page = await call(service, 'runs.trajectories', { id, filter: { outcome: 'failure', stage: 'eval-seen', limit: 3 } });
    expect(page.total).toBe(4); // failures (every third) among updates 1 and 3: 6, 9, 15, 18
    expect(page.items.map((i) => [i.id, i.update, i.success])).toEqual([
      ['traj-6', 1, false],
      ['traj-9', 1, false],
      ['traj-15', 3, false],
    ]);
    expect(page.stages).toEqual(['eval-seen', 'train']);
    expect(page.updates).toEqual([0, 1, 2, 3]);
    const one = await call(service, 'runs.trajectory', { id, index: 6 });
    expect(one.trajectory.id).toBe('traj-6');
    expect(one.annotations).toEqual([]);
    await expect(call(service, 'runs.trajectory', { id, index: 20 })).rejects.toThrow(/has no trajectory 20 \(it has 20\)/);
    launcher.writeUpdates(id, 1, 5, 4); // more arrive while the UI is open
    expect((await call(service, 'runs.trajectories', { id })).total).toBe(25);
  });

  it('annotations are durable: they survive a new service instance; the latest wins; an empty one clears', async () => {
    const first = await open();
    const { id } = await call(first.service, 'runs.start', { config });
    first.launcher.writeUpdates(id, 1, 3);
    await first.launcher.finish(id);
    const note = { trajectoryId: 'traj-1', step: 0, label: 'helps', correctedContribution: 0.4, comment: 'right move' } as const;
    const saved = await call(first.service, 'runs.annotate', { id, annotation: note });
    expect(saved.annotation).toMatchObject(note);
    await call(first.service, 'runs.annotate', { id, annotation: { ...note, step: 1, label: 'hurts', comment: '' } });
    await call(first.service, 'runs.annotate', { id, annotation: { ...note, step: 1, label: 'neutral', comment: 'on second thought' } });
    await call(first.service, 'runs.annotate', { id, annotation: { trajectoryId: 'traj-1', step: -1, label: 'neutral', correctedContribution: null, comment: '' } });
    await call(first.service, 'runs.annotate', { id, annotation: { trajectoryId: 'traj-1', step: -1, label: null, correctedContribution: null, comment: '' } });
    await expect(call(first.service, 'runs.annotate', { id, annotation: { ...note, trajectoryId: 'nope' } })).rejects.toThrow(/no trajectory "nope"/);
    await expect(call(first.service, 'runs.annotate', { id, annotation: { ...note, step: 3 } })).rejects.toThrow(/past the trajectory's last step \(2\)/);
    await first.service.close();
    // Five lines on disk, each CRC-checked.
    const lines = readFileSync(runPaths(workspacePaths(first.dataDir).runsDir, id).annotations, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.every((l) => /"crc":"[0-9a-f]{8}"}$/.test(l))).toBe(true);

    const second = await open(first.dataDir);
    const back = await call(second.service, 'runs.trajectory', { id, index: 1 });
    expect(back.annotations.map((a) => [a.step, a.label, a.comment])).toEqual([
      [0, 'helps', 'right move'],
      [1, 'neutral', 'on second thought'],
    ]);
    const list = await call(second.service, 'runs.trajectories', { id });
    expect(list.items.map((i) => i.annotated)).toEqual([0, 2, 0]);
  });

  it('delete is refused while the run is active, then removes folder and entry; archive flags it', async () => {
    const { service, launcher, events, dataDir } = await open();
    const { id } = await call(service, 'runs.start', { config });
    await expect(call(service, 'runs.delete', { id, confirm: true })).rejects.toThrow(/running; cancel it/);
    await expect(call(service, 'runs.archive', { id, archived: true })).rejects.toThrow(/running/);
    expect(() => parseRequest('runs.delete', { id })).toThrow(/confirm/);
    await call(service, 'runs.cancel', { id });
    expect((await call(service, 'runs.get', { id })).status.status).toBe('cancelled');
    await call(service, 'runs.archive', { id, archived: true });
    expect((await call(service, 'runs.list', {})).runs[0]).toMatchObject({ id, archived: true });
    await call(service, 'runs.archive', { id, archived: false });
    expect((await call(service, 'runs.list', {})).runs[0]!.archived).toBeUndefined();
    const changes = events.filter((e) => e.type === 'catalog.changed').length;
    await call(service, 'runs.delete', { id, confirm: true });
    expect(existsSync(join(workspacePaths(dataDir).runsDir, id))).toBe(false);
    expect((await call(service, 'runs.list', {})).runs).toEqual([]);
    expect(events.filter((e) => e.type === 'catalog.changed').length).toBe(changes + 1);
    expect(launcher.calls).toEqual(['start', 'cancel']);
  });

  it('resume goes to the launcher unless the run is completed', async () => {
    const { service, launcher } = await open();
    const { id } = await call(service, 'runs.start', { config });
    await expect(call(service, 'runs.resume', { id })).rejects.toThrow(/already running/);
    await launcher.finish(id, 'crashed');
    await call(service, 'runs.resume', { id });
    expect(launcher.isActive(id)).toBe(true);
    await launcher.finish(id, 'completed');
    await expect(call(service, 'runs.resume', { id })).rejects.toThrow(/completed/);
  });

  it('on open, marks runs left running as crashed and reports a corrupt catalog', async () => {
    const first = await open();
    const { id } = await call(first.service, 'runs.start', { config }); // its folder says "running"
    // The process died; a new one opens the folder. (A copy: this process caches its catalogs by path.)
    const dataDir = tempDir();
    cpSync(first.dataDir, dataDir, { recursive: true });
    writeFileSync(workspacePaths(dataDir).catalogFile, '{ not json');
    const { service } = await open(dataDir);
    const list = await call(service, 'runs.list', {});
    expect(list.runs[0]).toMatchObject({ id, status: 'crashed' });
    expect(list.warnings[0]).toMatch(/catalog\.json could not be read: it is not valid JSON/);
    expect(list.warnings.join(' ')).toMatch(/still marked running .* now marked crashed/);
    expect((await call(service, 'runs.get', { id })).status.status).toBe('crashed');
  });

  it('imports a file as a new run; a file with no valid record creates nothing', async () => {
    const { service, events, dataDir } = await open();
    const result = await call(service, 'runs.import', { fileName: '/home/me/webshop_sft.json', text: WEBSHOP_SFT_DOC });
    expect(result).toMatchObject({ format: 'spa-rl-sft', trajectories: 1, skipped: 0 });
    expect(events.at(-1)).toEqual({ type: 'catalog.changed' });
    const run = await call(service, 'runs.get', { id: result.runId });
    expect(run.meta).toMatchObject({ env: 'webshop', method: 'import', preset: null, seed: 0, name: 'webshop_sft.json' });
    expect(run.status.status).toBe('completed');
    const t = await call(service, 'runs.trajectory', { id: result.runId, index: 0 });
    expect(t.trajectory.stage).toBe('import');

    const runsBefore = readdirSync(workspacePaths(dataDir).runsDir);
    const bad = JSON.stringify([{ id: 0, conversations: [{ from: 'human', value: 'hi' }] }]);
    await expect(call(service, 'runs.import', { fileName: 'bad.json', text: bad })).rejects.toThrow(/bad\.json was not imported: no valid record .*record \[0\]: at conversations: /);
    await expect(call(service, 'runs.import', { fileName: 'x.csv', text: 'a,b\n1,2' })).rejects.toThrow(/not JSON/);
    expect(readdirSync(workspacePaths(dataDir).runsDir)).toEqual(runsBefore);
    expect((await call(service, 'runs.list', {})).runs).toHaveLength(1);
  });

  it('exports a run with its annotations, and the export imports back as an equal run', async () => {
    const { service, launcher } = await open();
    const { id } = await call(service, 'runs.start', { config });
    launcher.writeUpdates(id, 2, 3);
    await launcher.finish(id);
    await call(service, 'runs.annotate', { id, annotation: { trajectoryId: 'traj-3', step: 2, label: 'hurts', correctedContribution: -0.2, comment: 'loops' } });
    const file = await call(service, 'runs.export', { id, format: 'studio' });
    expect(file.fileName).toBe(`${id}.trajectories.jsonl`);
    const imported = await call(service, 'runs.import', { fileName: file.fileName, text: file.text });
    expect(imported.trajectories).toBe(6);
    for (let i = 0; i < 6; i++) {
      const a = await call(service, 'runs.trajectory', { id, index: i });
      const b = await call(service, 'runs.trajectory', { id: imported.runId, index: i });
      const { update: _u, stage: _s, ...orig } = a.trajectory;
      expect(b.trajectory).toEqual({ ...orig, stage: 'import' });
      expect(b.annotations).toEqual(a.annotations);
    }
    const sft = await call(service, 'runs.export', { id, format: 'spa-rl-sft' });
    expect(JSON.parse(sft.text)).toHaveLength(6);
  });

  it('config.defaults gives the preset with an estimate; config.validate names every bad field', async () => {
    const { service } = await open();
    const d = await call(service, 'config.defaults', { env: 'webshop', method: 'ppo', preset: 'quick' });
    expect(d.config).toMatchObject({ env: 'webshop', method: 'ppo', preset: 'quick', seed: 0 });
    expect(d.estimateSeconds).toBeGreaterThan(0);
    expect(d.estimateNote).toMatch(/wasm/);
    expect(await call(service, 'config.validate', { config: d.config })).toEqual({ ok: true, errors: [] });
    const bad = { ...d.config, model: { ...d.config.model, nHeads: 7 }, ppo: { ...d.config.ppo, gamma: 2 } };
    const v = await call(service, 'config.validate', { config: bad });
    expect(v.ok).toBe(false);
    expect(v.errors.map((e) => e.path).sort()).toEqual(['model.nHeads', 'ppo.gamma']);
    expect((await call(service, 'config.validate', { config: 'nope' })).errors).toEqual([{ path: '(root)', message: expect.any(String) }]);
  });
});

