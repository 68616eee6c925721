import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TRAJECTORY_SCHEMA } from '../../../common/trajectory';
import { encodeRecord } from '../../../engine/storage/append-log';
import { isRunId, makeRunId, slug } from '../../../common/run-id';
import {
  appendRunLog,
  createRun,
  openMetricsLog,
  openTrajectoryLog,
  readMetrics,
  readRunMeta,
  readRunStatus,
  readTrajectories,
  runPaths,
  writeRunStatus,
} from '../../../main/runs/run-folder';
import type { RunTrajectory } from '../../../common/run-schema';

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-runs-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

const date = new Date('2026-11-22T13:40:05.250Z');

describe('run ids', () => {
  it('are readable, sortable and path-safe', () => {
    expect(makeRunId({ env: 'alfworld', method: 'spa', seed: 1, date })).toBe('2026-11-22T13-40-05-alfworld-spa-s1');
    expect(slug('PPO (no PE) / v2')).toBe('ppo-no-pe-v2');
    const dates = ['2026-01-02T00:00:00Z', '2025-12-31T23:59:59Z', '2026-01-01T09:05:00Z', '2026-10-01T00:00:00Z'].map((d) => new Date(d));
    const ids = dates.map((d) => makeRunId({ env: 'webshop', method: 'grpo', seed: 0, date: d }));
    expect([...ids].sort()).toEqual([...dates].sort((a, b) => a.getTime() - b.getTime()).map((d) => makeRunId({ env: 'webshop', method: 'grpo', seed: 0, date: d })));
    for (const bad of ['../etc', '2026-11-22T13-40-05-a/b', '2026-11-22T13-40-05', 'x', '2026-11-22T13-40-05-A']) expect(isRunId(bad)).toBe(false);
    expect(() => runPaths('/runs', '../../etc')).toThrow('not a run id');
    expect(() => makeRunId({ env: 'alfworld', method: 'spa', seed: -1 })).toThrow('non-negative integer');
  });
});

