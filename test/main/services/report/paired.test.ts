import { describe, expect, it } from 'vitest';
import { againstSftTable, formatP, outcomeKey, pairedComparison, pairedLine, signTestP } from '../../../../main/services/report/paired';
import type { RunResult } from '../../../../main/services/report/run-results';

/** A run whose evaluation solved the tasks marked 1 in `solved` (task i of the seen split). */
const run = (method: string, seed: number, solved: string | null) =>
  ({
    entry: { id: `${method}-s${seed}`, env: 'virtualhome', method, seed, status: 'completed', summary: {} },
    evalOutcomes: solved === null ? null : Object.fromEntries([...solved].map((c, i) => [outcomeKey('seen', `t${i}`), c === '1'])),
  }) as unknown as RunResult;

describe('the exact sign test', () => {
  it('matches the binomial tail, two-sided', () => {
    expect(signTestP(0, 0)).toBe(1);
    expect(signTestP(0, 5)).toBeCloseTo(2 / 32, 12);
    expect(signTestP(5, 5)).toBeCloseTo(2 / 32, 12);
    expect(signTestP(1, 10)).toBeCloseTo((2 * 11) / 1024, 12);
    expect(signTestP(5, 10)).toBe(1); // an even split caps at 1
    // Large n stays finite and symmetric (log-space sum): 40 of 200 is far from even.
    expect(signTestP(40, 200)).toBeCloseTo(signTestP(160, 200), 15);
    expect(signTestP(40, 200)).toBeLessThan(1e-15);
    expect([formatP(2.8e-14), formatP(0.0078), formatP(0.125)]).toEqual(['< 0.001', '0.008', '0.13']);
  });
});

describe('SPA against a baseline, task by task', () => {
  it('counts discordant tasks within each seed and skips seeds one method lacks', () => {
    const spa = [run('spa', 0, '1100'), run('spa', 1, '0011'), run('spa', 2, '1111')];
    const sft = [run('sft', 0, '1010'), run('sft', 1, '0001'), run('sft', 3, '0000')];
    const c = pairedComparison(spa, sft);
    expect(c).toMatchObject({ seeds: [0, 1], pairs: 8, firstOnly: 2, secondOnly: 1 });
    expect(c?.perSeedDiff).toEqual([0, 0.25]);
    expect(c?.pValue).toBe(1);
    expect(pairedLine(c!, 'sft')).toBe('  Paired by seed and task (8 tasks over seeds 0, 1): SPA alone solves 2, sft alone 1; exact sign test p = 1.00; SPA − sft per seed: 0.0, +25.0 points.');
  });

  it('pairs only tasks both played, and says nothing without shared seeds or episodes', () => {
    const c = pairedComparison([run('spa', 0, '11')], [run('ppo', 0, '000')]);
    expect(c).toMatchObject({ pairs: 2, firstOnly: 2, secondOnly: 0, perSeedDiff: [1] });
    expect(pairedComparison([run('spa', 0, null)], [run('ppo', 0, '0')])).toBeNull();
    expect(pairedComparison([run('spa', 0, '1')], [run('ppo', 1, '0')])).toBeNull();
  });

  it('leaves the test out when no task separates the methods', () => {
    const line = pairedLine(pairedComparison([run('spa', 0, '10')], [run('ppo', 0, '10')])!, 'ppo');
    expect(line).not.toContain('sign test');
    expect(line).toContain('SPA alone solves 0, ppo alone 0; SPA − ppo per seed: 0.0 points.');
  });
});

describe('the table against SFT', () => {
  it('has a row per method with its own seed\'s SFT as the reference, and none for SFT', () => {
    const runs = [run('sft', 0, '1100'), run('sft', 1, '0000'), run('rft', 0, '1111'), run('rft', 1, '1000'), run('ppo', 0, '0100')];
    const of = (m: string) => runs.filter((r) => r.entry.method === m);
    const rows = againstSftTable(['sft', 'rft', 'ppo', 'spa'], of).filter((l) => l.startsWith('| ') && !l.startsWith('| method'));
    expect(rows).toEqual(['| rft | 3 | 0 | 0.25 | 8 (seeds 0, 1) |', '| ppo | 0 | 1 | 1.00 | 4 (seeds 0) |']);
    expect(againstSftTable(['sft'], of)).toEqual([]);
  });
});
