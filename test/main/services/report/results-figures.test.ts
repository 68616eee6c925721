import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResultsReport, type ReportContext } from '../../../../main/services/report/results';
import type { RunResult } from '../../../../main/services/report/run-results';

describe('report figures', () => {
  it("removes an environment's learning curves once none of its runs has RL metrics (they would show superseded runs)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spa-report-'));
    const stale = join(dir, 'virtualhome-train-success.svg');
    writeFileSync(stale, '<svg/>');
    const sft = runResult('sft', []);
    const ctx = context(dir);
    const md = await writeResultsReport([sft], ctx);
    expect(existsSync(stale)).toBe(false);
    expect(md).not.toContain('virtualhome-train-success.svg');
    expect(md).not.toContain('plays the same training tasks');
  });

  it('removes the curves of a planned environment that has no completed run (its grid restarted)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spa-report-'));
    const stale = ['webshop-train-success.svg', 'webshop-train-grounding.svg'].map((f) => join(dir, f));
    for (const f of stale) writeFileSync(f, '<svg/>');
    const unrelated = join(dir, 'webshop-notes.svg');
    writeFileSync(unrelated, '<svg/>');
    await writeResultsReport([runResult('sft', [])], { ...context(dir), planned: [{ env: 'virtualhome', runs: 7 }, { env: 'webshop', runs: 7 }] });
    expect(stale.map((f) => existsSync(f))).toEqual([false, false]);
    expect(existsSync(unrelated)).toBe(true);
  });

  it('draws the curves of RL runs and says that methods share an iteration\'s tasks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spa-report-'));
    const rl = (step: number, success: number) => ({ step, t: step, stage: 'rl', 'charts/success_rate': success, 'charts/grounding_accuracy': 0.5 });
    const md = await writeResultsReport([runResult('ppo', [rl(1, 0.25), rl(2, 0.5)])], context(dir));
    expect(existsSync(join(dir, 'virtualhome-train-success.svg'))).toBe(true);
    expect(md).toContain('every method of a seed plays the same training tasks');
  });
});

function runResult(method: string, metrics: object[]): RunResult {
  return { entry: { id: `r-${method}`, env: 'virtualhome', method, seed: 0, status: 'completed', summary: {}, createdAt: '2026-11-24T00:00:00Z', updatedAt: '2026-11-24T00:10:00Z' }, metrics, stages: [], backendDetail: null, failures: null, zeroPredictorMse: null, heldOutFit: null, evalOutcomes: null } as unknown as RunResult;
}

function context(dir: string): ReportContext {
  return { command: 'spa reproduce', preset: 'standard', wallSeconds: 1, parallel: 1, sessions: [], version: '0', tfjsVersion: '0', figuresDir: dir, markdownDir: dir, dataDir: dir, planned: [{ env: 'virtualhome', runs: 7 }], evidenceDir: null, recipe: [] };
}
