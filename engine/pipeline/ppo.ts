/**
 * PPO on agent trajectories (method doc §3.7, TRL 0.10.1 / StepTool semantics): each step's
 * fused reward sits at the token that closes the step's action, a per-token KL penalty to the
 * frozen SFT reference applies on action tokens, GAE runs over token positions (γ, λ), the
 * advantages are whitened over the batch's action tokens, and the clipped surrogate and
 * clipped value losses are minimised for several epochs of minibatches.
 *
 * A long episode spans several rows (step-view.ts); each row is its own GAE sequence, so
 * credit does not flow across a row boundary (it barely does across observation tokens anyway).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../envs/core/rng';
import { spreadOverSegments, stepGae, tokenGae } from '../algo/gae';
import type { KlController } from '../algo/kl-controller';
import { explainedVariance, ppoLosses } from '../algo/losses';
import { maskSegments, stepMultiplier, tokenRewards, type Segment } from '../algo/token-rewards';
import type { GaeGranularity, StepRewardMultiplier } from '../algo/flags';
import type { ScalarHead } from '../model/heads';
import type { TransformerLM } from '../model/transformer';
import type { Tokenizer } from '../tokenizer';
import { pulse } from '../worker/heartbeat';
import { forwardRows, minibatchGradients, minibatchGroups, packRows, ROWS_PER_PASS, takeRows, trajectoryMinibatches, type MiniBatchUnit } from './batch';
import type { ScoredBatch } from './fusion';
import { ACK_STEP, episodeText, trainingSequences, type PromptLayout } from './step-view';

/** One PPO sequence: inputs predict the next token; rewards sit at the positions predicting each step's <eot>. */
export interface PpoRow {
  tokens: number[];
  /** [L − 1]: 1 where position p predicts an action token (p + 1 is an agent-turn token). */
  mask: number[];
  /** Positions p (in [0, L − 1)) whose next token closes a step. */
  ends: number[];
  /** The reward placed at each of `ends` (multiplier applied). */
  endRewards: number[];
  /** The batch trajectory this row belongs to: minibatches are drawn by trajectory. */
  trajectory: number;
}

export interface PpoRowOptions {
  context: number;
  reserve: number;
  layout: PromptLayout;
  includeAckStep: boolean;
  multiplier: StepRewardMultiplier;
}

export function ppoRows(tok: Tokenizer, batch: ScoredBatch, opts: PpoRowOptions): PpoRow[] {
  const includeAck = opts.includeAckStep && opts.layout === 'full';
  return batch.trajectories.flatMap((t, i) => {
    const r = batch.stepRewards[i] as number[];
    const T = r.length;
    return trainingSequences(tok, episodeText(t, opts.layout), { ...opts, includeAckStep: includeAck }).map((seq): PpoRow => {
      const index = (step: number) => (step === ACK_STEP ? 0 : step + (includeAck ? 1 : 0));
      return {
        tokens: seq.tokens,
        mask: seq.targetMask.slice(1),
        ends: seq.stepEnds.map((e) => e.position - 1),
        endRewards: seq.stepEnds.map((e) => (r[index(e.step)] as number) * stepMultiplier(index(e.step), T, opts.multiplier)),
        trajectory: i,
      };
    });
  });
}

export interface PpoUpdateOptions {
  epochs: number;
  /** Trajectories per optimizer step (their rows are accumulated over passes of ROWS_PER_PASS). */
  miniBatchSize: number;
  /** 'row': miniBatchSize counts rows instead (runs made before RunConfig ppo.miniBatchUnit). Default 'trajectory'. */
  miniBatchUnit?: MiniBatchUnit;
  clip: number;
  clipValue: number;
  vfCoef: number;
  gamma: number;
  lambda: number;
  seed: number;
  /** 'token' (the code: GAE over every position) or 'step' (GAE over agent steps; see stepAdvantages). Default 'token'. */
  gaeGranularity?: GaeGranularity;
  /** The rollouts' sampling temperature: ratio and KL are those of the tempered policy that sampled them. Default 1. */
  temperature?: number;
}

export interface PpoMetrics {
  'losses/policy_loss': number;
  'losses/value_loss': number;
  'losses/approx_kl': number;
  'losses/clipfrac': number;
  'losses/explained_variance': number;
  'charts/kl_coef': number;
  'charts/mean_kl': number;
}

/**
 * GAE over agent steps instead of tokens: step j's reward is its fused reward minus β·Σ kl over
 * its action tokens, its value V(s_j) is read where the action starts, and the step's advantage
 * and return apply to every token of its action. Observation tokens then do not decay credit.
 */
function stepAdvantages(klRows: number[][], klCoef: number, rows: readonly PpoRow[], values: number[][], maskRows: number[][], opts: PpoUpdateOptions) {
  const segs = maskRows.map((m) => maskSegments(m));
  const stepRewards = rows.map((row, b) => {
    const s = segs[b] as Segment[];
    if (s.length !== row.ends.length) throw new Error(`step GAE: row ${b} has ${s.length} action runs for ${row.ends.length} step ends`);
    return s.map((seg, j) => {
      let k = 0;
      for (let p = seg.start; p <= seg.end; p++) k += (klRows[b] as number[])[p] as number;
      return (row.endRewards[j] as number) - klCoef * k;
    });
  });
  const stepValues = segs.map((s, b) => s.map((seg) => (values[b] as number[])[seg.start] as number));
  const g = stepGae(stepRewards, stepValues, { gamma: opts.gamma, lam: opts.lambda, whiten: true });
  return {
    advantages: g.advantages.map((a, b) => spreadOverSegments(a, segs[b] as Segment[], (maskRows[b] as number[]).length)),
    returns: g.returns.map((r, b) => spreadOverSegments(r, segs[b] as Segment[], (maskRows[b] as number[]).length)),
  };
}

