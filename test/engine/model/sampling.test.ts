import { describe, expect, it } from 'vitest';
import { Rng } from '../../../envs/core/rng';
import { argmax, logSoftmaxAt, nucleus, sampleToken, temperatureProbs } from '../../../engine/model/sampling';

const P = [0.5, 0.3, 0.15, 0.05];
const LOGITS = P.map(Math.log);

describe('temperature', () => {
  it('scales logits before the softmax (hand-computed)', () => {
    const l = [0, Math.log(2)];
    expect(Array.from(temperatureProbs(l, 1))).toEqual([expect.closeTo(1 / 3, 12), expect.closeTo(2 / 3, 12)]);
    expect(Array.from(temperatureProbs(l, 0.5))).toEqual([expect.closeTo(1 / 5, 12), expect.closeTo(4 / 5, 12)]);
    const r2 = Math.SQRT2;
    expect(Array.from(temperatureProbs(l, 2))).toEqual([expect.closeTo(1 / (1 + r2), 12), expect.closeTo(r2 / (1 + r2), 12)]);
    expect(() => temperatureProbs(l, 0)).toThrow(RangeError);
  });
});

describe('nucleus (top-p)', () => {
  it('keeps the smallest most-likely prefix reaching p, renormalised', () => {
    expect(nucleus(P, 0.8)).toEqual([
      [0, expect.closeTo(0.625, 12)],
      [1, expect.closeTo(0.375, 12)],
    ]);
    expect(nucleus(P, 0.5)).toEqual([[0, 1]]);
    expect(nucleus(P, 0.81).map(([i]) => i)).toEqual([0, 1, 2]);
    expect(nucleus(P, 1).map(([i]) => i)).toEqual([0, 1, 2, 3]);
    expect(nucleus([0.1, 0.9], 0.01)).toEqual([[1, 1]]);
  });
  it('breaks probability ties by token index', () => {
    expect(nucleus([0.2, 0.4, 0.4], 0.5)).toEqual([
      [1, 0.5],
      [2, 0.5],
    ]);
    expect(() => nucleus(P, 0)).toThrow(RangeError);
  });
});

describe('sampleToken', () => {
  it('walks the nucleus with the rng draw (hand-computed thresholds)', () => {
    const opts = { temperature: 1, topP: 0.75 }; // nucleus {0, 1}: cumulative 0.8 ≥ 0.75
    expect(sampleToken(LOGITS, opts, () => 0.6)).toBe(0); // 0.6 < 0.625
    expect(sampleToken(LOGITS, opts, () => 0.7)).toBe(1);
    expect(sampleToken(LOGITS, opts, () => 0.999999)).toBe(1);
    const rng = new Rng('never-outside');
    for (let i = 0; i < 2000; i++) expect(sampleToken(LOGITS, opts, () => rng.next())).toBeLessThan(2);
  });
  it('matches the distribution at temperature 1, top-p 1', () => {
    const rng = new Rng('freq');
    const counts = [0, 0, 0, 0];
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[sampleToken(LOGITS, { temperature: 1, topP: 1 }, () => rng.next())]!++;
    counts.forEach((c, i) => expect(Math.abs(c / n - (P[i] as number))).toBeLessThan(0.012));
  });
  it('sharpens at low temperature and flattens at high temperature', () => {
    const freq = (temperature: number) => {
      const rng = new Rng(`t${temperature}`);
      let zero = 0;
      for (let i = 0; i < 5000; i++) if (sampleToken(LOGITS, { temperature, topP: 1 }, () => rng.next()) === 0) zero++;
      return zero / 5000;
    };
    // p0 at T: 0.5^(1/T) / Σ p_i^(1/T): T = 0.5 → 0.25/0.3875 = 0.645; T = 4 → 0.323
    expect(freq(0.5)).toBeCloseTo(0.645, 1);
    expect(freq(4)).toBeCloseTo(0.323, 1);
  });
  it('is greedy with greedy: true or temperature 0, taking the lowest index on ties', () => {
    expect(sampleToken([1, 3, 3, 2], { temperature: 1, topP: 1, greedy: true }, () => 0.99)).toBe(1);
    expect(sampleToken([1, 3, 3, 2], { temperature: 0, topP: 1 }, () => 0.99)).toBe(1);
    expect(argmax([-Infinity, -5, -5])).toBe(1);
  });
  it('logSoftmaxAt is exact and stable', () => {
    expect(logSoftmaxAt([0, Math.log(3)], 1)).toBeCloseTo(Math.log(0.75), 12);
    expect(logSoftmaxAt([1000, 0], 1)).toBeCloseTo(-1000, 9);
  });
});
