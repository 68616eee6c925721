import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrajectory } from '../../../common/trajectory';
import { initBackend } from '../../../engine/backend';
import { TransformerLM } from '../../../engine/model/transformer';
import { playTasks } from '../../../engine/pipeline/evaluate';
import { sftSequences, toBatches, trainSft } from '../../../engine/pipeline/sft';
import { buildEnvTokenizer } from '../../../engine/tokenizer';
import { rollout } from '../../../envs/core/rollout';
import { ENVIRONMENTS, makeEnv } from '../../../envs/registry';

const tok = buildEnvTokenizer('alfworld', { tasks: 30 });
const env = makeEnv('alfworld');
const TASK = 'alfworld/v1/train/40'; // a 4-step expert episode: quick to memorise
const expert = rollout(env, ENVIRONMENTS.alfworld.createExpert(), { task: TASK, policyName: 'expert' });
const config = { vocabSize: tok.vocabSize, dModel: 64, nLayers: 2, nHeads: 4, dFF: 256, context: 384 };
const data = { context: 384, reserve: 48, layout: 'compact' as const };

beforeAll(async () => {
  await initBackend('wasm');
});

describe('SFT data', () => {
  it('batches predict the next token and train only agent turns', () => {
    const seqs = sftSequences(tok, [expert], data);
    expect(seqs).toHaveLength(1);
    const [b] = toBatches(tok, seqs, 4, 'x');
    expect(b!.batch).toBe(1);
    const n = b!.seqLen;
    for (let p = 0; p + 1 < n; p++) expect(b!.targets[p]).toBe(b!.tokens[p + 1]);
    const trained = Array.from(b!.mask!).reduce((a, m) => a + m, 0);
    expect(trained).toBe(expert.steps.reduce((a, s) => a + tok.encode(s.text).length + 1, 0));
  });
});

describe('SFT then greedy play', () => {
  it('a model that memorised one expert episode replays it and solves the task; no tensors leak', () => {
    const model = new TransformerLM(config, { seed: 1 });
    const play = { layout: 'compact' as const, maxNewTokens: 48, greedy: true, seed: 0 };
    const untrained = playTasks(model, tok, 'alfworld', [TASK], { ...play, policyName: 'untrained' });
    expect(untrained[0]!.success).toBe(false);
    const seqs = sftSequences(tok, [expert], data);
    const before = tf.memory().numTensors;
    const losses = trainSft(model, tok, seqs, { epochs: 80, lr: 6e-3, batchSize: 1, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.at(-1)!).toBeLessThan(0.05);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 20);
    const [t] = playTasks(model, tok, 'alfworld', [TASK], { ...play, policyName: 'sft' });
    expect(parseTrajectory(JSON.parse(JSON.stringify(t)))).toEqual(t);
    expect(t!.steps.map((s) => s.action)).toEqual(expert.steps.map((s) => s.action));
    expect(t!.success).toBe(true);
    model.dispose();
  });
});
