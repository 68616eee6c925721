import { describe, expect, it } from 'vitest';
import { claimLines } from '../../../../main/services/report/claim';
import type { RunResult } from '../../../../main/services/report/run-results';

const run = (method: string, seed: number, success: number) =>
  ({ entry: { id: `${method}-s${seed}`, env: 'webshop', method, seed, status: 'completed', summary: { 'eval/success_rate': success } }, evalOutcomes: null }) as unknown as RunResult;

describe('the claim, checked', () => {
  it('compares SPA with a baseline on the seeds both have run, not on the baseline\'s other seeds', () => {
    // SFT has three seeds, SPA one (a partial grid): SFT's seed 0 is what SPA's seed 0 started from.
    const lines = claimLines('webshop', 'sft', [run('spa', 0, 0.0375)], [run('sft', 0, 0.0125), run('sft', 1, 0.5), run('sft', 2, 0.5)]);
    expect(lines).toEqual(['- webshop: SPA 3.8% vs sft 1.3% (both splits, seed 0 only): +2.5 points; one seed has no spread to judge a difference by, so no verdict yet.']);
  });

  it('judges the difference against the larger seed spread once two seeds are in', () => {
    const sft = [run('sft', 0, 0.1), run('sft', 1, 0.12), run('sft', 2, 0.5)];
    expect(claimLines('vh', 'sft', [run('spa', 0, 0.3), run('spa', 1, 0.32)], sft)[0]).toBe(
      '- vh: SPA 31.0% vs sft 11.0% (both splits, seeds 0, 1): **SPA higher by 20.0 points, more than the seed spread (1.4)**.',
    );
    expect(claimLines('vh', 'sft', [run('spa', 0, 0.1), run('spa', 1, 0.2)], sft)[0]).toContain('SPA higher by 4.0 points, within the seed spread (7.1): not a clear win');
    expect(claimLines('vh', 'sft', [run('spa', 0, 0.05), run('spa', 1, 0.05)], sft)[0]).toContain('**SPA not higher**');
  });

  it('says nothing where SPA and the baseline share no seed', () => {
    expect(claimLines('vh', 'ppo', [run('spa', 0, 0.3)], [run('ppo', 1, 0.2)])).toEqual([]);
  });
});
