import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { createValueHead } from '../../../engine/model/heads';
import { TransformerLM } from '../../../engine/model/transformer';
import { forwardRows, minibatchGradients, packRows, ROWS_PER_PASS, takeRows, trajectoryMinibatches } from '../../../engine/pipeline/batch';
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

describe('trajectoryMinibatches', () => {
  it('draws minibatches by trajectory: every row once per epoch, a trajectory whole, and as many minibatches however many rows a trajectory spans', () => {
    // 5 trajectories of 1, 7, 3, 12 and 2 rows (a VirtualHome episode spans a row per step).
    const spans = [1, 7, 3, 12, 2];
    const rowTrajectory = spans.flatMap((n, t) => Array.from({ length: n }, () => t));
    const batches = trajectoryMinibatches(rowTrajectory, 2, new Rng('mb'));
    expect(batches).toHaveLength(3); // ⌈5 / 2⌉, where minibatches of 2 rows would be 13
    expect(batches.flat().sort((a, b) => a - b)).toEqual(rowTrajectory.map((_, r) => r));
    for (const b of batches) {
      const trajectories = new Set(b.map((r) => rowTrajectory[r]));
      expect(trajectories.size).toBeLessThanOrEqual(2);
      for (const t of trajectories) expect(b.filter((r) => rowTrajectory[r] === t)).toHaveLength(spans[t!]!);
    }
    // Shuffled by the rng: another seed gives another order, the same seed the same one.
    expect(trajectoryMinibatches(rowTrajectory, 2, new Rng('mb'))).toEqual(batches);
    const orders = new Set(['a', 'b', 'c', 'd', 'e'].map((seed) => JSON.stringify(trajectoryMinibatches(rowTrajectory, 2, new Rng(seed)))));
    expect(orders.size).toBeGreaterThan(1);
  });
});

describe('minibatchGradients', () => {
  it('accumulated over passes, gives the gradient of the masked mean over the whole minibatch, and keeps no tensor', () => {
    const config = { vocabSize: 40, dModel: 16, nLayers: 1, nHeads: 2, dFF: 32, context: 32 };
    const model = new TransformerLM(config, { seed: 3 });
    const rng = new Rng('acc');
    const n = ROWS_PER_PASS * 2 + 3; // three passes, the last one short
    const rows = Array.from({ length: n }, () => {
      const len = rng.range(4, 20);
      return { tokens: Array.from({ length: len }, () => rng.range(3, 39)), targetMask: Array.from({ length: len }, () => (rng.next() < 0.5 ? 1 : 0)) };
    });
    const { L, inputs, targets, mask } = packRows(rows, 0);
    const tokens = Array.from({ length: n }, (_, b) => mask.subarray(b * L, (b + 1) * L).reduce((a, x) => a + x, 0));
    const idx = Array.from({ length: n }, (_, i) => (i * 7) % n); // any order
    const loss = (pass: number[]) => {
      const take = <A extends Float32Array | Int32Array>(a: A) => takeRows(a, pass, L);
      const lp = model.logProbsOf(tf.tensor2d(take(inputs), [pass.length, L], 'int32'), tf.tensor2d(take(targets), [pass.length, L], 'int32'));
      const m = tf.tensor2d(take(mask), [pass.length, L]);
      const nll = tf.div(tf.sum(tf.mul(tf.neg(lp), m)), tf.sum(m)) as tf.Scalar;
      return { total: nll, stats: [nll] };
    };
    const vars = model.trainableVariables();
    const whole = tf.variableGrads(() => loss(idx).total, vars);
    const before = tf.memory().numTensors;
    const acc = minibatchGradients(idx, tokens, vars, loss);
    expect(tf.memory().numTensors).toBe(before + Object.keys(acc.grads).length);
    expect(acc.stats[0]).toBeCloseTo(whole.value.dataSync()[0] as number, 4);
    for (const [name, g] of Object.entries(whole.grads)) {
      const worst = tf.tidy(() => tf.max(tf.abs(tf.sub(g, acc.grads[name] as tf.Tensor))).dataSync()[0] as number);
      const scale = tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0] as number);
      expect(worst).toBeLessThanOrEqual(1e-4 * Math.max(scale, 1e-3));
    }
    tf.dispose([whole.value, ...Object.values(whole.grads), ...Object.values(acc.grads)]);
    model.dispose();
  });
});
