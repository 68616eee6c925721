import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { estimateStageSeconds } from '../../../engine/pipeline/run-estimate';
import type { CompletedStage } from '../../../main/jobs/run-executor';
import { GridEta, measuredWork, pendingWork, workKind, type MeasuredWork } from '../../../main/services/grid-eta';

const grid = (['sft', 'ppo', 'spa', 'spa-no-grounding'] as const).map((m) => defaultRunConfig('virtualhome', m, 'quick', 0));
const pendingSeconds = (...args: Parameters<typeof pendingWork>) => [...pendingWork(...args).values()].reduce((a, b) => a + b, 0);
const price = (m: (typeof grid)[number]['method']) => estimateStageSeconds(defaultRunConfig('virtualhome', m, 'quick', 0), 'wasm') ?? {};

describe('pendingWork', () => {
  it('prices each environment\'s stages as their own kind of work', () => {
    const work = pendingWork([grid[0] as (typeof grid)[number], defaultRunConfig('webshop', 'sft', 'quick', 0)], () => false);
    expect([...work.keys()].sort()).toEqual(['virtualhome/data', 'virtualhome/eval', 'virtualhome/sft', 'webshop/data', 'webshop/eval', 'webshop/sft']);
    expect(work.get('virtualhome/sft')).toBeCloseTo(price('sft').sft ?? NaN, 6);
  });

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

const stage = (name: string, seconds: number, flags: { reused?: boolean; resumed?: boolean } = {}): CompletedStage => ({
  stage: name,
  outDir: `/cache/${name}`,
  key: null,
  firstStep: 0,
  lastStep: 1,
  reused: flags.reused ?? false,
  producedBy: 'r',
  seconds,
  ...(flags.resumed === undefined ? {} : { resumed: flags.resumed }),
});

describe('measuredWork', () => {
  it('counts the stages the run computed start to finish, not the reused or resumed ones', () => {
    const spa = grid[2] as (typeof grid)[number];
    const p = price('spa');
    const work = measuredWork(spa, [
      stage('data', 5, { reused: true }),
      stage('sft', 7, { resumed: true }),
      stage('explore', 40),
      stage('estimator', 20, { resumed: false }),
      stage('rl', 100),
      stage('eval', 10),
    ]);
    expect([...work.keys()]).toEqual(['explore', 'estimator', 'rl', 'eval'].map((s) => workKind('virtualhome', s)));
    expect(work.get('virtualhome/rl')).toEqual({ priced: p.rl, seconds: 100 });
    const total = [...work.values()].reduce((a, w) => ({ priced: a.priced + w.priced, seconds: a.seconds + w.seconds }), { priced: 0, seconds: 0 });
    expect(total.seconds).toBe(170);
    expect(total.priced).toBeCloseTo((p.explore ?? 0) + (p.estimator ?? 0) + (p.rl ?? 0) + (p.eval ?? 0), 6);
  });
});

const one = (kind: string, w: MeasuredWork) => new Map([[kind, w]]);

describe('GridEta', () => {
  it('is the raw price over the parallel runs, then the price at the speed runs found finished measured, then at its own runs\' speed', () => {
    let left = 1000;
    const eta = new GridEta(() => new Map([['k', left]]), 2);
    expect(eta.seconds()).toBe(500);
    // A finished run found in the catalog: less left, and its stages ran at half their price.
    left = 900;
    eta.settled(one('k', { priced: 100, seconds: 50 }), false);
    expect(eta.seconds()).toBe(225);
    // A run of its own ran at 1.5× its price: that speed wins over the found runs'.
    left = 600;
    eta.settled(one('k', { priced: 200, seconds: 300 }), true);
    expect(eta.seconds()).toBe(450);
    // A cancelled run (no work measured) only lowers what is left.
    left = 400;
    eta.settled(null, true);
    expect(eta.seconds()).toBe(300);
  });

  it('prices each kind of work at its own measured speed, and a kind not measured yet at the speed of all', () => {
    const eta = new GridEta(() => new Map([['webshop/sft', 1000], ['webshop/rl', 100], ['alfworld/sft', 100]]), 1);
    eta.settled(new Map([['webshop/sft', { priced: 100, seconds: 200 }], ['webshop/rl', { priced: 300, seconds: 100 }]]), false);
    // webshop/sft ×2, webshop/rl ×1/3, alfworld/sft at all found work's 300 s over 400 priced
    expect(eta.seconds()).toBeCloseTo(2000 + 100 / 3 + 75, 6);
  });

  it('keeps a kind\'s found speed when the first run of its own measured another kind (the estimate fell from 9.4 h to 2.9 h)', () => {
    const eta = new GridEta(() => new Map([['webshop/sft', 1000]]), 1);
    eta.settled(one('webshop/sft', { priced: 100, seconds: 200 }), false);
    expect(eta.seconds()).toBe(2000);
    eta.settled(one('virtualhome/rl', { priced: 100, seconds: 30 }), true);
    expect(eta.seconds()).toBe(2000);
  });

  it('stays put when a cheap run finishes beside a long one (the old wall-clock calibration said hours)', () => {
    let left = 10_000;
    const eta = new GridEta(() => new Map([['k', left]]), 2);
    left = 8_000;
    eta.settled(one('k', { priced: 2_000, seconds: 1_000 }), true);
    const before = eta.seconds();
    left = 7_990;
    eta.settled(one('k', { priced: 10, seconds: 5 }), true);
    expect(eta.seconds()).toBeCloseTo(before - 2.5, 6);
  });
});
