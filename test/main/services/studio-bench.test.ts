/**
 * The pure parts of `spa bench studio` (main/services/studio-bench/): the synthetic data writer
 * and the statistics. The timings themselves are a benchmark, never a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunTrajectorySchema } from '../../../common/run-schema';
import { runPaths, workspacePaths } from '../../../main/runs/run-folder';
import { createStudioService } from '../../../main/services/studio-service';
import { TrajectoryIndex } from '../../../main/runs/trajectory-index';
import { writeBenchData } from '../../../main/services/studio-bench/data';
import { idleLauncher } from '../../../main/services/studio-bench/idle-launcher';
import { percentile, summarize } from '../../../main/services/studio-bench/stats';
import { SYNTHETIC_METRIC, syntheticTrajectory } from '../../../main/services/studio-bench/synthetic';

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-bench-studio-test-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

describe('synthetic trajectories', () => {
  it('are valid run trajectories of the asked length, every step scored', () => {
    for (const n of [0, 1, 2, 7]) {
      const t = RunTrajectorySchema.parse(syntheticTrajectory(n, { steps: 40, update: 3, stage: 'train' }));
      expect(t.steps).toHaveLength(40);
      expect(t.steps.every((s) => typeof s.contribution === 'number' && s.progress > 0 && s.progress <= 1)).toBe(true);
      expect(t.steps.at(-1)!.progress).toBe(1);
      expect(t.steps.filter((s) => !s.valid).length).toBeGreaterThan(0);
      expect([t.update, t.stage, t.id]).toEqual([3, 'train', `traj-${n}`]);
    }
    // The default length (the tests' fake launcher relies on it): 2 to 5 steps.
    expect([0, 1, 2, 3, 4].map((n) => syntheticTrajectory(n).steps.length)).toEqual([2, 3, 4, 5, 2]);
  });
});

describe('writeBenchData', () => {
  it('writes a run of N 40-step trajectories and a run of M metric records that the studio service reads', async () => {
    const dataDir = tempDir();
    const progress: string[] = [];
    const data = await writeBenchData(dataDir, { trajectories: 1234, stepsPerTrajectory: 40, metricRecords: 25_000, onProgress: (done, total, what) => progress.push(`${what} ${done}/${total}`) });
    expect(progress).toContain('trajectories 1234/1234');
    expect(progress).toContain('metric records 25000/25000');

    // The trajectory index the service uses sees every record, each 40 steps long.
    const index = new TrajectoryIndex(runPaths(workspacePaths(dataDir).runsDir, data.replayRun.id).trajectories);
    await index.refresh();
    expect(index.size).toBe(1234);
    expect(index.stats.skipped).toBe(0);
    const page = await index.query({ outcome: 'any', offset: 1200, limit: 100 }, () => 0);
    expect(page.total).toBe(1234);
    expect(page.items.every((t) => t.steps === 40)).toBe(true);

    // And so does the service, through the catalog, the way the server calls it.
    const launcher = idleLauncher();
    const service = await createStudioService({ dataDir, launcher, mode: 'browser', version: 'test' });
    try {
      const { runs } = await service['runs.list']({});
      expect(runs.map((r) => [r.id, r.name, r.status]).sort()).toEqual(
        [
          [data.replayRun.id, data.replayRun.name, 'completed'],
          [data.chartRun.id, data.chartRun.name, 'completed'],
        ].sort(),
      );
      const { trajectory } = await service['runs.trajectory']({ id: data.replayRun.id, index: 1233 });
      expect(trajectory.steps).toHaveLength(40);
      expect(trajectory.steps.every((s) => s.contribution !== undefined)).toBe(true);
      const { records, skipped } = await service['runs.metrics']({ id: data.chartRun.id, from: 0 });
      expect([records.length, skipped]).toEqual([25_000, 0]);
      expect(records.every((r) => typeof r[SYNTHETIC_METRIC] === 'number')).toBe(true);
      expect(records.at(-1)!.step).toBe(24_999);
    } finally {
      await service.close();
    }
    await expect(launcher.start({} as never)).rejects.toThrow(/starts and resumes no runs/);
  });
});

describe('stats', () => {
  it('median and nearest-rank 95th percentile', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 down to 1
    expect(summarize(xs)).toEqual({ n: 100, median: 50.5, p95: 95, min: 1, max: 100 });
    expect(summarize([7])).toEqual({ n: 1, median: 7, p95: 7, min: 7, max: 7 });
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 1)).toBe(3);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });
});
