import { describe, expect, it } from 'vitest';
import { AdaptiveKLController, FixedKLController, observedKl } from '../../../engine/algo/kl-controller';

describe('AdaptiveKLController (TRL 0.10.1)', () => {
  it('β ← β·(1 + clip(KL/6 − 1, ±0.2)·n/10000) from β₀ = 0.3', () => {
    const up = new AdaptiveKLController();
    up.update(12, 32); // error clipped to +0.2: 0.3·1.00064
    expect(up.value).toBeCloseTo(0.300192, 12);
    const down = new AdaptiveKLController();
    down.update(3, 32); // −0.5 clipped to −0.2: 0.3·0.99936
    expect(down.value).toBeCloseTo(0.299808, 12);
    const mid = new AdaptiveKLController(0.3, 6, 10000);
    mid.update(6.6, 32); // +0.1: 0.3·1.00032
    expect(mid.value).toBeCloseTo(0.300096, 12);
    mid.update(6, 32); // on target: unchanged
    expect(mid.value).toBeCloseTo(0.300096, 12);
  });
  it('the fixed controller never moves', () => {
    const f = new FixedKLController(0.1);
    f.update();
    expect(f.value).toBe(0.1);
  });
  it('observed KL is the batch mean of the per-sequence masked sums', () => {
    expect(observedKl([[1, 2, 3], [4, 5, 6]], [[1, 0, 1], [0, 1, 1]])).toBe((4 + 11) / 2);
  });
});
