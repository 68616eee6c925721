/** A grid's evidence: a completed run without its weights and training rollouts, packed, and restored into another data folder. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunTrajectory } from '../../../common/run-schema';
import { expertTrajectories } from '../../../envs/expert-data';
import { createRun, openMetricsLog, openTrajectoryLog, readTrajectories, writeRunStatus } from '../../../main/runs/run-folder';
import { evidenceArchive, packRunEvidence, packSessions, restoreEvidence } from '../../../main/services/grid-evidence';
import { gridSessionsDir } from '../../../main/services/reproduce-sessions';

const root = mkdtempSync(join(tmpdir(), 'spa-evidence-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function completedRun(dataDir: string) {
  const { paths, meta } = await createRun(join(dataDir, 'runs'), { env: 'virtualhome', method: 'spa', preset: 'smoke', seed: 1, config: { any: 'thing' }, date: new Date('2026-11-23T10:00:00Z') });
  const experts = [...expertTrajectories({ env: 'virtualhome', split: 'train', count: 5, start: 0 })];
  const log = openTrajectoryLog(paths.dir);
  experts.forEach((t, i) => log.append({ ...t, id: `r-${i}`, stage: i < 3 ? 'explore' : i === 3 ? 'eval-seen' : 'eval-unseen' } as RunTrajectory));
  log.append({ ...experts[0]!, id: 'rl-0', stage: 'train', update: 2 } as RunTrajectory);
  log.close();
  const metrics = openMetricsLog(paths.dir);
  metrics.write(1, { 'eval/success_rate_seen': 0.5 });
  metrics.close();
  mkdirSync(join(paths.checkpoints, 'step-1'), { recursive: true });
  writeFileSync(join(paths.checkpoints, 'step-1', 'weights.bin'), Buffer.alloc(4096, 7));
  writeFileSync(join(paths.dir, 'stages.json'), JSON.stringify({ completed: [] }));
  await writeRunStatus(paths.dir, { status: 'completed' });
  mkdirSync(gridSessionsDir(dataDir), { recursive: true });
  writeFileSync(join(gridSessionsDir(dataDir), '2026-11-23T10-00-00-000Z-1.json'), '{"session":1}');
  return { id: meta.id, dir: paths.dir };
}

describe('grid evidence', () => {
  it('keeps config, status, stages, metrics, log and only the evaluation episodes; restores them into an empty data folder, once', async () => {
    const source = join(root, 'source');
    const { id, dir } = await completedRun(source);
    const evidence = join(root, 'evidence');
    const packed = await packRunEvidence(source, id, evidence);
    expect(packed).toMatchObject({ file: evidenceArchive(evidence, id), trajectories: 2 });
    const entries: string[] = [];
    await tar.list({ file: packed.file, onReadEntry: (e) => void entries.push(e.path) });
    expect(entries.sort()).toEqual([`${id}/`, `${id}/config.json`, `${id}/log.txt`, `${id}/metrics.jsonl`, `${id}/stages.json`, `${id}/status.json`, `${id}/trajectories.jsonl`].sort());
    expect(await packSessions(source, evidence)).toBe(1);

    const target = join(root, 'target');
    expect(await restoreEvidence(evidence, target)).toEqual({ restored: [id], sessions: 1 });
    const back = join(target, 'runs', id);
    for (const f of ['config.json', 'status.json', 'stages.json', 'metrics.jsonl']) expect(readFileSync(join(back, f), 'utf8'), f).toBe(readFileSync(join(dir, f), 'utf8'));
    const read = await readTrajectories(back);
    expect(read.skipped).toBe(0); // each line kept byte for byte, its CRC still right
    expect(read.records.map((t) => [t.id, t.stage])).toEqual([['r-3', 'eval-seen'], ['r-4', 'eval-unseen']]);
    expect(existsSync(join(back, 'checkpoints'))).toBe(false);
    expect(readdirSync(join(target, 'runs'))).toEqual([id]); // no staging folder left behind
    expect(readFileSync(join(gridSessionsDir(target), '2026-11-23T10-00-00-000Z-1.json'), 'utf8')).toBe('{"session":1}');

    // A folder already there is never overwritten (it may hold the weights the archive lacks).
    writeFileSync(join(back, 'log.txt'), 'local');
    expect(await restoreEvidence(evidence, target)).toEqual({ restored: [], sessions: 0 });
    expect(readFileSync(join(back, 'log.txt'), 'utf8')).toBe('local');
  });

  it('refuses an archive with entries outside its run folder, restoring nothing of it', async () => {
    const source = join(root, 'hostile-source');
    const { id } = await completedRun(source);
    const evidence = join(root, 'hostile-evidence');
    const file = evidenceArchive(evidence, id);
    mkdirSync(join(evidence, 'runs'), { recursive: true });
    writeFileSync(join(source, 'runs', 'other.txt'), 'not a run file');
    await tar.create({ gzip: true, cwd: join(source, 'runs'), file }, [id, 'other.txt']);
    const target = join(root, 'hostile-target');
    await expect(restoreEvidence(evidence, target)).rejects.toThrow(/entries outside .*: other\.txt/);
    expect(readdirSync(join(target, 'runs'))).toEqual([]);
  });

  it('names an archive that is not a run', async () => {
    const evidence = join(root, 'bad-name');
    mkdirSync(join(evidence, 'runs'), { recursive: true });
    writeFileSync(join(evidence, 'runs', 'notes.tar.gz'), '');
    await expect(restoreEvidence(evidence, join(root, 'bad-name-target'))).rejects.toThrow(/notes\.tar\.gz: not named after a run id/);
  });
});
