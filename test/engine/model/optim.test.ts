import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { clipByGlobalNorm, cosineWarmupFactor, globalNorm, logWarmupCosineFactor, logWarmupFactor, setLearningRate } from '../../../engine/model/optim';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('gradient clipping by global norm', () => {
  it('scales every gradient by the same factor down to the norm, and leaves small ones alone', () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // ‖g‖ = 5
    expect(globalNorm(grads)).toBeCloseTo(5, 6);
    const before = tf.memory().numTensors;
    const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(Array.from(clipped.a!.dataSync())).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(Array.from(clipped.b!.dataSync())).toEqual([0, expect.closeTo(0.8, 5)]);
    expect(globalNorm(clipped)).toBeCloseTo(1, 5);
    const { grads: kept } = clipByGlobalNorm(grads, 10);
    expect(Array.from(kept.b!.dataSync())).toEqual([0, 4]);
    expect(tf.memory().numTensors).toBe(before + 4); // two new maps of two tensors, nothing else
    tf.dispose([grads, clipped, kept]);
  });
});

describe('log warm-up (DeepSpeed WarmupLR)', () => {
  it('rises monotonically to 1 at the last warm-up update and stays there', () => {
    const f = Array.from({ length: 15 }, (_, i) => logWarmupFactor(i + 1, 12));
    expect(f[0]).toBeCloseTo(Math.log(2) / Math.log(13), 10);
    for (let i = 1; i < f.length; i++) expect(f[i]!).toBeGreaterThanOrEqual(f[i - 1]!);
    expect(f[11]).toBe(1);
    expect(f[14]).toBe(1);
    expect(logWarmupFactor(1, 0)).toBe(1);
  });

  it('sets the learning rate an Adam optimizer uses on its next update', () => {
    const v = tf.variable(tf.scalar(0));
    const opt = tf.train.adam(1);
    setLearningRate(opt, 0.01);
    opt.applyGradients([{ name: v.name, tensor: tf.scalar(1) }]);
    expect(v.dataSync()[0]).toBeCloseTo(-0.01, 4); // Adam's first step moves by ≈ lr
    opt.dispose();
    v.dispose();
  });
});

describe('cosine schedule with warm-up (the SFT recipe)', () => {
  it('rises linearly over ⌈3%⌉ of the updates, peaks at 1, then decays by half a cosine towards 0', () => {
    const total = 200; // warm-up ⌈6⌉ = 6 updates
    const f = Array.from({ length: total }, (_, done) => cosineWarmupFactor(done, total, 0.03));
    expect(f.slice(0, 7)).toEqual([0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1]);
    expect(f[6 + 97]).toBeCloseTo(0.5, 10); // halfway through the decay
    for (let i = 7; i < total; i++) expect(f[i]!).toBeLessThan(f[i - 1]!);
    expect(f[total - 1]!).toBeGreaterThan(0);
    expect(f[total - 1]!).toBeLessThan(1e-3);
    expect(cosineWarmupFactor(total, total, 0.03)).toBe(0);
    expect(cosineWarmupFactor(0, 10, 0)).toBe(1); // no warm-up: starts at the peak
  });
});

describe('log warm-up, then half a cosine (the estimator with schedule "cosine")', () => {
  it('follows the log warm-up, peaks at 1 on the first update after it, and decays to near 0 at the last update', () => {
    const warmup = 6;
    const total = 30;
    const f = Array.from({ length: total }, (_, i) => logWarmupCosineFactor(i + 1, warmup, total));
    for (let u = 1; u <= warmup; u++) expect(f[u - 1]).toBe(logWarmupFactor(u, warmup));
    expect(f[warmup]).toBe(1);
    for (let u = warmup + 1; u < total; u++) expect(f[u] as number).toBeLessThan(f[u - 1] as number);
    expect(f[total - 1] as number).toBeGreaterThan(0);
    expect(f[total - 1] as number).toBeLessThan(0.01);
  });

  it('without a warm-up starts at the full rate', () => {
    expect(logWarmupCosineFactor(1, 0, 10)).toBe(1);
  });
});
