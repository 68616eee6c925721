import { describe, expect, it } from 'vitest';
import { attributionMetrics, pearson, sumFit } from '../../common/attribution';
import type { Trajectory } from '../../common/trajectory';

// Two scored trajectories: progress increments (0.5, 0.5) and (0, 0); contributions track them.
type Step = Trajectory['steps'][number];
const step = (progress: number, contribution?: number) => ({ progress, contribution }) as Step;
const solved = { finalReward: 1, ackContribution: 0.1, steps: [step(0.5, 0.4), step(1, 0.6)] };
const failed = { finalReward: 0, steps: [step(0, 0.1), step(0, 0.1)] };
const unscored = { finalReward: 1, steps: [step(1)] };

describe('attribution arithmetic', () => {
  it('pearson is 1 for a line, −1 reversed, 0 for a constant', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });

  it('attributionMetrics: MSE of the sums (with the acknowledgement turn) against R over scored trajectories only', () => {
    const m = attributionMetrics([solved, failed, unscored]);
    // sums 1.1 and 0.2 against 1 and 0: ((0.1)² + (0.2)²) / 2
    expect(m?.['progress/mse']).toBeCloseTo(0.025, 12);
    expect(m?.['progress/oracle_corr']).toBeCloseTo(pearson([0.4, 0.6, 0.1, 0.1], [0.5, 0.5, 0, 0]), 12);
    expect(attributionMetrics([unscored])).toBeNull();
  });

  it('sumFit separates an offset shared by every sum from a poor ranking', () => {
    const shifted = [solved, failed].map((t) => ({ ...t, steps: t.steps.map((s: Step) => step(s.progress, (s.contribution as number) - 0.5)) }));
    const fit = sumFit(shifted);
    // sums 0.1 and −0.8 against R = 1 and 0: mean −0.35 against 0.5, an offset of −0.85; the ranking is still right.
    expect(fit?.bias).toBeCloseTo(-0.85, 12);
    expect(fit?.sumCorr).toBeCloseTo(1, 12);
    expect(fit?.n).toBe(2);
    expect(sumFit([unscored])).toBeNull();
  });
});
