/**
 * Reliability test #26 (../shared/docs/reliability.md): no tensor leaks. After a burn-in update,
 * each PPO update of the real pipeline pieces (rollouts with the transformer policy, reward
 * fusion, GAE, minibatch epochs) must leave tf.memory().numTensors unchanged; over many updates
 * numBytes may not grow (≤ 1 %). (That a whole RL stage hands back every tensor it made is
 * checked in numerics-ppo-smoke.test.ts, on its cheaper environment.)
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveKLController } from '../../engine/algo/kl-controller';
import { initBackend } from '../../engine/backend';
import { createValueHead } from '../../engine/model/heads';
import { TransformerLM } from '../../engine/model/transformer';
import { playEpisodes } from '../../engine/pipeline/evaluate';
import { scoreAndFuse } from '../../engine/pipeline/fusion';
import { ppoRows, ppoUpdate } from '../../engine/pipeline/ppo';
import { viewOptions } from '../../engine/pipeline/stages/shared';
import { taskIds } from '../../engine/pipeline/task-ranges';
import { buildEnvTokenizer, type Tokenizer } from '../../engine/tokenizer';
import type { Trajectory } from '../../common/trajectory';
import { reportFigure, scale } from './figures';
import { tinyConfig } from './fixtures/training';

const UPDATES = scale(3, 1000);
const config = { ...tinyConfig(8, 2), ppo: { ...tinyConfig(8, 2).ppo, batchSize: 4, miniBatchSize: 2, epochs: 2 } };
let tok: Tokenizer;

beforeAll(async () => {
  await initBackend('wasm');
  tok = buildEnvTokenizer(config.env);
}, 120_000);

describe('no tensor leaks (reliability #26)', () => {
  it(`each PPO update (rollouts + fusion + GAE + minibatch epochs) leaves numTensors unchanged; ${UPDATES} updates, numBytes growth ≤ 1 %`, () => {
    const modelConfig = { ...config.model, vocabSize: tok.vocabSize };
    const policy = new TransformerLM(modelConfig, { seed: 'leak' });
    const reference = policy.clone();
    const valueHead = createValueHead(modelConfig, { seed: 'leak' });
    const optimizer = tf.train.adam(config.ppo.lr);
    const kl = new AdaptiveKLController(config.ppo.klInit, config.ppo.klTarget, config.ppo.klHorizon);
    const view = viewOptions(config);
    const tasks = taskIds(config.env, 'train', config.ppo.batchSize);
    const update = (it: number) => {
      const played = playEpisodes(policy, tok, config.env, tasks, { layout: view.layout, maxNewTokens: config.prompt.maxNewTokens, greedy: false, temperature: 1, seed: it, policyName: 'leak', maxTurns: 3 });
      const trajs = played.trajectories.filter((t): t is Trajectory => t !== null);
      const scored = scoreAndFuse(null, tok, trajs, view, { alpha: 1, beta: 0.5, stepValueSource: 'looNormalisedFinal' });
      const rows = ppoRows(tok, scored, { ...view, multiplier: 'none' });
      ppoUpdate(policy, valueHead, reference, optimizer, kl, tok, rows, { ...config.ppo, seed: it, gaeGranularity: 'token' });
    };
    try {
      update(0); // burn-in: Adam's slots and kernel caches are made once
      const base = tf.memory();
      const deltas: number[] = [];
      for (let it = 1; it <= UPDATES; it++) {
        const before = tf.memory().numTensors;
        update(it);
        deltas.push(tf.memory().numTensors - before);
      }
      const end = tf.memory();
      const growth = (end.numBytes - base.numBytes) / base.numBytes;
      expect(deltas.filter((d) => d !== 0)).toEqual([]);
      expect(end.numTensors).toBe(base.numTensors);
      expect(growth).toBeLessThanOrEqual(0.01);
      reportFigure(
        26,
        'no tensor leaks per PPO update',
        `${UPDATES} PPO updates after burn-in (rollouts with the transformer, fusion, GAE, ${config.ppo.epochs} minibatch epochs): numTensors delta 0 on ${UPDATES}/${UPDATES}, ` +
          `numBytes ${base.numBytes} → ${end.numBytes} (${(100 * growth).toFixed(2)} %)`,
        { updates: UPDATES, nonZeroDeltas: 0, bytesBefore: base.numBytes, bytesAfter: end.numBytes, growthPct: 100 * growth },
      );
    } finally {
      optimizer.dispose();
      policy.dispose();
      reference.dispose();
      valueHead.dispose();
    }
  }, 3_600_000);
});
