import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainedVariance, grpoLoss, peMetrics, ppoLosses, progressEstimatorLoss, trajectorySums } from '../../../engine/algo/losses';

// Workers run on wasm, where some ops have no gradient kernel; cpu is the reference.
setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');

const scalar = (t: tf.Tensor): number => t.dataSync()[0] as number;
const close = (actual: ArrayLike<number>, expected: number[], digits = 5): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((x, i) => expect(actual[i]).toBeCloseTo(x, digits));
};

/**
 * PPO case, B = 1, L = 4, the last position masked out.
 * ratio = [1.5, 0.9, 0.7, 2], A = [1, −1, −1, 5]:
 *   −Aρ = [−1.5, 0.9, 0.7], −A·clip(ρ, 0.8, 1.2) = [−1.2, 0.9, 0.8] → max = [−1.2, 0.9, 0.8]
 *   policy loss = 0.5/3 = 0.1666667; clipped at positions 0 and 2 → clipFrac 2/3.
 * V = [1.0, 0.5, 0.1], V_old = [0.5, 0.5, 0.5], G = [0.8, 0.4, 0.0]:
 *   V_clip = [0.7, 0.5, 0.3]; (V−G)² = [0.04, 0.01, 0.01]; (V_clip−G)² = [0.01, 0.01, 0.09]
 *   value loss = 0.5·(0.04 + 0.01 + 0.09)/3 = 0.0233333; clipped only at position 2 → 1/3.
 * total = 0.1666667 + 0.1·0.0233333 = 0.169.
 */
function ppoCase(): Record<'logProbs' | 'oldLogProbs' | 'advantages' | 'values' | 'oldValues' | 'returns' | 'mask', tf.Tensor> {
  const old = [-1, -1, -1, -1];
  return {
    oldLogProbs: tf.tensor2d([old]),
    logProbs: tf.tensor2d([[1.5, 0.9, 0.7, 2].map((r, i) => (old[i] as number) + Math.log(r))]),
    advantages: tf.tensor2d([[1, -1, -1, 5]]),
    values: tf.tensor2d([[1.0, 0.5, 0.1, 3]]),
    oldValues: tf.tensor2d([[0.5, 0.5, 0.5, 0]]),
    returns: tf.tensor2d([[0.8, 0.4, 0.0, 1]]),
    mask: tf.tensor2d([[1, 1, 1, 0]]),
  };
}

