import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAJECTORY_SCHEMA, type Trajectory } from '../../../common/trajectory';
import { AdaptiveKLController } from '../../../engine/algo/kl-controller';
import { initBackend } from '../../../engine/backend';
import { createValueHead } from '../../../engine/model/heads';
import { TransformerLM } from '../../../engine/model/transformer';
import { scoreAndFuse } from '../../../engine/pipeline/fusion';
import { grpoUpdate } from '../../../engine/pipeline/grpo';
import { ppoRows, ppoUpdate } from '../../../engine/pipeline/ppo';
import { sftSequences, trainSft } from '../../../engine/pipeline/sft';
import { Tokenizer } from '../../../engine/tokenizer';

/** A one-step toy task: "good move" earns reward 1, "bad move" 0. */
function toy(move: 'good' | 'bad', i: number): Trajectory {
  return {
    schema: TRAJECTORY_SCHEMA,
    id: `toy-${move}-${i}`,
    env: 'alfworld',
    split: 'train',
    taskId: 'toy/0',
    taskType: 'toy',
    goal: 'pick a move',
    policy: 'toy',
    seed: i,
    initialObservation: 'Your task is to: pick a move.',
    steps: [{ text: `Thought: I choose.\nAction: ${move} move`, thought: 'I choose.', action: `${move} move`, observation: 'Observation: Done.', valid: true, reward: move === 'good' ? 1 : 0, progress: move === 'good' ? 1 : 0 }],
    finalReward: move === 'good' ? 1 : 0,
    success: move === 'good',
    terminated: true,
    truncated: false,
  };
}

const batch = [...Array.from({ length: 8 }, (_, i) => toy('good', i)), ...Array.from({ length: 8 }, (_, i) => toy('bad', i))];
const tok = Tokenizer.build(batch.flatMap((t) => [t.initialObservation, t.steps[0]!.text, t.steps[0]!.observation]));
const data = { context: 64, reserve: 24, layout: 'compact' as const, includeAckStep: false };

