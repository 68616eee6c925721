/**
 * The whole pipeline through the supervisor, as `spa run` and the studio use it: child-process
 * workers, run folders, the stage cache shared between methods, and resume after kill -9.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MetricRecord } from '../../../common/run-schema';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { readCompletedStages } from '../../../main/jobs/run-executor';
import { createSupervisor } from '../../../main/jobs/supervisor';
import { readMetrics, readTrajectories, runPaths, trajectoryIndexCacheFile, workspacePaths } from '../../../main/runs/run-folder';
import { TrajectoryIndex } from '../../../main/runs/trajectory-index';

const dataDir = mkdtempSync(join(tmpdir(), 'spa-pipeline-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const runDir = (id: string) => runPaths(workspacePaths(dataDir).runsDir, id).dir;

function smoke(method: Parameters<typeof defaultRunConfig>[1], iterations = 2) {
  const c = defaultRunConfig('virtualhome', method, 'smoke', 3);
  return { ...c, ppo: { ...c.ppo, iterations }, data: { ...c.data, evalTasks: 2 } };
}

const rlRows = (records: MetricRecord[]) => records.filter((r) => r.stage === 'rl').map(({ t: _t, ...r }) => r);

describe('pipeline through the supervisor', () => {
  it('runs SPA end to end, then PPO reuses its data and SFT stages from the cache', async () => {
    const sup = await createSupervisor({ dataDir, throttleMs: 50 });
    const events: string[] = [];
    sup.onEvent((e) => events.push(e.type));
    const spa = await sup.start(smoke('spa'));
    await sup.whenSettled(spa);
    const entry = sup.catalog.get(spa);
    expect(entry?.status, entry?.message ?? '').toBe('completed');
    expect(entry?.backend).toBeTruthy();
    // Every stage's log says which backend ran it and why (fallbacks, native kernels).
    const log = readFileSync(join(runDir(spa), 'log.txt'), 'utf8');
    for (const stage of ['data', 'sft', 'explore', 'estimator', 'rl', 'eval']) expect(log).toMatch(new RegExp(`\\[${stage}\\] backend: ${entry?.backend} \\(.+\\)`));
    expect(typeof entry?.summary['eval/success_rate_seen']).toBe('number');
    const { records } = await readMetrics(runDir(spa));
    expect([...new Set(records.map((r) => r.stage))]).toEqual(['data', 'sft', 'explore', 'estimator', 'rl', 'eval']);
    const steps = records.map((r) => r.step);
    expect(new Set(steps).size).toBe(steps.length); // one record per step
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const rl = records.filter((r) => r.stage === 'rl');
    expect(rl).toHaveLength(2);
    for (const key of ['losses/policy_loss', 'losses/value_loss', 'losses/approx_kl', 'losses/clipfrac', 'charts/episodic_return', 'charts/SPS', 'global_step', 'progress/oracle_corr']) {
      expect(rl[0], key).toHaveProperty(key);
    }
    const trajs = (await readTrajectories(runDir(spa))).records;
    const train = trajs.filter((t) => t.stage === 'train');
    expect(train.length).toBe(2 * 4);
    expect(train.every((t) => t.steps.every((s) => typeof s.contribution === 'number' && typeof s.fusedReward === 'number'))).toBe(true);
    expect(train.every((t) => t.update === rl.find((r) => r.step === t.update)?.step)).toBe(true); // a chart point finds its rollouts
    expect(events).toContain('run.progress');
    expect(events).toContain('run.appended');
    // The finished run's trajectory index is in the cache: its first open reads no trajectory.
    const index = new TrajectoryIndex(runPaths(workspacePaths(dataDir).runsDir, spa).trajectories, trajectoryIndexCacheFile(workspacePaths(dataDir).cacheDir, spa));
    await index.refresh();
    expect(index.stats).toMatchObject({ snapshotLoaded: true, bytesScanned: 0, rebuilds: 0 });
    expect(index.size).toBe(trajs.length);

    const ppo = await sup.start(smoke('ppo'));
    await sup.whenSettled(ppo);
    expect(sup.catalog.get(ppo)?.status).toBe('completed');
    const stages = await readCompletedStages(runDir(ppo));
    expect(stages.map((s) => [s.stage, s.reused])).toEqual([
      ['data', true],
      ['sft', true],
      ['rl', false],
      ['eval', false],
    ]);
    expect(sup.catalog.get(ppo)?.lineage.sftRun).toBe(spa);
    // The reused stages' curves are in the PPO run too, renumbered into its own steps.
    const ppoMetrics = (await readMetrics(runDir(ppo))).records;
    expect(ppoMetrics.filter((r) => r.stage === 'sft').length).toBe(records.filter((r) => r.stage === 'sft').length);
    await sup.shutdown();
  }, 240_000);

  it('resumes after kill -9 in the middle of PPO: no lost or duplicated rows, same result as an uninterrupted run', async () => {
    let killed = false;
    const sup = await createSupervisor({
      dataDir,
      throttleMs: 50,
      onWorkerStart: (job, child) => {
        if (job.stage !== 'rl' || killed || !job.runId.includes('-s3')) return;
        // Kill after the first PPO iteration's checkpoint, during the second iteration.
        child.on('message', (m: { type?: string; done?: number }) => {
          if (m.type === 'progress' && m.done === 1 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        });
      },
    });
    const config = smoke('ppo', 3);
    const clean = await sup.start(config);
    // The first run is killed (killed flips on it); run a clean one after it for comparison.
    await sup.whenSettled(clean);
    expect(sup.catalog.get(clean)?.status).toBe('crashed');
    expect(sup.catalog.get(clean)?.message).toMatch(/killed \(SIGKILL\)/);
    await sup.resume(clean);
    await sup.whenSettled(clean);
    expect(sup.catalog.get(clean)?.status).toBe('completed');

    const reference = await sup.start(config);
    await sup.whenSettled(reference);
    expect(sup.catalog.get(reference)?.status).toBe('completed');

    const resumed = (await readMetrics(runDir(clean))).records;
    const uninterrupted = (await readMetrics(runDir(reference))).records;
    expect(resumed.map((r) => r.step)).toEqual(uninterrupted.map((r) => r.step));
    const rlSteps = rlRows(resumed).map((r) => r.step);
    expect(rlSteps).toHaveLength(3);
    expect(rlSteps).toEqual([0, 1, 2].map((k) => (rlSteps[0] as number) + k)); // consecutive: none lost, none twice
    // Same numbers: rollouts are seeded by (seed, iteration), Adam's state is in the checkpoint.
    expect(rlRows(resumed).map(({ 'charts/SPS': _a, 'charts/iteration_seconds': _b, ...r }) => r)).toEqual(
      rlRows(uninterrupted).map(({ 'charts/SPS': _a, 'charts/iteration_seconds': _b, ...r }) => r),
    );
    const evalOf = (rs: MetricRecord[]) => Object.fromEntries(Object.entries(rs.find((r) => r.stage === 'eval') ?? {}).filter(([k]) => k.startsWith('eval/')));
    expect(evalOf(resumed)).toEqual(evalOf(uninterrupted));
    const trainUpdates = (await readTrajectories(runDir(clean))).records.filter((t) => t.stage === 'train').map((t) => t.update);
    expect(trainUpdates.length).toBe(3 * 4); // 3 iterations × 4 rollouts, none twice
    await sup.shutdown();
  }, 240_000);
});