describe.each(['cpu', 'wasm'])('losses on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
    expect(tf.getBackend()).toBe(backend);
  });

  it('PPO loss pieces match the hand computation', () => {
    const inp = ppoCase();
    const out = ppoLosses(inp);
    expect(scalar(out.policyLoss)).toBeCloseTo(0.5 / 3, 5);
    expect(scalar(out.clipFrac)).toBeCloseTo(2 / 3, 6);
    expect(scalar(out.valueLoss)).toBeCloseTo(0.07 / 3, 6);
    expect(scalar(out.valueClipFrac)).toBeCloseTo(1 / 3, 6);
    expect(scalar(out.total)).toBeCloseTo(0.169, 5);
    expect(scalar(out.ratioMean)).toBeCloseTo(3.1 / 3, 5);
    // 0.5·mean(ln²1.5, ln²0.9, ln²0.7) and mean(−ln 1.5, −ln 0.9, −ln 0.7)
    expect(scalar(out.approxKl)).toBeCloseTo(0.0504533013, 5);
    expect(scalar(out.policyKl)).toBeCloseTo(0.0188567838, 5);
    expect(out.skipped).toBe(false);
    tf.dispose([out as unknown as tf.Tensor[], Object.values(inp)]);
  });

  it('PPO gradients vanish where clipping binds', () => {
    const inp = ppoCase();
    const logProbs = tf.variable(inp.logProbs);
    const values = tf.variable(inp.values);
    const { grads } = tf.variableGrads(() => ppoLosses({ ...inp, logProbs, values }).total, [logProbs, values]);
    // d/dlogπ: only position 1 is unclipped: −A·ρ/3 = 0.9/3.
    close(grads[logProbs.name]?.dataSync() ?? [], [0, 0.3, 0, 0]);
    // d/dV: 0.1·0.5·2(V−G)/3 at positions 0 and 1; position 2's clipped term is flat.
    close(grads[values.name]?.dataSync() ?? [], [0.02 / 3, 0.01 / 3, 0, 0], 6);
    tf.dispose([grads as unknown as tf.Tensor[], logProbs, values, Object.values(inp)]);
  });

  it('PPO zeroes a minibatch whose mean ratio exceeds the threshold', () => {
    const inp = ppoCase();
    const logProbs = tf.add(inp.oldLogProbs, 3); // ratio e³ ≈ 20.1 > 10
    const out = ppoLosses({ ...inp, logProbs });
    expect(out.skipped).toBe(true);
    expect(scalar(out.total)).toBe(0);
    expect(scalar(out.ratioMean)).toBeCloseTo(Math.exp(3), 3);
    tf.dispose([out as unknown as tf.Tensor[], logProbs, Object.values(inp)]);
  });

  /**
   * GRPO case: A = [1, −1] per sequence, mask [[1,1],[1,0]], ρ = [[1.5, 1], [0.7, ·]].
   *   per token: max(−Aρ, −A·clip ρ) = [[−1.2, −1], [0.8, ·]]
   *   sequence mean: (−1.1 + 0.8)/2 = −0.15; token mean: −1.4/3.
   * With ref − logπ = ln 2 at (0,0) and 0 elsewhere: k3 = 2 − ln 2 − 1 = 0.3068528;
   *   KL (sequence mean) = (0.3068528/2 + 0)/2 = 0.0767132; total = −0.15 + 0.1·0.0767132.
   */
  it('GRPO clipped surrogate, both aggregations, with and without the reference KL', () => {
    const oldLogProbs = tf.tensor2d([[-1, -1], [-1, -1]]);
    const logProbs = tf.variable(tf.tensor2d([[-1 + Math.log(1.5), -1], [-1 + Math.log(0.7), 2]]));
    const refLogProbs = tf.tensor2d([[-1 + Math.log(1.5) + Math.log(2), -1], [-1 + Math.log(0.7), 2]]);
    const advantages = tf.tensor1d([1, -1]);
    const mask = tf.tensor2d([[1, 1], [1, 0]]);
    const base = { logProbs, oldLogProbs, advantages, mask };
    const seq = grpoLoss(base);
    expect(scalar(seq.total)).toBeCloseTo(-0.15, 5);
    expect(scalar(seq.kl)).toBe(0);
    expect(scalar(seq.clipFrac)).toBeCloseTo(2 / 3, 6);
    const tok = grpoLoss({ ...base, aggregation: 'token' });
    expect(scalar(tok.total)).toBeCloseTo(-1.4 / 3, 5);
    const withKl = grpoLoss({ ...base, refLogProbs, klCoef: 0.1 });
    expect(scalar(withKl.kl)).toBeCloseTo(0.0767132, 5);
    expect(scalar(withKl.total)).toBeCloseTo(-0.15 + 0.00767132, 5);
    // d/dlogπ at (0,0): clipped surrogate flat; KL term 0.1·(1 − e^{ln 2})·½·½ = −0.025.
    // At (0,1): unclipped −A·ρ·½·½ = −0.25; at (1,0): clipped → 0; (1,1) masked.
    const { grads } = tf.variableGrads(() => grpoLoss({ ...base, refLogProbs, klCoef: 0.1 }).total, [logProbs]);
    close(grads[logProbs.name]?.dataSync() ?? [], [-0.025, -0.25, 0, 0]);
    tf.dispose([seq, tok, withKl, grads, logProbs, oldLogProbs, refLogProbs, advantages, mask] as unknown as tf.Tensor[]);
  });

  /**
   * verl's low_var_kl. Under the clamps it is k3: the case above gives the same KL. Tokens with
   * ref − logπ = [12, 0.5, −25] (one sequence, A = 0, ρ = 1):
   *   k3 = [e¹² − 13, e^0.5 − 1.5, e^−25 + 24] = [162741.79, 0.1487213, 24];
   *   lowVarKl = [10 (clamped), 0.1487213, 10 (d clamped to −20 gives 19, then 10)], mean 6.7162404;
   *   its gradient is 0 where clamped and (1 − e^0.5)/3 = −0.2162404 at the middle token.
   */
  it("GRPO's lowVarKl: k3 under verl's clamps, no gradient from a token beyond them", () => {
    const oldLogProbs = tf.tensor2d([[-1, -1], [-1, -1]]);
    const logProbs = tf.tensor2d([[-1 + Math.log(1.5), -1], [-1 + Math.log(0.7), 2]]);
    const refLogProbs = tf.tensor2d([[-1 + Math.log(1.5) + Math.log(2), -1], [-1 + Math.log(0.7), 2]]);
    const small = { logProbs, oldLogProbs, refLogProbs, advantages: tf.tensor1d([1, -1]), mask: tf.tensor2d([[1, 1], [1, 0]]), klCoef: 0.1 };
    const same = grpoLoss({ ...small, klEstimator: 'lowVarKl' });
    expect(scalar(same.kl)).toBeCloseTo(0.0767132, 5);

    const lp = tf.variable(tf.tensor2d([[-13, -1.5, 0]]));
    const far = { logProbs: lp, oldLogProbs: tf.tensor2d([[-13, -1.5, 0]]), refLogProbs: tf.tensor2d([[-1, -1, -25]]), advantages: tf.tensor1d([0]), mask: tf.ones([1, 3]), klCoef: 1 };
    const k3 = grpoLoss(far);
    expect(scalar(k3.kl) / ((Math.exp(12) - 13 + Math.exp(0.5) - 1.5 + Math.exp(-25) + 24) / 3)).toBeCloseTo(1, 5);
    const clamped = grpoLoss({ ...far, klEstimator: 'lowVarKl' });
    expect(scalar(clamped.kl)).toBeCloseTo((10 + Math.exp(0.5) - 1.5 + 10) / 3, 5);
    const { grads } = tf.variableGrads(() => grpoLoss({ ...far, klEstimator: 'lowVarKl' }).total, [lp]);
    close(grads[lp.name]?.dataSync() ?? [], [0, (1 - Math.exp(0.5)) / 3, 0]);
    tf.dispose([same, k3, clamped, grads, lp, logProbs, oldLogProbs, refLogProbs, ...Object.values(small), ...Object.values(far)] as unknown as tf.Tensor[]);
  });

  /**
   * PE case: steps c = [0.2, 0.1, 0.3, −0.4, 0.5] of trajectories [0, 1, 0, 1, 1], R = [1, 0]:
   *   Σc = [0.5, 0.2]; loss = ((−0.5)² + 0.2²)/2 = 0.145; dL/dc_t = 2(Σc − R)/B = −0.5 (traj 0), 0.2 (traj 1).
   */
  it('progress-estimator loss and its gradient', () => {
    const c = tf.variable(tf.tensor1d([0.2, 0.1, 0.3, -0.4, 0.5]));
    const ids = [0, 1, 0, 1, 1];
    const sums = trajectorySums(c, ids, 2);
    close(sums.dataSync(), [0.5, 0.2], 6);
    const loss = progressEstimatorLoss(c, ids, [1, 0]);
    expect(scalar(loss)).toBeCloseTo(0.145, 6);
    const { value, grads } = tf.variableGrads(() => progressEstimatorLoss(c, ids, tf.tensor1d([1, 0])), [c]);
    expect(scalar(value)).toBeCloseTo(0.145, 6);
    close(grads[c.name]?.dataSync() ?? [], [-0.5, 0.2, -0.5, 0.2, 0.2], 6);
    // A trajectory with no steps predicts 0: ((0.3 − 1)² + (0 − 0.5)²)/2 = 0.37.
    const empty = progressEstimatorLoss(tf.tensor1d([0.1, 0.2]), [0, 0], [1, 0.5]);
    expect(scalar(empty)).toBeCloseTo(0.37, 6);
    expect(() => trajectorySums(c, [0, 1, 2, 0, 0], 2)).toThrow(/segment id 2/);
    tf.dispose([c, sums, loss, value, grads, empty] as unknown as tf.Tensor[]);
  });

  it('training steps leak no tensors (PE head, PPO, GRPO)', () => {
    // A linear head on fixed features stands in for the model: c = h·w, [N, d]·[d, 1].
    const h = tf.tensor2d([[1, 0], [0, 1], [1, 1], [0.5, -1], [2, 0]]); // [N=5, d=2]
    const w = tf.variable(tf.zeros([2, 1]));
    // One optimizer per variable set: tfjs Adam keys its slots by position in the grads map.
    const [optPe, optPpo, optGrpo]: [tf.Optimizer, tf.Optimizer, tf.Optimizer] = [tf.train.adam(0.05), tf.train.adam(0.05), tf.train.adam(0.05)];
    const peStep = (): number => {
      const { value, grads } = tf.variableGrads(() => progressEstimatorLoss(tf.matMul(h, w), [0, 1, 0, 1, 1], [1, 0]), [w]);
      optPe.applyGradients(grads);
      const v = scalar(value);
      tf.dispose([value, grads] as unknown as tf.Tensor[]);
      return v;
    };
    const inp = ppoCase();
    const lp = tf.variable(inp.logProbs);
    const v = tf.variable(inp.values);
    const ppoStep = (): void => {
      const { value, grads } = tf.variableGrads(() => ppoLosses({ ...inp, logProbs: lp, values: v }).total, [lp, v]);
      optPpo.applyGradients(grads);
      tf.dispose([value, grads] as unknown as tf.Tensor[]);
    };
    const grpoStep = (): void => {
      const { value, grads } = tf.variableGrads(
        () => grpoLoss({ logProbs: lp, oldLogProbs: inp.oldLogProbs, refLogProbs: inp.oldLogProbs, advantages: tf.ones([1]), mask: inp.mask }).total,
        [lp],
      );
      optGrpo.applyGradients(grads);
      tf.dispose([value, grads] as unknown as tf.Tensor[]);
    };
    const first = peStep();
    ppoStep();
    grpoStep(); // warm-up: Adam creates its slots
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 20; i++) {
      last = peStep();
      ppoStep();
      grpoStep();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first); // the head learns
    const stats = ppoLosses({ ...inp, logProbs: lp, values: v });
    tf.dispose(stats as unknown as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(before);
    [optPe, optPpo, optGrpo].forEach((o) => o.dispose());
    tf.dispose([h, w, lp, v, Object.values(inp)]);
  });
});

describe('plain-number metrics', () => {
  it('explained variance: 1 − Var(y − ŷ)/Var(y) = 1 − (6/27)/(42/27) = 6/7', () => {
    expect(explainedVariance([1, 2, 3], [1, 2, 4])).toBeCloseTo(6 / 7, 12);
    expect(explainedVariance([1, 2, 3, 9], [1, 2, 4, 0], [1, 1, 1, 0])).toBeCloseTo(6 / 7, 12);
    expect(explainedVariance([1, 2], [3, 3])).toBeNaN();
  });
  it('PE metrics as the PE script: MSE, MAE, share within 0.1', () => {
    const m = peMetrics([0.95, 0.5, 0.2], [1, 0, 0.25]);
    expect(m.mse).toBeCloseTo(0.085, 12);
    expect(m.mae).toBeCloseTo(0.2, 12);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
  });
});
