/**
 * GRPO baseline: no critic; each trajectory's advantage is its outcome relative to the other
 * rollouts of the same task ((R − mean) / std), spread over every action token, with a clipped
 * surrogate and a KL term to the SFT reference (DeepSeekMath).
 */
import * as tf from '@tensorflow/tfjs';
import type { Trajectory } from '../../common/trajectory';
import { Rng } from '../../envs/core/rng';
import { groupAdvantages } from '../algo/grpo';
import { grpoLoss } from '../algo/losses';
import { clipByGlobalNorm } from '../model/optim';
import type { TransformerLM } from '../model/transformer';
import type { Tokenizer } from '../tokenizer';
import { pulse } from '../worker/heartbeat';
import { forwardRows, minibatchGradients, minibatchGroups, packRows, ROWS_PER_PASS, takeRows, trajectoryMinibatches, type MiniBatchUnit } from './batch';
import { episodeText, trainingSequences, type PromptLayout } from './step-view';

export interface GrpoOptions {
  context: number;
  reserve: number;
  layout: PromptLayout;
  epochs: number;
  /** Trajectories per optimizer step (their rows are accumulated over passes of ROWS_PER_PASS). */
  miniBatchSize: number;
  /** 'row': miniBatchSize counts rows instead (runs made before RunConfig ppo.miniBatchUnit). Default 'trajectory'. */
  miniBatchUnit?: MiniBatchUnit;
  clip: number;
  klCoef: number;
  /** See RunConfig grpo.klEstimator; default 'k3'. */
  klEstimator?: 'k3' | 'lowVarKl';
  /** Clip each update's gradient to this global norm; none when null or omitted. */
  maxGradNorm?: number | null;
  seed: number;
  /** The rollouts' sampling temperature: ratio and KL are those of the tempered policy that sampled them. Default 1. */
  temperature?: number;
}

export interface GrpoMetrics {
  'losses/policy_loss': number;
  'losses/kl': number;
  'losses/clipfrac': number;
  /** Mean global gradient norm of the updates, before clipping. */
  'losses/grad_norm': number;
}

/** One GRPO batch: every rollout of each task should be in it (the group baseline needs them). */
export function grpoUpdate(policy: TransformerLM, reference: TransformerLM, optimizer: tf.Optimizer, tok: Tokenizer, trajectories: readonly Trajectory[], opts: GrpoOptions): GrpoMetrics {
  const adv = groupAdvantages(trajectories);
  const temperature = opts.temperature ?? 1;
  const rows = trajectories.flatMap((t, i) => trainingSequences(tok, episodeText(t, opts.layout), { ...opts, includeAckStep: false }).map((s) => ({ s, a: adv[i] as number, trajectory: i })));
  const B = rows.length;
  const { L, inputs, targets, mask } = packRows(rows.map((r) => r.s), tok.special.pad);
  const advantages = Float32Array.from(rows.map((r) => r.a));
  const [oldLp, refLp] = forwardRows({ inputs, targets, B, L }, ROWS_PER_PASS, (x, y) => [policy.logProbsOf(x, y, temperature), reference.logProbsOf(x, y, temperature)]) as [Float32Array, Float32Array];
  const vars = policy.trainableVariables();
  const stats = { policy: 0, kl: 0, clipFrac: 0, gradNorm: 0, n: 0 };
  const rng = new Rng(`grpo#${opts.seed}`);
  // grpoLoss averages per row, then over rows: a pass weighs by its rows.
  const perRow = new Array<number>(B).fill(1);
  const groups = minibatchGroups(rows, opts.miniBatchUnit);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const idx of trajectoryMinibatches(groups, opts.miniBatchSize, rng)) {
      const { grads, stats: s } = minibatchGradients(idx, perRow, vars, (pass) => {
        const m = pass.length;
        const take = <A extends Float32Array | Int32Array>(a: A): A => takeRows(a, pass, L);
        const x = tf.tensor2d(take(inputs), [m, L], 'int32');
        const y = tf.tensor2d(take(targets), [m, L], 'int32');
        const losses = grpoLoss({
          logProbs: policy.logProbsOf(x, y, temperature),
          oldLogProbs: tf.tensor2d(take(oldLp), [m, L]),
          advantages: tf.tensor1d(pass.map((b) => advantages[b] as number)),
          mask: tf.tensor2d(take(mask), [m, L]),
          refLogProbs: tf.tensor2d(take(refLp), [m, L]),
          clip: opts.clip,
          klCoef: opts.klCoef,
          klEstimator: opts.klEstimator,
        });
        return { total: losses.total, stats: [losses.policyLoss, losses.kl, losses.clipFrac] };
      });
      const { grads: step, norm } = clipByGlobalNorm(grads, opts.maxGradNorm);
      optimizer.applyGradients(step);
      if (step !== grads) tf.dispose(Object.values(step));
      tf.dispose(Object.values(grads));
      stats.gradNorm += norm;
      stats.policy += s[0] as number;
      stats.kl += s[1] as number;
      stats.clipFrac += s[2] as number;
      stats.n++;
      pulse();
    }
  }
  return { 'losses/policy_loss': stats.policy / stats.n, 'losses/kl': stats.kl / stats.n, 'losses/clipfrac': stats.clipFrac / stats.n, 'losses/grad_norm': stats.gradNorm / stats.n };
}
