import { describe, expect, it } from 'vitest';
import { claimLines, rewardClaimLines } from '../../../../main/services/report/claim';
import type { RunResult } from '../../../../main/services/report/run-results';

const run = (method: string, seed: number, success: number, reward = success) =>
  ({
    entry: { id: `${method}-s${seed}`, env: 'webshop', method, seed, status: 'completed', summary: { 'eval/success_rate': success, 'eval/avg_reward': reward } },
    evalOutcomes: null,
  }) as unknown as RunResult;

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

  it('checks the average reward the same way where the reward is graded, with the difference per seed', () => {
    const sft = [run('sft', 0, 0.0125, 0.086), run('sft', 1, 0.0125, 0.102), run('sft', 2, 0.0125, 0.126)];
    const spa = [run('spa', 0, 0.0375, 0.135), run('spa', 1, 0.0125, 0.121), run('spa', 2, 0.0125, 0.123)];
    expect(rewardClaimLines('webshop', 'sft', spa, sft)).toEqual([
      '- webshop, average reward: SPA 0.126 vs sft 0.105 (both splits, seeds 0, 1, 2): **SPA higher by 0.022, more than the seed spread (0.020)**.',
      '  SPA − sft per seed: +0.049, +0.019, −0.003.',
    ]);
    const ppo = [run('ppo', 0, 0.025, 0.091), run('ppo', 1, 0.0125, 0.116), run('ppo', 2, 0.0125, 0.136)];
    expect(rewardClaimLines('webshop', 'ppo', spa, ppo)[0]).toContain('SPA higher by 0.012, within the seed spread (0.023): not a clear win');
  });

  it('adds no reward line where the reward is the success (0 or 1 per episode)', () => {
    const sft = [run('sft', 0, 0.5), run('sft', 1, 0.6)];
    expect(rewardClaimLines('vh', 'sft', [run('spa', 0, 0.55), run('spa', 1, 0.5)], sft)).toEqual([]);
    expect(claimLines('vh', 'sft', [run('spa', 0, 0.55), run('spa', 1, 0.5)], sft)).toHaveLength(1);
  });
});
