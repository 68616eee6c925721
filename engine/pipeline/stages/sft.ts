/**
 * Stage "sft" (and "rft"): behaviour cloning on trajectories, one checkpoint per epoch so an
 * interrupted stage resumes at the epoch it was in, with Adam's state and the same batch order
 * (batches are shuffled by seed and epoch). The learning rate follows the code's cosine schedule
 * with 3% warm-up (sft.ts), a function of the update count, so a resumed stage continues it.
 * SFT learns from a fresh model on the expert demonstrations; RFT continues the SFT model on
 * the demonstrations plus the agent's own successful explorations (selectForRft).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Trajectory } from '../../../common/trajectory';
import { selectForRft } from '../../algo/grpo';
import { lmTrainStep } from '../../model/train-step';
import { TransformerLM } from '../../model/transformer';
import { loadLatestCheckpoint } from '../../checkpoint';
import { Tokenizer } from '../../tokenizer';
import { setLearningRate } from '../../model/optim';
import { sftLearningRate, sftSequences, toBatches } from '../sft';
import { TOKENIZER_FILE } from './data';
import { CHECKPOINTS, loadModel, modelConfigOf, readStageTrajectories, releaseModel, restoreOptimizerFrom, saveModel, viewOptions, type LoadedModel } from './shared';
import type { StageIo } from './stage-io';

interface SftState {
  epoch: number;
  update: number;
}

export async function runSftStage(io: StageIo, mode: 'sft' | 'rft'): Promise<void> {
  const c = io.job.config;
  const dataDir = io.job.inputs.data as string;
  let tok: Tokenizer;
  let model: TransformerLM;
  let base: LoadedModel | null = null;
  let data: Trajectory[] = readStageTrajectories(dataDir);
  if (mode === 'sft') {
    tok = Tokenizer.fromJSON(JSON.parse(readFileSync(join(dataDir, TOKENIZER_FILE), 'utf8')));
    model = new TransformerLM(modelConfigOf(c, tok), { seed: `sft#${c.seed}` });
  } else {
    base = await loadModel(io.job.inputs.sft as string);
    tok = base.tok;
    model = base.model;
    const own = selectForRft(readStageTrajectories(io.job.inputs.explore as string));
    io.log(`RFT: ${data.length} demonstrations + ${own.length} successful explorations`);
    data = [...data, ...own];
  }
  const optimizer: tf.Optimizer = tf.train.adam(c.sft.lr);
  const vars = model.trainableVariables();
  let state: SftState = { epoch: 0, update: 0 };
  const latest = await loadLatestCheckpoint(join(io.job.outDir, CHECKPOINTS));
  if (latest.checkpoint) {
    for (const w of latest.warnings) io.log(w);
    const ck = latest.checkpoint;
    for (const [name, v] of model.namedWeights()) v.assign(ck.weights[name] as tf.Tensor);
    await restoreOptimizerFrom(ck, optimizer, vars);
    state = ck.trainerState as SftState;
    tf.dispose(Object.values(ck.weights));
    io.log(`resuming at epoch ${state.epoch + 1} (update ${state.update})`);
  }
  io.begin(state.update);
  try {
    const sequences = sftSequences(tok, data, viewOptions(c));
    const perEpoch = Math.ceil(sequences.length / c.sft.batchSize);
    const total = Math.ceil(c.sft.epochs) * perEpoch;
    io.log(`${mode.toUpperCase()}: ${sequences.length} sequences, ${perEpoch} updates per epoch`);
    for (let epoch = state.epoch; epoch < Math.ceil(c.sft.epochs) && !io.cancelled; epoch++) {
      const started = performance.now();
      let tokens = 0;
      let sum = 0;
      const batches = toBatches(tok, sequences, c.sft.batchSize, `${mode}#${c.seed}#${epoch}`);
      for (const batch of batches) {
        const lr = sftLearningRate(c.sft.lr, state.update, total);
        setLearningRate(optimizer, lr);
        const loss = lmTrainStep(model, optimizer, batch);
        tokens += batch.batch * batch.seqLen;
        sum += loss;
        state.update++;
        io.metric(state.update, { [`${mode}/loss`]: loss, [`${mode}/lr`]: lr, [`${mode}/epoch`]: epoch + 1, 'charts/tokens_per_second': tokens / ((performance.now() - started) / 1000) });
        io.progress(state.update, total);
      }
      state = { epoch: epoch + 1, update: state.update };
      io.log(`epoch ${epoch + 1}: mean loss ${(sum / Math.max(batches.length, 1)).toFixed(4)}`);
      await saveModel({ dir: io.job.outDir, step: state.update, model, tok, optimizer, trainerState: state });
    }
    if (state.update === 0) await saveModel({ dir: io.job.outDir, step: 0, model, tok, trainerState: state });
  } finally {
    optimizer.dispose();
    if (base) releaseModel(base);
    else model.dispose();
  }
}