describe('run folder', () => {
  it('creates the layout; the same second gives a unique id', async () => {
    const runsDir = tempDir();
    const run = { env: 'alfworld' as const, method: 'spa', preset: 'tiny', seed: 1, config: { lr: 1e-5, updates: 200 }, date };
    const a = await createRun(runsDir, run);
    const b = await createRun(runsDir, { ...run, name: 'second' });
    expect(a.meta.id).toBe('2026-11-22T13-40-05-alfworld-spa-s1');
    expect(b.meta.id).toBe('2026-11-22T13-40-05-alfworld-spa-s1-2');
    expect(readdirSync(a.paths.dir).sort()).toEqual(['checkpoints', 'config.json', 'log.txt', 'metrics.jsonl', 'status.json', 'trajectories.jsonl']);
    expect(await readRunMeta(a.paths.dir)).toEqual({
      schema: 'spa-studio/run@1',
      id: a.meta.id,
      name: a.meta.id,
      env: 'alfworld',
      method: 'spa',
      preset: 'tiny',
      seed: 1,
      createdAt: '2026-11-22T13:40:05.250Z',
      config: { lr: 1e-5, updates: 200 },
    });
    expect((await readRunMeta(b.paths.dir)).name).toBe('second');
    expect(await readRunStatus(a.paths.dir)).toMatchObject({ status: 'created', step: null, backend: null, lineage: {}, summary: {} });
  });

  it('merges status updates, keeping lineage and summary scalars', async () => {
    const { paths } = await createRun(tempDir(), { env: 'webshop', method: 'ppo', seed: 2, config: {}, date });
    await writeRunStatus(paths.dir, { status: 'running', backend: 'wasm', lineage: { sftRun: '2026-11-20T10-00-00-webshop-sft-s2' } });
    const s = await writeRunStatus(paths.dir, { step: 40, summary: { 'charts/success_rate': 0.25, 'losses/value_loss': Infinity }, lineage: { stageKeys: { sft: 'ab' } } }, new Date('2026-11-22T15:00:00Z'));
    expect(s).toEqual({
      schema: 'spa-studio/run-status@1',
      status: 'running',
      updatedAt: '2026-11-22T15:00:00.000Z',
      backend: 'wasm',
      step: 40,
      message: null,
      lineage: { sftRun: '2026-11-20T10-00-00-webshop-sft-s2', stageKeys: { sft: 'ab' } },
      summary: { 'charts/success_rate': 0.25, 'losses/value_loss': null },
    });
    expect(await readRunStatus(paths.dir)).toEqual(s);
  });

  it('metrics: {step, ...metrics, t} per line; resume drops what came after the checkpoint', async () => {
    const { paths } = await createRun(tempDir(), { env: 'virtualhome', method: 'spa', seed: 3, config: {}, date });
    const m = openMetricsLog(paths.dir);
    m.write(1, { 'losses/policy_loss': 0.5, 'charts/SPS': NaN }, 1000);
    expect(() => m.write(2, { t: 1 })).toThrow('"t" is reserved');
    for (let step = 2; step <= 10; step++) m.write(step, { 'losses/policy_loss': step / 4 }, 1000 + step);
    m.close();
    const firstLine = readFileSync(paths.metrics, 'utf8').split('\n')[0] as string;
    expect(firstLine).toBe(encodeRecord({ step: 1, 'losses/policy_loss': 0.5, 'charts/SPS': null, t: 1000 }));
    expect(firstLine.startsWith('{"step":1,"losses/policy_loss":0.5,"charts/SPS":null,"t":1000,"crc":"')).toBe(true);

    // Crash after step 10 (last checkpoint at step 6) with a torn line; the resumed run re-logs 7…12.
    appendFileSync(paths.metrics, '{"step":11,"losses/po');
    const resumed = openMetricsLog(paths.dir, { resumeFrom: 6 });
    expect(resumed.log.openReport).toEqual({ tornBytes: 21, droppedRecords: 4, keptRecords: 6 });
    for (let step = 7; step <= 12; step++) resumed.write(step, { 'losses/policy_loss': step }, 2000 + step);
    resumed.close();
    const r = await readMetrics(paths.dir);
    expect(r.records.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.records[7]).toEqual({ step: 8, 'losses/policy_loss': 8, t: 2008 });
    expect(r.skipped).toBe(0);
    const tail = await readMetrics(paths.dir, r.endOffset);
    expect(tail.records).toEqual([]);
  });

  it('trajectories: Trajectory records with update and per-step contribution/fusedReward; invalid ones are skipped with the field named', async () => {
    const { paths } = await createRun(tempDir(), { env: 'alfworld', method: 'spa', seed: 4, config: {}, date });
    const traj: RunTrajectory = {
      schema: TRAJECTORY_SCHEMA,
      id: 't-1',
      env: 'alfworld',
      split: 'train',
      taskId: 'alfworld/v1/train/0',
      taskType: 'pick_and_place',
      goal: 'put a mug in the cabinet',
      policy: '2026-11-22T13-40-05-alfworld-spa-s4',
      seed: 0,
      initialObservation: 'You are in the middle of a room.',
      steps: [
        {
          text: 'Thought: find a mug.\nAction: go to countertop 1',
          thought: 'find a mug.',
          action: 'go to countertop 1',
          observation: 'Observation: On the countertop 1, you see a mug 1.',
          valid: true,
          reward: 0,
          progress: 0.25,
          contribution: 0.125,
          fusedReward: 0.625,
        },
      ],
      finalReward: 1,
      success: true,
      terminated: true,
      truncated: false,
      update: 3,
    };
    const log = openTrajectoryLog(paths.dir);
    log.append(traj);
    log.append({ ...traj, id: 't-2', env: 'minecraft' } as unknown as RunTrajectory);
    log.append({ ...traj, id: 't-3', update: 5 });
    log.close();
    const r = await readTrajectories(paths.dir);
    expect(r.records).toEqual([traj, { ...traj, id: 't-3', update: 5 }]);
    expect(r.skipped).toBe(1);
    expect(r.problems[0]?.reason).toMatch(/^rejected: at env: /);

    const resumed = openTrajectoryLog(paths.dir, { resumeFrom: 4 });
    expect(resumed.openReport.droppedRecords).toBe(1); // t-3 (update 5); the invalid line stays skipped
    resumed.close();
  });

  it('log.txt gets one timestamped line per message', async () => {
    const { paths } = await createRun(tempDir(), { env: 'alfworld', method: 'sft', seed: 5, config: {}, date });
    appendRunLog(paths.dir, 'resumed from step-40', new Date('2026-11-22T16:00:00Z'));
    appendRunLog(paths.dir, 'checkpoint step-50 skipped:\ncorrupt', new Date('2026-11-22T16:00:01Z'));
    expect(readFileSync(paths.log, 'utf8')).toBe(
      '2026-11-22T16:00:00.000Z resumed from step-40\n2026-11-22T16:00:01.000Z checkpoint step-50 skipped:\n    corrupt\n',
    );
  });
});
