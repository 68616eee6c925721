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
    const sft = { entry: { id: 'r1', env: 'virtualhome', method: 'sft', seed: 0, status: 'completed', summary: {}, createdAt: '2026-11-24T00:00:00Z', updatedAt: '2026-11-24T00:10:00Z' }, metrics: [], stages: [], backendDetail: null, failures: null, zeroPredictorMse: null, heldOutFit: null } as unknown as RunResult;
    const ctx: ReportContext = { command: 'spa reproduce', preset: 'standard', wallSeconds: 1, parallel: 1, sessions: [], version: '0', tfjsVersion: '0', figuresDir: dir, markdownDir: dir, dataDir: dir, planned: [{ env: 'virtualhome', runs: 7 }], evidenceDir: null, recipe: [] };
    const md = await writeResultsReport([sft], ctx);
    expect(existsSync(stale)).toBe(false);
    expect(md).not.toContain('virtualhome-train-success.svg');
  });
});
