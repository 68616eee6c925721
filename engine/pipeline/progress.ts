/**
 * The progress estimator (method doc §3.4–3.5): a copy of the SFT policy plus a scalar head,
 * read at the closing <eot> of every agent turn (c_t sees the history and action t, not the
 * next observation), trained ONLY with MSE(Σ_t c_t, R) over whole trajectories.
 */
import * as tf from '@tensorflow/tfjs';
import type { Trajectory } from '../../common/trajectory';
import { Rng } from '../../envs/core/rng';
import { progressEstimatorLoss } from '../algo/losses';
import { clipByGlobalNorm, logWarmupCosineFactor, logWarmupFactor, setLearningRate } from '../model/optim';
import type { ScalarHead } from '../model/heads';
import type { TransformerLM } from '../model/transformer';
import type { Tokenizer } from '../tokenizer';
import { ACK_STEP, episodeText, trainingSequences, type PromptLayout, type TrainingSequence } from './step-view';

export interface PeDataOptions {
  context: number;
  reserve: number;
  layout: PromptLayout;
  /** Whether the "OK" turn is a scored step (code parity: true; only in the full layout). */
  includeAckStep: boolean;
}

/** One trajectory as the estimator reads it. */
export interface PeSample {
  sequences: TrainingSequence[];
  /** Steps in reading order (ACK_STEP first when scored). */
  steps: number[];
  finalReward: number;
}

export function peSamples(tok: Tokenizer, trajectories: readonly Trajectory[], opts: PeDataOptions): PeSample[] {
  return trajectories.map((t) => {
    const sequences = trainingSequences(tok, episodeText(t, opts.layout), opts);
    return { sequences, steps: sequences.flatMap((s) => s.stepEnds.map((e) => e.step)), finalReward: t.finalReward };
  });
}

export class ProgressEstimator {
  constructor(
    readonly trunk: TransformerLM,
    readonly head: ScalarHead,
  ) {}

  trainableVariables(): tf.Variable[] {
    return [...this.trunk.trainableVariables(), ...this.head.trainableVariables()];
  }

  /**
   * c_t of every step of `samples`, in order, as one [N_steps] tensor (differentiable), plus
   * the trajectory index of each step. Sequences are right-padded into one batch; a one-hot
   * selection matrix picks the step-end positions (tf.gather has no gradient on wasm).
   */
  stepScalars(samples: readonly PeSample[], pad: number): { c: tf.Tensor1D; segmentIds: number[] } {
    const rows = samples.flatMap((s) => s.sequences);
    const L = Math.max(...rows.map((r) => r.tokens.length));
    const ids = new Int32Array(rows.length * L).fill(pad);
    rows.forEach((r, i) => ids.set(r.tokens, i * L));
    const picks: number[] = [];
    const segmentIds: number[] = [];
    let row = 0;
    samples.forEach((s, k) => {
      for (const seq of s.sequences) {
        for (const e of seq.stepEnds) {
          picks.push(row * L + e.position);
          segmentIds.push(k);
        }
        row++;
      }
    });
    const select = new Float32Array(picks.length * rows.length * L);
    picks.forEach((p, i) => (select[i * rows.length * L + p] = 1));
    const c = tf.tidy(() => {
      const tokens = tf.tensor2d(ids, [rows.length, L], 'int32');
      const { hidden } = this.trunk.forward(tokens); // [R, L, d]
      const scalars = tf.reshape(this.head.apply(hidden), [rows.length * L, 1]); // [R·L, 1]
      const S = tf.tensor2d(select, [picks.length, rows.length * L]); // [N_steps, R·L]
      return tf.reshape(tf.matMul(S, scalars), [picks.length]) as tf.Tensor1D; // [N_steps]
    });
    return { c, segmentIds };
  }

  /** Per-trajectory contributions: `ack` is c_0 of the "OK" turn when it was scored. */
  contributions(samples: readonly PeSample[], pad: number, maxSequencesPerPass = DEFAULT_SEQUENCES_PER_PASS): { ack: number | null; steps: number[] }[] {
    const out: { ack: number | null; steps: number[] }[] = [];
    for (const batch of passesOf(samples, maxSequencesPerPass)) {
      const { c, segmentIds } = this.stepScalars(batch, pad);
      const values = c.dataSync();
      c.dispose();
      batch.forEach((s, k) => {
        const mine = Array.from(values).filter((_, i) => segmentIds[i] === k);
        const ackAt = s.steps.indexOf(ACK_STEP);
        out.push({ ack: ackAt >= 0 ? (mine[ackAt] as number) : null, steps: mine.filter((_, i) => i !== ackAt) });
      });
    }
    return out;
  }
}