/** [B·L] → B rows of L (copying each row once: Array.from(flat) per row was O(B²·L)). */
function rowsOf(flat: ArrayLike<number>, B: number, L: number): number[][] {
  return Array.from({ length: B }, (_, b) => {
    const row = new Array<number>(L);
    for (let i = 0; i < L; i++) row[i] = flat[b * L + i] as number;
    return row;
  });
}

/** One PPO batch: old log-probs and values under the current policy, rewards, GAE, then the updates. */
export function ppoUpdate(
  policy: TransformerLM,
  valueHead: ScalarHead,
  reference: TransformerLM,
  optimizer: tf.Optimizer,
  kl: KlController,
  tok: Tokenizer,
  rows: readonly PpoRow[],
  opts: PpoUpdateOptions,
): PpoMetrics {
  const B = rows.length;
  const temperature = opts.temperature ?? 1;
  const { L, inputs, targets, mask } = packRows(rows.map((r) => ({ tokens: r.tokens, targetMask: [0, ...r.mask] })), tok.special.pad);
  const [oldLp, refLp, oldV] = forwardRows({ inputs, targets, B, L }, ROWS_PER_PASS, (x, y) => {
    const { logProbs, hidden } = policy.logProbsAndHidden(x, y, temperature);
    return [logProbs, reference.logProbsOf(x, y, temperature), valueHead.apply(hidden)];
  }) as [Float32Array, Float32Array, Float32Array];
  pulse();
  const maskRows = rowsOf(mask, B, L);
  const klRows = rowsOf(oldLp.map((lp, i) => lp - (refLp[i] as number)), B, L);
  const rewards = klRows.map((k, b) => tokenRewards({ kl: k, klCoef: kl.value, stepEnds: (rows[b] as PpoRow).ends, stepRewards: (rows[b] as PpoRow).endRewards, multiplier: 'none', mask: maskRows[b] }));
  const gae =
    opts.gaeGranularity === 'step'
      ? stepAdvantages(klRows, kl.value, rows, rowsOf(oldV, B, L), maskRows, opts)
      : tokenGae(rewards, rowsOf(oldV, B, L), maskRows, { gamma: opts.gamma, lam: opts.lambda, whiten: true });
  const advantages = Float32Array.from(gae.advantages.flat());
  const returns = Float32Array.from(gae.returns.flat());

  const vars = [...policy.trainableVariables(), ...valueHead.trainableVariables()];
  const stats = { policy: 0, value: 0, approxKl: 0, clipFrac: 0, n: 0 };
  const rng = new Rng(`ppo#${opts.seed}`);
  // Action tokens per row: the losses are masked means, so a pass weighs by its tokens.
  const tokens = maskRows.map((m) => m.reduce((x, y) => x + y, 0));
  const groups = minibatchGroups(rows, opts.miniBatchUnit);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const idx of trajectoryMinibatches(groups, opts.miniBatchSize, rng)) {
      const { grads, stats: s } = minibatchGradients(idx, tokens, vars, (pass) => {
        const m = pass.length;
        const take = <A extends Float32Array | Int32Array>(a: A): A => takeRows(a, pass, L);
        const { logProbs, hidden } = policy.logProbsAndHidden(tf.tensor2d(take(inputs), [m, L], 'int32'), tf.tensor2d(take(targets), [m, L], 'int32'), temperature);
        const losses = ppoLosses({
          logProbs,
          oldLogProbs: tf.tensor2d(take(oldLp), [m, L]),
          advantages: tf.tensor2d(take(advantages), [m, L]),
          values: valueHead.apply(hidden),
          oldValues: tf.tensor2d(take(oldV), [m, L]),
          returns: tf.tensor2d(take(returns), [m, L]),
          mask: tf.tensor2d(take(mask), [m, L]),
          clip: opts.clip,
          clipValue: opts.clipValue,
          vfCoef: opts.vfCoef,
        });
        return { total: losses.total, stats: [losses.policyLoss, losses.valueLoss, losses.approxKl, losses.clipFrac] };
      });
      optimizer.applyGradients(grads);
      tf.dispose(Object.values(grads));
      stats.policy += s[0] as number;
      stats.value += s[1] as number;
      stats.approxKl += s[2] as number;
      stats.clipFrac += s[3] as number;
      stats.n++;
      pulse();
    }
  }
  // Adaptive KL: the batch mean of Σ_tokens kl·mask (TRL), n = trajectories in the batch.
  const meanKl = klRows.reduce((a, k, b) => a + k.reduce((s, x, p) => s + x * ((maskRows[b] as number[])[p] as number), 0), 0) / B;
  kl.update(meanKl, B);
  return {
    'losses/policy_loss': stats.policy / stats.n,
    'losses/value_loss': stats.value / stats.n,
    'losses/approx_kl': stats.approxKl / stats.n,
    'losses/clipfrac': stats.clipFrac / stats.n,
    'losses/explained_variance': explainedVariance(Array.from(oldV), Array.from(returns), Array.from(mask)),
    'charts/kl_coef': kl.value,
    'charts/mean_kl': meanKl,
  };
}
