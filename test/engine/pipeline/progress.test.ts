import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAJECTORY_SCHEMA, type Trajectory } from '../../../common/trajectory';
import { initBackend } from '../../../engine/backend';
import { createProgressHead } from '../../../engine/model/heads';
import { TransformerLM } from '../../../engine/model/transformer';
import { ProgressEstimator, peSamples, trainProgressEstimator } from '../../../engine/pipeline/progress';
import { Tokenizer } from '../../../engine/tokenizer';
import { Rng } from '../../../envs/core/rng';

/**
 * A toy task with known per-step contributions: each "good" move adds 0.25 to the final
 * reward, a "bad" move adds nothing. The estimator only ever sees Σ_t c_t = R per
 * trajectory; it must still attribute the reward to the right steps.
 */
function toyTrajectory(rng: Rng, i: number): { traj: Trajectory; truth: number[] } {
  const n = rng.range(2, 6);
  const moves = Array.from({ length: n }, () => (rng.chance(0.5) ? 'good' : 'bad'));
  const truth = moves.map((m): number => (m === 'good' ? 0.25 : 0));
  const traj: Trajectory = {
    schema: TRAJECTORY_SCHEMA,
    id: `toy-${i}`,
    env: 'alfworld',
    split: 'train',
    taskId: `toy/${i}`,
    taskType: 'toy',
    goal: 'make good moves',
    policy: 'toy',
    seed: i,
    initialObservation: 'Your task is to: make good moves.',
    steps: moves.map((m) => ({ text: `Thought: I choose.\nAction: ${m} move`, thought: 'I choose.', action: `${m} move`, observation: 'Observation: You moved.', valid: true, reward: 0, progress: 0 })),
    finalReward: truth.reduce((a, b) => a + b, 0),
    success: false,
    terminated: false,
    truncated: true,
  };
  return { traj, truth };
}

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * ((y[i] as number) - my);
    sxx += (xi - mx) ** 2;
    syy += ((y[i] as number) - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('progress estimator', () => {
  it('recovers known per-step contributions from trajectory sums alone (correlation ≥ 0.9), without leaking tensors', () => {
    const rng = new Rng('toy-pe');
    const train = Array.from({ length: 96 }, (_, i) => toyTrajectory(rng, i));
    const test = Array.from({ length: 32 }, (_, i) => toyTrajectory(rng, 1000 + i));
    const tok = Tokenizer.build(train.flatMap(({ traj }) => [traj.initialObservation, ...traj.steps.flatMap((s) => [s.text, s.observation])]));
    const config = { vocabSize: tok.vocabSize, dModel: 32, nLayers: 1, nHeads: 2, dFF: 64, context: 256 };
    const pe = new ProgressEstimator(new TransformerLM(config, { seed: 3 }), createProgressHead(config, { seed: 3 }));
    const data = { context: 256, reserve: 32, layout: 'compact' as const, includeAckStep: false };
    const before = tf.memory().numTensors;
    const losses = trainProgressEstimator(pe, tok, peSamples(tok, train.map((t) => t.traj), data), { epochs: 40, lr: 3e-3, batchSize: 16, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 5);

    const scored = pe.contributions(peSamples(tok, test.map((t) => t.traj), data), tok.special.pad);
    const c = scored.flatMap((s) => s.steps);
    const truth = test.flatMap((t) => t.truth);
    expect(c).toHaveLength(truth.length);
    expect(pearson(c, truth)).toBeGreaterThanOrEqual(0.9);
    const sums = scored.map((s) => s.steps.reduce((a, b) => a + b, 0));
    const mse = sums.reduce((a, s, i) => a + (s - test[i]!.traj.finalReward) ** 2, 0) / sums.length;
    expect(mse).toBeLessThan(0.01);
  });
});
