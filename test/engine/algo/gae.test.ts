import { describe, expect, it } from 'vitest';
import { bootstrapValue, maskedVar, spreadOverSegments, stepGae, tokenGae, whiten } from '../../../engine/algo/gae';
import { maskSegments } from '../../../engine/algo/token-rewards';

// γ = 0.99, λ = 0.95, γλ = 0.9405. Positions: step 0 action (0), observation (1), step 1 action (2, 3).
// After masking: r = [1, 0, 0, 2], V = [0.5, 0, 0.2, 0.4].
//   t=3: δ = 2 − 0.4 = 1.6                                A3 = 1.6
//   t=2: δ = 0 + 0.99·0.4 − 0.2 = 0.196                   A2 = 0.196 + 0.9405·1.6 = 1.7008
//   t=1: δ = 0 + 0.99·0.2 − 0 = 0.198                     A1 = 0.198 + 0.9405·1.7008 = 1.7976024
//   t=0: δ = 1 + 0.99·0 − 0.5 = 0.5                       A0 = 0.5 + 0.9405·1.7976024 = 2.1906450572
const rewards = [[1, 5, 0, 2]];
const values = [[0.5, 9, 0.2, 0.4]];
const mask = [[1, 0, 1, 1]];

describe('whiten (TRL masked_whiten)', () => {
  it('uses the masked mean and the Bessel-corrected masked variance, and transforms every position', () => {
    // masked [1,2,3]: mean 2, var (1+0+1)/2 = 1
    const w = whiten([1, 2, 3, 100], [1, 1, 1, 0]);
    [-1, 0, 1, 98].forEach((x, i) => expect(w[i]).toBeCloseTo(x / Math.sqrt(1 + 1e-8), 10));
    const s = whiten([1, 2, 3, 100], [1, 1, 1, 0], false);
    [1, 2, 3, 100].forEach((x, i) => expect(s[i]).toBeCloseTo(2 + (x - 2) / Math.sqrt(1 + 1e-8), 10));
    expect(maskedVar([0, 4], [1, 1])).toBe(8);
    expect(() => whiten([1, 2], [1, 0])).toThrow(/at least 2/);
  });
});

describe('tokenGae (TRL compute_advantages)', () => {
  it('matches the hand computation, masks V and r, and returns A + V before whitening', () => {
    const out = tokenGae(rewards, values, mask, { whiten: false });
    [2.1906450572, 1.7976024, 1.7008, 1.6].forEach((x, p) => expect(out.advantages[0]?.[p]).toBeCloseTo(x, 10));
    [2.6906450572, 1.7976024, 1.9008, 2.0].forEach((x, p) => expect(out.returns[0]?.[p]).toBeCloseTo(x, 10));
    expect(out.values).toEqual([[0.5, 0, 0.2, 0.4]]);
  });
  it('whitens over the masked positions of the batch', () => {
    const out = tokenGae(rewards, values, mask);
    // masked A = [2.1906450572, 1.7008, 1.6]: mean 1.8304816857, unbiased var 0.0995891...
    [1.13991499008, -0.10406274941, -0.41044178619, -0.72947320389].forEach((x, p) => expect(out.advantages[0]?.[p]).toBeCloseTo(x, 8));
    expect(out.returns[0]?.[0]).toBeCloseTo(2.6906450572, 10); // returns are never whitened
  });
  it('a truncated episode bootstraps after the last action, skipping trailing padding', () => {
    // t=3: δ = 2 + 0.99·0.7 − 0.4 = 2.293, then the same recursion.
    const expected = [2.76715876005, 2.41058879325, 2.3525665, 2.293, 0];
    const ends = [{ terminated: false, truncated: true, lastValue: 0.7 }];
    const out = tokenGae([[1, 5, 0, 2, 0]], [[0.5, 9, 0.2, 0.4, 0]], [[1, 0, 1, 1, 0]], { whiten: false, ends });
    expected.forEach((x, p) => expect(out.advantages[0]?.[p]).toBeCloseTo(x, 9));
    const term = tokenGae(rewards, values, mask, { whiten: false, ends: [{ terminated: true, truncated: false, lastValue: 0.7 }] });
    expect(term.advantages[0]?.[3]).toBeCloseTo(1.6, 12);
  });
  it('ragged rows equal padded rows', () => {
    const a = tokenGae([[1, 0, 2], [0.5]], [[0.1, 0.2, 0.3], [0.4]], [[1, 0, 1], [1]]);
    const b = tokenGae([[1, 0, 2], [0.5, 0, 0]], [[0.1, 0.2, 0.3], [0.4, 0, 0]], [[1, 0, 1], [1, 0, 0]]);
    a.advantages.forEach((row, i) => row.forEach((x, p) => expect(x).toBeCloseTo(b.advantages[i]?.[p] as number, 12)));
  });
});

describe('stepGae', () => {
  // r = [0.55, 0.70, 1.35], V = [0.3, 0.5, 0.9]
  //   t=2: δ = 1.35 − 0.9 = 0.45                    A2 = 0.45
  //   t=1: δ = 0.70 + 0.99·0.9 − 0.5 = 1.091        A1 = 1.091 + 0.9405·0.45 = 1.514225
  //   t=0: δ = 0.55 + 0.99·0.5 − 0.3 = 0.745        A0 = 0.745 + 0.9405·1.514225 = 2.1691286125
  it('discounts across steps, terminated → 0 after the last step', () => {
    const out = stepGae([[0.55, 0.7, 1.35]], [[0.3, 0.5, 0.9]], { whiten: false });
    [2.1691286125, 1.514225, 0.45].forEach((x, t) => expect(out.advantages[0]?.[t]).toBeCloseTo(x, 10));
    [2.4691286125, 2.014225, 1.35].forEach((x, t) => expect(out.returns[0]?.[t]).toBeCloseTo(x, 10));
  });
  it('truncated → bootstraps with V of the last state (0.7): A2 = 0.45 + 0.99·0.7 = 1.143', () => {
    const out = stepGae([[0.55, 0.7, 1.35]], [[0.3, 0.5, 0.9]], { whiten: false, ends: [{ terminated: false, truncated: true, lastValue: 0.7 }] });
    [2.78211500575, 2.1659915, 1.143].forEach((x, t) => expect(out.advantages[0]?.[t]).toBeCloseTo(x, 10));
  });
  it('whitens over all steps of the batch', () => {
    const out = stepGae([[0.55, 0.7, 1.35]], [[0.3, 0.5, 0.9]]);
    [0.91205673731, 0.15725326946, -1.06931000678].forEach((x, t) => expect(out.advantages[0]?.[t]).toBeCloseTo(x, 8));
  });
  it('spreads step advantages onto their tokens', () => {
    const m = [0, 1, 1, 0, 1];
    expect(spreadOverSegments([2, -1], maskSegments(m), m.length)).toEqual([0, 2, 2, 0, -1]);
  });
});

describe('bootstrapValue', () => {
  it('0 when terminated, V when truncated, refuses an unfinished or valueless episode', () => {
    expect(bootstrapValue({ terminated: true, truncated: true, lastValue: 3 })).toBe(0);
    expect(bootstrapValue({ terminated: false, truncated: true, lastValue: 3 })).toBe(3);
    expect(() => bootstrapValue({ terminated: false, truncated: false })).toThrow(/neither/);
    expect(() => bootstrapValue({ terminated: false, truncated: true })).toThrow(/lastValue/);
  });
});
