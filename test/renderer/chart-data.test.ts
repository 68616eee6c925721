import { describe, expect, it } from 'vitest';
import { emaSmooth } from '../../renderer/src/lib/smoothing';
import { lttbIndices } from '../../renderer/src/lib/decimate';
import { MetricTable, metricTitle, sectionKeys } from '../../renderer/src/lib/metrics';

describe('emaSmooth (TensorBoard smoothing)', () => {
  it('is the identity at weight 0 and debiased from the first point', () => {
    expect([...emaSmooth([1, 5, 3], 0)]).toEqual([1, 5, 3]);
    // Debiasing: the first smoothed value is the first value, not w·0 + (1−w)·v.
    const s = emaSmooth([10, 10, 10], 0.9);
    for (const v of s) expect(v).toBeCloseTo(10, 10);
  });
  it('follows the TensorBoard recurrence', () => {
    const w = 0.6;
    const xs = [0, 1, 0, 1];
    let last = 0;
    const want = xs.map((x, i) => {
      last = last * w + (1 - w) * x;
      return last / (1 - w ** (i + 1));
    });
    const got = emaSmooth(xs, w);
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
  });
  it('matches w^n debiasing past the point where w^n underflows (the running product is clamped to 0 there)', () => {
    for (const w of [0.6, 0.9, 0.99]) {
      const xs = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 37) + (i % 7) / 10);
      let last = 0;
      const got = emaSmooth(xs, w);
      xs.forEach((x, i) => {
        last = last * w + (1 - w) * x;
        expect(Math.abs(got[i]! - last / (1 - w ** (i + 1)))).toBeLessThan(1e-9);
      });
    }
  });
  it('lets NaN gaps through without poisoning later values', () => {
    const s = emaSmooth([1, NaN, 1], 0.5);
    expect(Number.isNaN(s[1])).toBe(true);
    expect(s[2]).toBeCloseTo(1, 12);
  });
});

describe('lttbIndices', () => {
  it('keeps everything under the threshold, and the ends above it', () => {
    expect(lttbIndices([0, 1, 2], [1, 2, 3], 10)).toEqual([0, 1, 2]);
    const n = 10_000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x / 100));
    const keep = lttbIndices(xs, ys, 500);
    expect(keep).toHaveLength(500);
    expect(keep[0]).toBe(0);
    expect(keep.at(-1)).toBe(n - 1);
    // Strictly increasing: the line still goes left to right.
    for (let i = 1; i < keep.length; i++) expect(keep[i]!).toBeGreaterThan(keep[i - 1]!);
  });
  it('keeps a lone spike (the shape, not an average)', () => {
    const n = 5000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((x) => (x === 2345 ? 100 : 0));
    expect(lttbIndices(xs, ys, 100)).toContain(2345);
  });
});

describe('MetricTable', () => {
  it('keeps numeric keys column-wise, carries global_step forward and records null as a gap', () => {
    const t = new MetricTable();
    t.append([
      { step: 0, t: 60_000, 'sft/loss': 2, stage: 'sft' },
      { step: 1, t: 120_000, 'charts/episodic_return': 0.5, global_step: 64, note: 'text' },
      { step: 2, t: 180_000, 'charts/episodic_return': null },
    ]);
    expect(t.keys().sort()).toEqual(['charts/episodic_return', 'global_step', 'sft/loss']);
    expect(t.envSteps).toEqual([0, 64, 64]);
    expect(t.minutes).toEqual([0, 1, 2]);
    const s = t.series('charts/episodic_return', 'global_step', 0);
    expect(s.raw.map((p) => [p.x, p.step])).toEqual([
      [64, 1],
      [64, 2],
    ]);
    expect(Number.isNaN(s.raw[1]!.y)).toBe(true);
    expect(s.last).toBe(0.5);
    expect(s.smooth).toBeNull();
  });
  it('counts updates from the start of their stage, so runs with different stage offsets line up', () => {
    const ppo = new MetricTable();
    const spa = new MetricTable();
    ppo.append([{ step: 1309, 'sft/loss': 0.3, stage: 'sft' }, ...[1310, 1311].map((step, i) => ({ step, 'charts/success_rate': i, stage: 'rl' })), { step: 1312, 'eval/success_rate': 0.1, stage: 'eval' }]);
    spa.append([{ step: 1342, 'progress/mse': 0.1, stage: 'estimator' }, ...[1343, 1344].map((step, i) => ({ step, 'charts/success_rate': i, stage: 'rl' })), { step: 1345, 'eval/success_rate': 0.2, stage: 'eval' }]);
    for (const t of [ppo, spa]) {
      expect(t.series('charts/success_rate', 'stage_step', 0).raw.map((p) => p.x)).toEqual([1, 2]);
      expect(t.series('eval/success_rate', 'stage_step', 0).raw.map((p) => p.x)).toEqual([1]);
    }
    // The point still opens its own update in Replay.
    expect(spa.series('charts/success_rate', 'stage_step', 0).raw.map((p) => p.step)).toEqual([1343, 1344]);
  });

  it('serves a million points decimated, fast enough to redraw live', () => {
    const t = new MetricTable();
    const n = 1_000_000;
    const batch: Record<string, number>[] = [];
    for (let i = 0; i < n; i++) batch.push({ step: i, t: i * 10, 'charts/episodic_return': Math.sin(i / 1e4) });
    t.append(batch);
    const t0 = performance.now();
    const s = t.series('charts/episodic_return', 'step', 0.9, 4000);
    const ms = performance.now() - t0;
    expect(s.total).toBe(n);
    expect(s.raw.length).toBeLessThanOrEqual(4000);
    expect(s.smooth!.length).toBeLessThanOrEqual(4000);
    expect(s.raw.at(-1)!.step).toBe(n - 1);
    expect(ms).toBeLessThan(1500);
  });
});

describe('chart sections', () => {
  it('groups known keys and sends the rest to "More"', () => {
    const sections = sectionKeys(['losses/value_loss', 'charts/success_rate', 'eval/success_rate_seen', 'charts/episodic_return', 'custom/thing', 'charts/mean_kl', 'progress/mse', 'explore/success_rate']);
    const byId = Object.fromEntries(sections.map((s) => [s.id, s.keys]));
    expect(byId.reward).toEqual(['charts/episodic_return', 'charts/success_rate']);
    expect(byId.eval).toEqual(['eval/success_rate_seen']);
    expect(byId.kl).toEqual(['charts/mean_kl']);
    expect(byId.losses).toEqual(['losses/value_loss']);
    expect(byId.progress).toEqual(['progress/mse']);
    expect(byId.explore).toEqual(['explore/success_rate']);
    expect(byId.more).toEqual(['custom/thing']);
    expect(sections.map((s) => s.id)).toEqual(['reward', 'eval', 'progress', 'kl', 'losses', 'explore', 'more']);
  });
  it('titles known keys, their _seen/_unseen variants, and shows unknown keys as they are', () => {
    expect(metricTitle('charts/episodic_return')).toBe('Reward (episodic return)');
    expect(metricTitle('eval/success_rate_unseen')).toBe('Eval success rate (unseen)');
    expect(metricTitle('custom/thing')).toBe('custom/thing');
  });
});
