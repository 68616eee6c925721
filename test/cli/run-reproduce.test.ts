/**
 * The pipeline from the command line, as the issue states it: `spa run --env alfworld --method
 * spa --preset smoke` from nothing to the evaluation table, `spa eval`, and `spa reproduce`
 * reusing that run (same config) and writing its report.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'spa-cli-run-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `spa …` through bin/spa.mjs (async, so the test's own process stays responsive). */
function spa(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; lines: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/spa.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = stdout
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, stdout, stderr, lines });
    });
  });
}

describe('spa run / eval / reproduce', () => {
  let runId = '';

  it('spa run --env alfworld --method spa --preset smoke completes from nothing, naming its backend', async () => {
    const r = await spa(['run', '--env', 'alfworld', '--method', 'spa', '--preset', 'smoke', '--data-dir', dataDir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const backend = r.lines.find((l) => l.type === 'backend');
    expect(backend).toMatchObject({ name: expect.any(String), reason: expect.any(String) });
    expect(r.lines.some((l) => l.type === 'progress')).toBe(true);
    const done = r.lines.at(-1) as { type: string; id: string; status: string; summary: Record<string, number> };
    expect(done).toMatchObject({ type: 'run', status: 'completed' });
    for (const key of ['eval/success_rate_seen', 'eval/success_rate_unseen', 'eval/grounding_accuracy', 'eval/avg_reward', 'eval/mean_steps', 'eval/progress_mse', 'eval/progress_oracle_corr']) {
      expect(typeof done.summary[key], key).toBe('number');
    }
    runId = done.id;
  }, 240_000);

  it('spa eval prints the evaluation table: splits, task types, estimator quality', async () => {
    const r = await spa(['eval', runId, '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+seen\s+unseen\s+all$/m);
    expect(r.stdout).toMatch(/^\s+success\s+\d+\.\d%\s+\d+\.\d%\s+\d+\.\d%$/m);
    expect(r.stdout).toContain('success by task type');
    expect(r.stdout).toMatch(/progress estimator on the evaluation trajectories: MSE\(Σc, R\) \d\.\d{4}/);
    const missing = await spa(['eval', 'no-such-run', '--data-dir', dataDir]);
    expect(missing.code).not.toBe(0);
  });

  it('spa reproduce reuses the finished run with the same config and writes the report', async () => {
    const out = join(dataDir, 'docs', 'RESULTS.md');
    const evidence = join(dataDir, 'evidence');
    const r = await spa(['reproduce', '--envs', 'alfworld', '--methods', 'sft,spa', '--seeds', '1', '--preset', 'smoke', '--parallel', '1', '--out', out, '--data-dir', dataDir, '--evidence', evidence, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.at(-1)).toMatchObject({ type: 'report', file: out, runs: 2, failed: [] });
    // Both runs kept as evidence: the one reused and the one trained.
    expect(r.lines.filter((l) => l.type === 'evidence-run').map((l) => l.run)).toContain(runId);
    expect(readdirSync(join(evidence, 'runs'))).toHaveLength(2);
    // The first progress record, before any run starts, counts the reused run as done and prices the
    // rest stage by stage (an ETA before any run finished); the next is the sft run's, with 0 left.
    const progress = r.lines.filter((l) => l.type === 'progress');
    expect(progress.map((l) => l.done)).toEqual([1, 2]);
    expect(progress[0]).toMatchObject({ run: null, etaSeconds: expect.any(Number) });
    expect((progress[0] as { etaSeconds: number }).etaSeconds).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ done: 2, etaSeconds: 0 });
    const md = readFileSync(out, 'utf8');
    expect(md).toContain(`\`${runId}\``); // the spa run above, reused rather than trained again
    expect(md).toMatch(/^\| sft \| .+ \| 1 \|$/m);
    expect(md).toMatch(/^\| spa \| .+ \| 1 \|$/m);
    expect(md).toMatch(/Progress estimator .*MSE\(Σ c_t, R\) \d/);
    expect(md).toContain('Exploration and RL rollouts are sampled at temperature 1 (the code: 1).'); // the smoke preset's
    // The smoke preset's 3 test tasks per split: one task is a third of a split's success rate.
    expect(md).toContain('Each run plays 3 seen and 3 unseen test tasks once: one task is 33.3 points');
    // How far RL moved the policy, and what the critic had learnt.
    expect(md).toMatch(/^- spa: training-rollout success .+; at the last iteration: KL estimate to the SFT policy -?\d\.\d{3} ± \d\.\d{3} nats per training sequence, critic explained variance -?\d+\.\d\d ± \d+\.\d\d\.$/m);
    // How to open them in the studio's Compare view.
    expect(md).toContain(`spa studio --data-dir ${dataDir}`);
    expect(md).toMatch(new RegExp(`^- alfworld: \`#/compare\\?ids=[^\`]*${runId}[^\`]*\`$`, 'm'));
    // Where the evaluation episodes went: eight shares per method, read from the runs' trajectories.
    expect(md).toMatch(/^\| spa( \| \d+\.\d ± \d+\.\d){8} \|$/m);
    // Compute per environment, with the backend as each run's log states it.
    expect(md).toMatch(/^\| alfworld \| 2 \| [\d.]+ \| [\d.]+ min \(.+\) \| \w+ \(.+\) \|$/m);
    expect(existsSync(join(dataDir, 'docs', 'results', 'alfworld-train-success.svg'))).toBe(true);
    expect(existsSync(join(dataDir, 'docs', 'results', 'alfworld-train-grounding.svg'))).toBe(true);
    // The grid's clock: this invocation is a recorded session (it computed the sft run), summed in the header.
    expect(md).toMatch(/Grid wall time: \*\*[\d.]+ h\*\* over 1 `spa reproduce` session/);
    expect(md).toMatch(/^\| \S+Z \| \S+Z \| [\d.]+ \| alfworld \| 1 \| 1 \| yes \|$/m);
    expect(md).not.toContain('Partial grid');

    // The evidence alone, in an empty data folder, gives the same tables and figures.
    const fresh = join(dataDir, 'from-evidence');
    const again = join(fresh, 'RESULTS.md');
    const e = await spa(['reproduce', '--envs', 'alfworld', '--methods', 'sft,spa', '--seeds', '1', '--preset', 'smoke', '--report-only', '--out', again, '--data-dir', fresh, '--evidence', evidence, '--json']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.lines[0]).toMatchObject({ type: 'evidence', restored: 2, sessions: 1 });
    expect(e.lines.find((l) => l.type === 'left')).toMatchObject({ runs: 0, total: 2, etaSeconds: 0 });
    const tables = (text: string) => text.split('\n').filter((l) => l.startsWith('|') || l.startsWith('- ') || l.startsWith('Progress estimator'));
    expect(tables(readFileSync(again, 'utf8'))).toEqual(tables(md).map((l) => l.replaceAll(dataDir, fresh)));
    expect(readFileSync(join(fresh, 'results', 'alfworld-train-success.svg'), 'utf8')).toBe(readFileSync(join(dataDir, 'docs', 'results', 'alfworld-train-success.svg'), 'utf8'));

    // A grid of two seeds, reported before the second has run, says it is partial.
    const partialOut = join(dataDir, 'docs', 'PARTIAL.md');
    const p = await spa(['reproduce', '--envs', 'alfworld', '--methods', 'sft,spa', '--seeds', '2', '--preset', 'smoke', '--report-only', '--out', partialOut, '--data-dir', dataDir, '--json']);
    expect(p.code, p.stderr).toBe(0);
    // …and what the rest would cost: seed 1's SFT, exploration, estimator and RL, priced at the speeds seed 0 measured.
    const left = p.lines.find((l) => l.type === 'left') as { runs: number; total: number; etaSeconds: number } | undefined;
    expect(left).toMatchObject({ runs: 2, total: 4, parallel: 2 });
    expect(left?.etaSeconds).toBeGreaterThan(0);
    expect(readFileSync(partialOut, 'utf8')).toContain('**Partial grid: 2 of 4 runs completed** (alfworld 2/4).');
  }, 240_000);
});
