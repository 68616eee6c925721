/**
 * Reliability test #27 (../shared/docs/reliability.md): the optimizer round trip. A PPO learner
 * (policy, value head, Adam, adaptive KL coefficient) is saved after a few updates through our
 * checkpoint format (engine/checkpoint.ts: Adam's getWeights() slots plus its exact β-powers),
 * loaded into a freshly built model and a fresh Adam, and must then take the same next 10
 * updates as the learner that was never interrupted (≤ 1e-6; bitwise is the goal).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAJECTORY_SCHEMA, type Trajectory } from '../../common/trajectory';
import { AdaptiveKLController } from '../../engine/algo/kl-controller';
import { initBackend } from '../../engine/backend';
import { disposeCheckpoint, loadLatestCheckpoint, restoreOptimizer } from '../../engine/checkpoint';
import { createValueHead, ScalarHead } from '../../engine/model/heads';
import { TransformerLM, weightShapes } from '../../engine/model/transformer';
import type { ModelConfig } from '../../engine/model/config';
import { scoreAndFuse } from '../../engine/pipeline/fusion';
import { ppoRows, ppoUpdate, type PpoMetrics, type PpoRow } from '../../engine/pipeline/ppo';
import { CHECKPOINTS, saveModel } from '../../engine/pipeline/stages/shared';
import { Tokenizer } from '../../engine/tokenizer';
import { reportFigure, scale } from './figures';

const BURN_IN = 3;
const NEXT = 10;
const TRIALS = scale(1, 5);
const dir = mkdtempSync(join(tmpdir(), 'spa-rel-adam-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function toy(move: 'good' | 'bad', i: number): Trajectory {
  return {
    schema: TRAJECTORY_SCHEMA,
    id: `toy-${move}-${i}`,
    env: 'alfworld',
    split: 'train',
    taskId: `toy/${i % 2}`,
    taskType: 'toy',
    goal: 'pick a move',
    policy: 'toy',
    seed: i,
    initialObservation: 'Your task is to: pick a move.',
    steps: [
      { text: 'Thought: I look first.\nAction: look', thought: 'I look first.', action: 'look', observation: 'Observation: Two buttons.', valid: true, reward: 0, progress: 0.5 },
      { text: `Thought: I choose.\nAction: ${move} move`, thought: 'I choose.', action: `${move} move`, observation: 'Observation: Done.', valid: true, reward: move === 'good' ? 1 : 0, progress: move === 'good' ? 1 : 0.5 },
    ],
    finalReward: move === 'good' ? 1 : 0,
    success: move === 'good',
    terminated: true,
    truncated: false,
  };
}

const batch = Array.from({ length: 8 }, (_, i) => toy(i % 2 ? 'good' : 'bad', i));
const tok = Tokenizer.build(batch.flatMap((t) => [t.initialObservation, ...t.steps.flatMap((s) => [s.text, s.observation])]));
const view = { context: 64, reserve: 16, layout: 'compact' as const, includeAckStep: false };
const modelConfig: ModelConfig = { vocabSize: tok.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, dFF: 32, context: 64 };
const ppo = { epochs: 2, miniBatchSize: 4, clip: 0.2, clipValue: 0.2, vfCoef: 0.1, gamma: 0.99, lambda: 0.95, gaeGranularity: 'token' as const };
let rows: PpoRow[] = [];

beforeAll(async () => {
  await initBackend('wasm');
  rows = ppoRows(tok, scoreAndFuse(null, tok, batch, view, { alpha: 1, beta: 0.5, stepValueSource: 'looNormalisedFinal' }), { ...view, multiplier: 'none' });
});

interface Learner {
  policy: TransformerLM;
  head: ScalarHead;
  optimizer: tf.Optimizer;
  kl: AdaptiveKLController;
}

const allWeights = (l: Learner) => [...l.policy.namedWeights(), ...l.head.namedWeights()].map(([n, v]) => [n, Array.from(v.dataSync())] as const);
const step = (l: Learner, reference: TransformerLM, k: number): PpoMetrics => ppoUpdate(l.policy, l.head, reference, l.optimizer, l.kl, tok, rows, { ...ppo, seed: k });
const dispose = (l: Learner) => {
  l.optimizer.dispose();
  l.policy.dispose();
  l.head.dispose();
};

function maxDiff(a: readonly (readonly [string, number[]])[], b: readonly (readonly [string, number[]])[]): number {
  let worst = 0;
  a.forEach(([name, xs], i) => {
    const [other, ys] = b[i] as readonly [string, number[]];
    if (other !== name || ys.length !== xs.length) worst = Infinity;
    else xs.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - (ys[j] as number)))));
  });
  return worst;
}

describe('optimizer round trip through the checkpoint (reliability #27)', () => {
  it(`Adam saved and restored into a fresh model: the next ${NEXT} updates equal the uninterrupted run`, async () => {
    const results: { weights: number; metrics: number; withoutAdam: number }[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const seed = `adam#${trial}`;
      const reference = new TransformerLM(modelConfig, { seed });
      const a: Learner = { policy: reference.clone(), head: createValueHead(modelConfig, { seed }), optimizer: tf.train.adam(3e-3), kl: new AdaptiveKLController(0.05, 1, 100) };
      for (let k = 0; k < BURN_IN; k++) step(a, reference, k);
      const ckptDir = join(dir, `trial-${trial}`);
      await saveModel({ dir: ckptDir, step: BURN_IN, model: a.policy, tok, heads: [a.head], optimizer: a.optimizer, trainerState: { klCoef: a.kl.value } });

      // Uninterrupted: 10 more updates.
      const metricsA: PpoMetrics[] = [];
      for (let k = BURN_IN; k < BURN_IN + NEXT; k++) metricsA.push(step(a, reference, k));

      // Interrupted: a fresh model, value head and Adam, built from the checkpoint alone.
      const load = async (withAdam: boolean): Promise<Learner> => {
        const ck = (await loadLatestCheckpoint(join(ckptDir, CHECKPOINTS))).checkpoint;
        if (!ck) throw new Error('no checkpoint');
        const weights = new Map(Object.entries(ck.weights));
        const names = new Set(weightShapes(ck.modelConfig as ModelConfig).map(([n]) => n));
        const policy = new TransformerLM(ck.modelConfig as ModelConfig, {}, new Map([...weights].filter(([n]) => names.has(n))));
        const head = new ScalarHead('value', modelConfig.dModel, {}, weights);
        const optimizer = tf.train.adam(3e-3);
        // As the stages restore (restoreOptimizerFrom): Adam's slots are positional, checked against the
        // new variables' shapes — a second model built in this process has other TF.js auto names.
        if (withAdam && ck.optimizer) await restoreOptimizer(optimizer, ck.optimizer, [...policy.trainableVariables(), ...head.trainableVariables()]);
        const kl = new AdaptiveKLController((ck.trainerState as { klCoef: number }).klCoef, 1, 100);
        disposeCheckpoint(ck);
        return { policy, head, optimizer, kl };
      };
      const b = await load(true);
      const metricsB: PpoMetrics[] = [];
      for (let k = BURN_IN; k < BURN_IN + NEXT; k++) metricsB.push(step(b, reference, k));
      // The control: without Adam's state the same 10 updates go elsewhere (the test can fail).
      const c = await load(false);
      for (let k = BURN_IN; k < BURN_IN + NEXT; k++) step(c, reference, k);

      const metricDiff = Math.max(...metricsA.flatMap((m, i) => Object.entries(m).map(([key, v]) => Math.abs(v - (metricsB[i] as unknown as Record<string, number>)[key]!))));
      results.push({ weights: maxDiff(allWeights(a), allWeights(b)), metrics: metricDiff, withoutAdam: maxDiff(allWeights(a), allWeights(c)) });
      [a, b, c].forEach(dispose);
      reference.dispose();
    }
    const worst = Math.max(...results.map((r) => Math.max(r.weights, r.metrics)));
    const control = Math.min(...results.map((r) => r.withoutAdam));
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(control).toBeGreaterThan(1e-6);
    reportFigure(
      27,
      'Adam round trip through the checkpoint',
      `${TRIALS}/${TRIALS} trials: after save → load into a fresh model and a fresh Adam, the next ${NEXT} PPO updates equal the uninterrupted run (max |Δ| over weights and losses = ${worst}); ` +
        `without restoring Adam the weights differ by ${control.toExponential(1)}`,
      { trials: TRIALS, next: NEXT, maxAbsDiff: worst, withoutAdamDiff: control },
    );
  }, 600_000);
});
