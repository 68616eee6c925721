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

describe('progress estimator memory budget', () => {
  function setup() {
    const rng = new Rng('toy-pe-passes');
    const trajectories = Array.from({ length: 8 }, (_, i) => toyTrajectory(rng, i).traj);
    const tok = Tokenizer.build(trajectories.flatMap((t) => [t.initialObservation, ...t.steps.flatMap((s) => [s.text, s.observation])]));
    const config = { vocabSize: tok.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, dFF: 32, context: 64 };
    // A small context so trajectories span several windows and passes split them.
    const samples = peSamples(tok, trajectories, { context: 64, reserve: 8, layout: 'compact', includeAckStep: false });
    const make = () => new ProgressEstimator(new TransformerLM(config, { seed: 5 }), createProgressHead(config, { seed: 5 }));
    return { tok, samples, make };
  }

  it('splitting a batch into passes gives the same loss and update as one pass', () => {
    const { tok, samples, make } = setup();
    expect(samples.some((s) => s.sequences.length > 1)).toBe(true);
    const trained = [1, 1000].map((budget) => {
      const pe = make();
      const optimizer = tf.train.sgd(0.1);
      const losses = trainProgressEstimator(pe, tok, samples, { epochs: 1, lr: 0.1, batchSize: samples.length, seed: 0, optimizer, maxSequencesPerPass: budget });
      const weights = pe.trainableVariables().map((v) => Array.from(v.dataSync()));
      optimizer.dispose();
      return { losses, weights, pe };
    });
    const [split, whole] = trained as [(typeof trained)[0], (typeof trained)[0]];
    expect(split.losses[0]).toBeCloseTo(whole.losses[0]!, 5);
    let maxDiff = 0;
    let moved = 0;
    const initial = make().trainableVariables().map((v) => Array.from(v.dataSync()));
    split.weights.forEach((w, i) =>
      w.forEach((x, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(x - whole.weights[i]![j]!));
        moved = Math.max(moved, Math.abs(x - initial[i]![j]!));
      }),
    );
    expect(moved).toBeGreaterThan(1e-4); // the update did something
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('scores the same contributions whatever the pass budget, without leaking tensors', () => {
    const { tok, samples, make } = setup();
    const pe = make();
    const before = tf.memory().numTensors;
    const one = pe.contributions(samples, tok.special.pad, 1);
    const all = pe.contributions(samples, tok.special.pad, 1000);
    expect(tf.memory().numTensors).toBe(before);
    expect(one.map((s) => s.steps.length)).toEqual(all.map((s) => s.steps.length));
    one.flatMap((s) => s.steps).forEach((c, i) => expect(c).toBeCloseTo(all.flatMap((s) => s.steps)[i]!, 5));
  });
});
