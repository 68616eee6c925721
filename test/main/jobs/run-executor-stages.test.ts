import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { executeRun, readCompletedStages, type StageRunner } from '../../../main/jobs/run-executor';
import { createRun, workspacePaths } from '../../../main/runs/run-folder';

let dataDir = '';
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('executeRun stage records', () => {
  it('marks a stage continued from an interrupted attempt as resumed, cached or the run\'s own (its seconds are that attempt\'s only)', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'spa-exec-'));
    const ws = workspacePaths(dataDir);
    const config = defaultRunConfig('virtualhome', 'sft', 'smoke', 0);
    const { meta, paths } = await createRun(ws.runsDir, { env: config.env, method: config.method, preset: config.preset, seed: config.seed, config: config as unknown as Record<string, unknown> });
    let failSft = true;
    let failEval = true;
    const resumeFlags: Record<string, boolean> = {};
    // Stand-in stages: each leaves a file in its output; the first SFT attempt dies half-way.
    const runStage: StageRunner = async (job) => {
      resumeFlags[job.stage] = job.resume;
      writeFileSync(join(job.outDir, 'part.bin'), 'x');
      if (job.stage === 'sft' && failSft) {
        failSft = false;
        throw new Error('worker died');
      }
      if (job.stage === 'eval' && failEval) {
        failEval = false;
        throw new Error('worker died in eval');
      }
      return { lastStep: job.stepOffset + 1, summary: {} };
    };
    const run = () => executeRun({ runId: meta.id, runDir: paths.dir, cacheDir: ws.cacheDir, config, runStage, onMessage: () => undefined, cancelled: () => false });

    await expect(run()).rejects.toThrow('worker died');
    await expect(run()).rejects.toThrow('worker died in eval');
    await run();

    const stages = await readCompletedStages(paths.dir);
    expect(stages.map((s) => [s.stage, s.reused, s.resumed ?? false])).toEqual([
      ['data', false, false],
      ['sft', false, true],
      ['eval', false, true], // its own stage folder held the first attempt's files
    ]);
    expect(resumeFlags).toEqual({ data: false, sft: true, eval: false });
  });
  it('produces a shared stage once when two runs start together', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'spa-exec-'));
    const ws = workspacePaths(dataDir);
    const config = defaultRunConfig('virtualhome', 'sft', 'smoke', 0);
    const produced: string[] = [];
    let inside = 0;
    let most = 0;
    const runStage: StageRunner = async (job) => {
      if (job.stage === 'data') {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 300));
        inside--;
      }
      produced.push(job.stage);
      writeFileSync(join(job.outDir, 'part.bin'), 'x');
      return { lastStep: job.stepOffset + 1, summary: {} };
    };
    const start = async () => {
      const { meta, paths } = await createRun(ws.runsDir, { env: config.env, method: config.method, preset: config.preset, seed: config.seed, config: config as unknown as Record<string, unknown> });
      await executeRun({ runId: meta.id, runDir: paths.dir, cacheDir: ws.cacheDir, config, runStage, onMessage: () => undefined, cancelled: () => false });
      return readCompletedStages(paths.dir);
    };
    const [a, b] = await Promise.all([start(), start()]);
    expect(most).toBe(1);
    expect(produced.filter((s) => s === 'data')).toHaveLength(1);
    expect([a, b].map((stages) => stages.find((s) => s.stage === 'data')?.reused).sort()).toEqual([false, true]);
  });
});
