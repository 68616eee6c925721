/**
 * log π(target) for each row of a logits matrix, differentiable.
 *
 * On wasm, exp/log are scalar loops (exp: ~32 ms on 2M values) while softmax is vectorised
 * (~5 ms), so tf.logSoftmax costs ~45 ms on [4096, 512]. The fast form uses only softmax,
 * max and a one-hot dot product:
 *   log p_t = (l_t − max l) + log(max p),  since max p = e^0 / Z  ⇒  log(max p) = −log Z.
 * max p ≥ 1/V never underflows, so this is as accurate as logSoftmax. The gradient is
 * (onehot(t) − p)·dy.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedTokenLogProbs } from '../../native/fused-ops';
import { fusedKernelsActive } from '../../native/fused-kernels';
import { pulse } from '../../worker/heartbeat';
import { oneHotFloat } from './one-hot';

/** logits [N, V], targets [N] int32 → log-probabilities [N]. */
export function tokenLogProbs(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const vocab = logits.shape[1];
  if (fusedKernelsActive() && logits.size > 0) return fusedTokenLogProbs(logits, targets);
  // The targets tensor may be disposed before the backward runs: keep the ids in JS.
  const ids = Int32Array.from(targets.dataSync());
  const f = tf.customGrad((li, save) => {
    const l = li as tf.Tensor2D;
    const [p, lp] = tf.tidy(() => {
      // [N, V] for a whole batch: each of these ops can take a tenth of a second on wasm.
      pulse();
      const probs = tf.softmax(l); // [N, V]
      pulse();
      const oneHot = oneHotFloat(targets, vocab);
      pulse();
      const picked = tf.sum(tf.mul(l, oneHot), -1); // l_t [N]
      return [probs, tf.add(tf.sub(picked, tf.max(l, -1)), tf.log(tf.max(probs, -1)))];
    });
    (save as tf.GradSaveFunc)([p as tf.Tensor]);
    (p as tf.Tensor).dispose();
    return {
      value: lp as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor1D, [probs]: tf.Tensor[]) =>
        tf.tidy(() => tf.mul(tf.sub(oneHotFloat(tf.tensor1d(ids, 'int32'), vocab), probs as tf.Tensor), tf.expandDims(dy, 1))),
    };
  });
  return f(logits) as tf.Tensor1D;
}

/** The same with logSoftmax and TF.js's own gradients (the reference). */
export function tokenLogProbsReference(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(tf.logSoftmax(logits), oneHotFloat(targets, logits.shape[1])), -1));
}
