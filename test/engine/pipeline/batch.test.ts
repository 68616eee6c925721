import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { createValueHead } from '../../../engine/model/heads';
import { TransformerLM } from '../../../engine/model/transformer';
import { forwardRows, packRows } from '../../../engine/pipeline/batch';
import { Rng } from '../../../envs/core/rng';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('forwardRows', () => {
  it('gives, chunk by chunk, the values of one pass over the whole batch, and keeps no tensor', () => {
    const config = { vocabSize: 40, dModel: 32, nLayers: 2, nHeads: 2, dFF: 64, context: 64 };
    const model = new TransformerLM(config, { seed: 7 });
    const head = createValueHead(config, { seed: 7 });
    const rng = new Rng('rows');
    // Ragged rows, so padding differs between chunks and the whole batch.
    const rows = Array.from({ length: 11 }, () => {
      const n = rng.range(5, 40);
      return { tokens: Array.from({ length: n }, () => rng.range(3, 39)), targetMask: Array.from({ length: n }, () => 1) };
    });
    const { L, inputs, targets } = packRows(rows, 0);
    const B = rows.length;
    const pass = (x: tf.Tensor2D, y: tf.Tensor2D) => {
      const { logProbs, hidden } = model.logProbsAndHidden(x, y);
      return [logProbs, head.apply(hidden)];
    };
    const whole = tf.tidy(() => pass(tf.tensor2d(inputs, [B, L], 'int32'), tf.tensor2d(targets, [B, L], 'int32')).map((t) => Float32Array.from(t.dataSync())));
    const before = tf.memory().numTensors;
    const chunked = forwardRows({ inputs, targets, B, L }, 4, pass);
    expect(tf.memory().numTensors).toBe(before);
    expect(chunked).toHaveLength(2);
    for (const k of [0, 1]) {
      expect(chunked[k]).toHaveLength(B * L);
      const worst = Math.max(...Array.from(chunked[k]!, (v, i) => Math.abs(v - whole[k]![i]!)));
      expect(worst).toBeLessThan(1e-4);
    }
    model.dispose();
    head.dispose();
  });
});