export interface PeTrainOptions {
  epochs: number;
  lr: number;
  /** Trajectories per update (the code: 16). */
  batchSize: number;
  seed: number;
  /** Continue with this optimizer (kept alive; resume restores its state). Default: a new Adam, disposed at the end. */
  optimizer?: tf.Optimizer;
  /** First epoch to run (resume); epochs before it are skipped. */
  firstEpoch?: number;
  /**
   * Sequences (context windows) per forward/backward pass. A batch is split into passes of
   * whole trajectories under this budget and their gradients summed before one update, so
   * the update is the same as one pass over the batch — but activations of 16 forty-step
   * trajectories no longer have to fit at once (they overflowed wasm's 4 GiB heap at the
   * quick preset). A trajectory longer than the budget gets a pass of its own.
   */
  maxSequencesPerPass?: number;
  /** Clip each update's gradient to this global norm (the PE script: 1.0); none when omitted. */
  clipNorm?: number;
  /** Updates over which the learning rate warms up, log-shaped (DeepSpeed WarmupLR); none when omitted. */
  warmupUpdates?: number;
  /** After the warm-up, decay the rate along half a cosine toward 0 at this update (the stage's last); constant when omitted (the code). */
  cosineToUpdate?: number;
  onUpdate?: (update: number, epoch: number, loss: number, gradNorm: number) => void;
}

export const DEFAULT_SEQUENCES_PER_PASS = 32;

/** Consecutive groups of whole trajectories with at most `budget` sequences each (at least one trajectory). */
export function passesOf(batch: readonly PeSample[], budget: number): PeSample[][] {
  const passes: PeSample[][] = [];
  let current: PeSample[] = [];
  let rows = 0;
  for (const s of batch) {
    if (current.length && rows + s.sequences.length > budget) {
      passes.push(current);
      current = [];
      rows = 0;
    }
    current.push(s);
    rows += s.sequences.length;
  }
  if (current.length) passes.push(current);
  return passes;
}

/**
 * Loss and gradients of one batch, pass by pass: each pass's loss is its trajectories' share
 * of the batch mean (Σ over its trajectories / batch size), so losses and gradients add up.
 */
function batchGradients(pe: ProgressEstimator, pad: number, batch: readonly PeSample[], budget: number, vars: tf.Variable[]): { loss: number; grads: tf.NamedTensorMap } {
  let loss = 0;
  let grads: tf.NamedTensorMap = {};
  for (const pass of passesOf(batch, budget)) {
    const { value, grads: g } = tf.variableGrads(() => {
      const { c, segmentIds } = pe.stepScalars(pass, pad);
      return tf.mul(progressEstimatorLoss(c, segmentIds, pass.map((s) => s.finalReward)), pass.length / batch.length) as tf.Scalar;
    }, vars);
    loss += value.dataSync()[0] as number;
    value.dispose();
    if (Object.keys(grads).length === 0) grads = g;
    else {
      const summed = tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([k, v]) => [k, tf.add(v, g[k] as tf.Tensor)])));
      tf.dispose([grads, g]);
      grads = summed;
    }
  }
  return { loss, grads };
}

/** Trains the estimator in place with MSE(Σ_t c_t, R); returns each epoch's mean loss. */
export function trainProgressEstimator(pe: ProgressEstimator, tok: Tokenizer, samples: readonly PeSample[], opts: PeTrainOptions): number[] {
  const optimizer: tf.Optimizer = opts.optimizer ?? tf.train.adam(opts.lr); // typed as the base class: it takes gradient maps
  const vars = pe.trainableVariables();
  const losses: number[] = [];
  const first = opts.firstEpoch ?? 0;
  let update = first * Math.ceil(samples.length / opts.batchSize);
  try {
    for (let epoch = first; epoch < opts.epochs; epoch++) {
      const order = new Rng(`pe#${opts.seed}#${epoch}`).shuffle(samples.map((_, i) => i));
      let sum = 0;
      let batches = 0;
      for (let from = 0; from < order.length; from += opts.batchSize) {
        const batch = order.slice(from, from + opts.batchSize).map((i) => samples[i] as PeSample);
        const { loss, grads } = batchGradients(pe, tok.special.pad, batch, opts.maxSequencesPerPass ?? DEFAULT_SEQUENCES_PER_PASS, vars);
        update++;
        const { grads: step, norm } = clipByGlobalNorm(grads, opts.clipNorm);
        const warmup = opts.warmupUpdates ?? 0;
        setLearningRate(optimizer, opts.lr * (opts.cosineToUpdate ? logWarmupCosineFactor(update, warmup, opts.cosineToUpdate) : logWarmupFactor(update, warmup)));
        optimizer.applyGradients(step);
        tf.dispose(grads);
        if (step !== grads) tf.dispose(step);
        sum += loss;
        batches++;
        opts.onUpdate?.(update, epoch, loss, norm);
      }
      losses.push(sum / Math.max(batches, 1));
    }
  } finally {
    if (!opts.optimizer) optimizer.dispose();
  }
  return losses;
}
