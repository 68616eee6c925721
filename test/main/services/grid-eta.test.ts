import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { estimateStageSeconds } from '../../../engine/pipeline/run-estimate';
import { GridEta, pendingSeconds } from '../../../main/services/grid-eta';

const grid = (['sft', 'ppo', 'spa', 'spa-no-grounding'] as const).map((m) => defaultRunConfig('virtualhome', m, 'quick', 0));
const price = (m: (typeof grid)[number]['method']) => estimateStageSeconds(defaultRunConfig('virtualhome', m, 'quick', 0), 'wasm') ?? {};

describe('pendingSeconds', () => {
  it('counts each shared stage once across the methods of one seed', () => {
    const [sft, ppo, spa, spaNg] = [price('sft'), price('ppo'), price('spa'), price('spa-no-grounding')];
    const expected =
      (sft.data ?? 0) + (sft.sft ?? 0) + (spa.explore ?? 0) + (spa.estimator ?? 0) + // shared: once
      (ppo.rl ?? 0) + (spa.rl ?? 0) + (spaNg.rl ?? 0) + // each run's own
      (sft.eval ?? 0) + (ppo.eval ?? 0) + (spa.eval ?? 0) + (spaNg.eval ?? 0);
    expect(pendingSeconds(grid, () => false)).toBeCloseTo(expected, 6);
  });

  it('does not count what the stage cache already holds', () => {
    const own = pendingSeconds(grid, () => true);
    const [sft, ppo, spa, spaNg] = [price('sft'), price('ppo'), price('spa'), price('spa-no-grounding')];
    expect(own).toBeCloseTo((ppo.rl ?? 0) + (spa.rl ?? 0) + (spaNg.rl ?? 0) + (sft.eval ?? 0) + (ppo.eval ?? 0) + (spa.eval ?? 0) + (spaNg.eval ?? 0), 6);
  });

  it('counts a second seed its own SFT, and the seed-free data stage once', () => {
    const two = [defaultRunConfig('virtualhome', 'sft', 'quick', 0), defaultRunConfig('virtualhome', 'sft', 'quick', 1)];
    expect(pendingSeconds(two, () => false)).toBeCloseTo(2 * pendingSeconds(two.slice(0, 1), () => false) - (price('sft').data ?? 0), 6);
  });
});

describe('GridEta', () => {
  it('is the raw price over the parallel runs until a run of its own finishes, then the price at the speed seen', () => {
    let left = 1000;
    let now = 0;
    const eta = new GridEta(() => left, 2, () => now);
    expect(eta.seconds()).toBe(500);
    // A finished run found in the catalog: less left, but no speed learnt from it.
    left = 900;
    now = 1_000;
    eta.settled(false);
    expect(eta.seconds()).toBe(450);
    // A run of its own: 300 priced seconds burnt in 150 s of wall time → the 600 left take 300 s.
    left = 600;
    now = 150_000;
    eta.settled(true);
    expect(eta.seconds()).toBe(300);
  });
});
