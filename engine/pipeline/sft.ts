/**
 * Supervised fine-tuning (behaviour cloning) on trajectories: the SFT stage on expert
 * demonstrations, and RFT on the agent's own successes. Loss only on agent turns (the
 * content and its closing <eot>), as in the code's masking; the views are step-view.ts's.
 */
import * as tf from '@tensorflow/tfjs';
import type { Trajectory } from '../../common/trajectory';
import { Rng } from '../../envs/core/rng';
import { cosineWarmupFactor, setLearningRate } from '../model/optim';
import { lmTrainStep, type TokenBatch } from '../model/train-step';
import type { TransformerLM } from '../model/transformer';
import type { Tokenizer } from '../tokenizer';
import { packRows } from './batch';
import { episodeText, trainingSequences, type PromptLayout, type TrainingSequence } from './step-view';

export interface SftDataOptions {
  context: number;
  /** The generation budget of one agent turn (see step-view.ts). */
  reserve: number;
  layout: PromptLayout;
  includeAckStep?: boolean;
}

export function sftSequences(tok: Tokenizer, trajectories: readonly Trajectory[], opts: SftDataOptions): TrainingSequence[] {
  return trajectories.flatMap((t) => trainingSequences(tok, episodeText(t, opts.layout), opts));
}

/**
 * Packs sequences into next-token batches of `batchSize` rows, right-padded with <pad> to the
 * longest row of each batch (mask 0 on padding). Shuffled by `seed` for each epoch.
 */
export function toBatches(tok: Tokenizer, sequences: readonly TrainingSequence[], batchSize: number, seed: string): TokenBatch[] {
  const order = new Rng(seed).shuffle(sequences.map((_, i) => i));
  const batches: TokenBatch[] = [];
  for (let from = 0; from < order.length; from += batchSize) {
    const rows = order.slice(from, from + batchSize).map((i) => sequences[i] as TrainingSequence);
    const { L: seqLen, inputs: tokens, targets, mask } = packRows(rows, tok.special.pad);
    batches.push({ tokens, targets, mask, batch: rows.length, seqLen });
  }
  return batches;
}

/** The code's SFT schedule: cosine decay after a linear warm-up over 3% of the updates. */
export const SFT_WARMUP_RATIO = 0.03;

/** The learning rate of the update after `done` of `total` (SFT and RFT). */
export function sftLearningRate(lr: number, done: number, total: number): number {
  return lr * cosineWarmupFactor(done, total, SFT_WARMUP_RATIO);
}

export interface SftOptions {
  epochs: number;
  lr: number;
  batchSize: number;
  seed: number;
  /** Called after every update with the loss before it. */
  onUpdate?: (update: number, epoch: number, loss: number) => void;
}

/** Trains `model` in place; returns the mean loss of each epoch. */
export function trainSft(model: TransformerLM, tok: Tokenizer, sequences: readonly TrainingSequence[], opts: SftOptions): number[] {
  const optimizer = tf.train.adam(opts.lr);
  const epochLosses: number[] = [];
  let update = 0;
  const total = opts.epochs * Math.ceil(sequences.length / opts.batchSize);
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      let sum = 0;
      const batches = toBatches(tok, sequences, opts.batchSize, `sft#${opts.seed}#${epoch}`);
      for (const batch of batches) {
        setLearningRate(optimizer, sftLearningRate(opts.lr, update, total));
        const loss = lmTrainStep(model, optimizer, batch);
        sum += loss;
        update++; // not inside onUpdate?.(…): optional chaining skips evaluating its arguments
        opts.onUpdate?.(update, epoch, loss);
      }
      epochLosses.push(sum / Math.max(batches.length, 1));
    }
  } finally {
    optimizer.dispose();
  }
  return epochLosses;
}