/** P(good | prompt) relative to bad, from the policy's log-probabilities of the two turns. */
function pGood(model: TransformerLM): number {
  const lp = (t: Trajectory) =>
    tf.tidy(() => {
      const [seq] = sftSequences(tok, [t], data);
      const x = tf.tensor2d([seq!.tokens.slice(0, -1)], [1, seq!.tokens.length - 1], 'int32');
      const y = tf.tensor2d([seq!.tokens.slice(1)], [1, seq!.tokens.length - 1], 'int32');
      const m = tf.tensor2d([seq!.targetMask.slice(1)], [1, seq!.tokens.length - 1]);
      return tf.sum(tf.mul(model.logProbsOf(x, y), m)).dataSync()[0] as number;
    });
  return 1 / (1 + Math.exp(lp(toy('bad', 0)) - lp(toy('good', 0))));
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('PPO', () => {
  it.each(['token', 'step'] as const)('raises the probability of the rewarded action on a toy task (%s-level GAE), without leaking tensors', (gaeGranularity) => {
    const config = { vocabSize: tok.vocabSize, dModel: 32, nLayers: 1, nHeads: 2, dFF: 64, context: 64 };
    const policy = new TransformerLM(config, { seed: 5 });
    trainSft(policy, tok, sftSequences(tok, batch, data), { epochs: 30, lr: 3e-3, batchSize: 16, seed: 0 });
    const before = pGood(policy);
    expect(before).toBeGreaterThan(0.3);
    expect(before).toBeLessThan(0.7);

    const reference = policy.clone();
    const valueHead = createValueHead(config, { seed: 5 });
    const optimizer: tf.Optimizer = tf.train.adam(1e-3);
    const kl = new AdaptiveKLController(0.05, 6, 10000);
    const rows = ppoRows(tok, scoreAndFuse(null, tok, batch, data, { alpha: 1, beta: 0, stepValueSource: 'looNormalisedFinal' }), { ...data, multiplier: 'none' });
    expect(rows).toHaveLength(16);
    ppoUpdate(policy, valueHead, reference, optimizer, kl, tok, rows, { epochs: 1, miniBatchSize: 4, clip: 0.2, clipValue: 0.2, vfCoef: 0.1, gamma: 0.99, lambda: 0.95, seed: 0, gaeGranularity });
    const tensors = tf.memory().numTensors;
    let metrics;
    for (let it = 1; it < 8; it++) {
      metrics = ppoUpdate(policy, valueHead, reference, optimizer, kl, tok, rows, { epochs: 4, miniBatchSize: 4, clip: 0.2, clipValue: 0.2, vfCoef: 0.1, gamma: 0.99, lambda: 0.95, seed: it, gaeGranularity });
    }
    expect(tf.memory().numTensors).toBe(tensors);
    const after = pGood(policy);
    expect(after).toBeGreaterThan(0.85);
    expect(metrics!['losses/clipfrac']).toBeGreaterThanOrEqual(0);
    // On this fixed (offline) batch the sampled KL estimate log π − log π_ref is not a divergence:
    // the bad turns, now much less likely, make it negative. It is finite and moved the controller.
    expect(Number.isFinite(metrics!['charts/mean_kl'])).toBe(true);
    expect(metrics!['charts/kl_coef']).not.toBe(0.05);
    expect(Number.isFinite(metrics!['losses/value_loss'])).toBe(true);
  });
  it('takes one optimizer step per miniBatchSize trajectories, however many rows each spans', () => {
    const config = { vocabSize: tok.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, dFF: 32, context: 64 };
    const policy = new TransformerLM(config, { seed: 8 });
    const reference = policy.clone();
    const valueHead = createValueHead(config, { seed: 8 });
    const optimizer = tf.train.adam(1e-3);
    let steps = 0;
    const apply = optimizer.applyGradients.bind(optimizer);
    optimizer.applyGradients = (g) => {
      steps++;
      apply(g);
    };
    const rows = ppoRows(tok, scoreAndFuse(null, tok, batch, data, { alpha: 1, beta: 0, stepValueSource: 'looNormalisedFinal' }), { ...data, multiplier: 'none' });
    // As a long episode is: 16 rows, 4 trajectories of 4 rows.
    const spanning = rows.map((r, i) => ({ ...r, trajectory: Math.floor(i / 4) }));
    ppoUpdate(policy, valueHead, reference, optimizer, new AdaptiveKLController(0.05, 6, 10000), tok, spanning, { epochs: 3, miniBatchSize: 2, clip: 0.2, clipValue: 0.2, vfCoef: 0.1, gamma: 0.99, lambda: 0.95, seed: 0 });
    expect(steps).toBe(3 * 2); // epochs × ⌈4 / 2⌉
    // Runs made before ppo.miniBatchUnit counted rows: 3 × ⌈16 / 2⌉.
    ppoUpdate(policy, valueHead, reference, optimizer, new AdaptiveKLController(0.05, 6, 10000), tok, spanning, { epochs: 3, miniBatchSize: 2, miniBatchUnit: 'row', clip: 0.2, clipValue: 0.2, vfCoef: 0.1, gamma: 0.99, lambda: 0.95, seed: 0 });
    expect(steps).toBe(3 * 2 + 3 * 8);
    policy.dispose();
    reference.dispose();
    valueHead.dispose();
  });
});

describe('GRPO', () => {
  it('raises the probability of the rewarded action from group-relative outcomes alone, without leaking tensors', () => {
    const config = { vocabSize: tok.vocabSize, dModel: 32, nLayers: 1, nHeads: 2, dFF: 64, context: 64 };
    const policy = new TransformerLM(config, { seed: 6 });
    trainSft(policy, tok, sftSequences(tok, batch, data), { epochs: 30, lr: 3e-3, batchSize: 16, seed: 0 });
    const before = pGood(policy);
    const reference = policy.clone();
    const optimizer: tf.Optimizer = tf.train.adam(1e-3);
    const opts = { ...data, epochs: 4, miniBatchSize: 4, clip: 0.2, klCoef: 0.04, seed: 0 };
    grpoUpdate(policy, reference, optimizer, tok, batch, { ...opts, epochs: 1 });
    const tensors = tf.memory().numTensors;
    let metrics;
    for (let it = 1; it < 8; it++) metrics = grpoUpdate(policy, reference, optimizer, tok, batch, { ...opts, seed: it });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(before).toBeLessThan(0.7);
    expect(pGood(policy)).toBeGreaterThan(0.85);
    expect(metrics!['losses/kl']).toBeGreaterThan(0);
  });

  it('with maxGradNorm, each update moves the weights by at most lr × maxGradNorm (plain SGD), and reports the norm before clipping', () => {
    const policy = new TransformerLM({ vocabSize: tok.vocabSize, dModel: 32, nLayers: 1, nHeads: 2, dFF: 64, context: 64 }, { seed: 7 });
    const reference = policy.clone();
    const weights = () => tf.tidy(() => tf.concat(policy.trainableVariables().map((v) => tf.reshape(v, [-1]))));
    const start = weights();
    const opts = { ...data, epochs: 1, miniBatchSize: 4, clip: 0.2, klCoef: 0.04, klEstimator: 'lowVarKl' as const, seed: 0 };
    const metrics = grpoUpdate(policy, reference, tf.train.sgd(1), tok, batch, { ...opts, maxGradNorm: 0.01 });
    const moved = tf.tidy(() => tf.norm(tf.sub(weights(), start)).dataSync()[0] as number);
    expect(metrics['losses/grad_norm']).toBeGreaterThan(0.01); // clipping was active
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(Math.ceil(batch.length / 4) * 0.01 * (1 + 1e-4)); // one update of ≤ 0.01 per 4 trajectories
    start.dispose();
    policy.dispose();
    reference.dispose();
  });
});
