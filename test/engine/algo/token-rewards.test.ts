import { describe, expect, it } from 'vitest';
import { klPenalty, maskSegments, stepEndPositions, stepLevelRewards, tokenRewards } from '../../../engine/algo/token-rewards';

// 10 positions: prompt, "OK" (1), obs, step 1 (3–4), obs, step 2 (6), obs, step 3 (8–9).
const mask = [0, 1, 0, 1, 1, 0, 1, 0, 1, 1];
const kl = mask.map(() => 0.1);
const stepRewards = [0.55, 0.7, -0.1, 1.35]; // method doc 4.5

describe('mask segments', () => {
  it('finds the runs and their closing positions', () => {
    expect(maskSegments(mask)).toEqual([
      { start: 1, end: 1 },
      { start: 3, end: 4 },
      { start: 6, end: 6 },
      { start: 8, end: 9 },
    ]);
    expect(stepEndPositions(mask)).toEqual([1, 4, 6, 9]);
    expect(stepEndPositions([0, 0])).toEqual([]);
  });
});

describe('klPenalty', () => {
  it('kl, abs and mse as TRL', () => {
    expect(klPenalty([-1, -2], [-1.5, -1])).toEqual([0.5, -1]);
    expect(klPenalty([-1, -2], [-1.5, -1], 'abs')).toEqual([0.5, 1]);
    expect(klPenalty([-1, -2], [-1.5, -1], 'mse')).toEqual([0.125, 0.5]);
  });
});

describe('tokenRewards', () => {
  it('×(T−1−j): −0.3·0.1 on action tokens plus 1.65, 1.40, −0.10, 0 at the step ends', () => {
    const r = tokenRewards({ kl, klCoef: 0.3, stepEnds: stepEndPositions(mask), stepRewards, multiplier: 'stepToolRemainingSteps', mask });
    const expected = [0, 1.62, 0, -0.03, 1.37, 0, -0.13, 0, -0.03, -0.03];
    expected.forEach((x, p) => expect(r[p]).toBeCloseTo(x, 12));
  });
  it('multiplier none: the fused rewards themselves at the step ends', () => {
    const r = tokenRewards({ kl, klCoef: 0.3, stepEnds: [1, 4, 6, 9], stepRewards, multiplier: 'none', mask });
    const expected = [0, 0.52, 0, -0.03, 0.67, 0, -0.13, 0, -0.03, 1.32];
    expected.forEach((x, p) => expect(r[p]).toBeCloseTo(x, 12));
  });
  it('without a mask the KL term is everywhere, as TRL', () => {
    const r = tokenRewards({ kl: [1, 2, 3], klCoef: 0.5, stepEnds: [2], stepRewards: [1] });
    expect(r).toEqual([-0.5, -1, -0.5]);
  });
  it('left truncation: missing early steps are matched from the end with T unchanged', () => {
    // Only steps 2 and 3 survive; step 2 keeps its weight T−1−2 = 1.
    const r = tokenRewards({ kl: [0, 0, 0, 0], klCoef: 0.3, stepEnds: [1, 3], stepRewards, multiplier: 'stepToolRemainingSteps' });
    expect(r[1]).toBeCloseTo(-0.1, 12);
    expect(r[3]).toBe(0);
    expect(() => tokenRewards({ kl: [0, 0], klCoef: 0, stepEnds: [0, 1], stepRewards: [1] })).toThrow(/2 step ends but only 1/);
    expect(() => tokenRewards({ kl: [0, 0], klCoef: 0, stepEnds: [2], stepRewards: [1] })).toThrow(/outside/);
  });
});

describe('stepLevelRewards', () => {
  it('sums the KL penalty over each step and adds the weighted step reward', () => {
    const r = stepLevelRewards({ kl, klCoef: 0.3, mask, stepRewards, multiplier: 'stepToolRemainingSteps' });
    // steps have 1, 2, 1, 2 action positions: −0.03, −0.06, −0.03, −0.06
    [1.62, 1.34, -0.13, -0.06].forEach((x, j) => expect(r[j]).toBeCloseTo(x, 12));
  });
});
