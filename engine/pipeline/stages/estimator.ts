/**
 * Stage "estimator" (method doc §3.4–3.5): the progress estimator starts from the SFT
 * policy's weights with a fresh scalar head, is trained only with MSE(Σ_t c_t, R) on the
 * exploration trajectories, then scores them (per-step inference). One checkpoint per epoch.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { loadLatestCheckpoint } from '../../checkpoint';
import { createProgressHead } from '../../model/heads';
import { scoreAndFuse } from '../fusion';
import { peSamples, ProgressEstimator, trainProgressEstimator } from '../progress';
import { attributionMetrics } from '../../../common/attribution';
import { CHECKPOINTS, loadModel, readStageTrajectories, releaseModel, restoreOptimizerFrom, saveModel, viewOptions } from './shared';
import type { StageIo } from './stage-io';

interface PeState {
  epoch: number;
  update: number;
}

export async function runEstimatorStage(io: StageIo): Promise<void> {
  const c = io.job.config;
  const base = await loadModel(io.job.inputs.sft as string);
  const head = createProgressHead(base.model.config, { seed: `pe#${c.seed}` });
  const pe = new ProgressEstimator(base.model, head);
  const optimizer: tf.Optimizer = tf.train.adam(c.estimator.lr);
  let state: PeState = { epoch: 0, update: 0 };
  const latest = await loadLatestCheckpoint(join(io.job.outDir, CHECKPOINTS));
  if (latest.checkpoint) {
    const ck = latest.checkpoint;
    for (const [name, v] of [...base.model.namedWeights(), ...head.namedWeights()]) v.assign(ck.weights[name] as tf.Tensor);
    await restoreOptimizerFrom(ck, optimizer, pe.trainableVariables());
    state = ck.trainerState as PeState;
    tf.dispose(Object.values(ck.weights));
    io.log(`resuming at epoch ${state.epoch + 1}`);
  }
  io.begin(state.update);
  try {
    const explored = readStageTrajectories(io.job.inputs.explore as string);
    const view = viewOptions(c);
    const samples = peSamples(base.tok, explored, view);
    const perEpoch = Math.ceil(samples.length / c.estimator.batchSize);
    const epochs = Math.ceil(c.estimator.epochs);
    io.log(`estimator: ${samples.length} trajectories (${explored.filter((t) => t.success).length} successful), ${perEpoch} updates per epoch`);
    for (let epoch = state.epoch; epoch < epochs && !io.cancelled; epoch++) {
      trainProgressEstimator(pe, base.tok, samples, {
        epochs: epoch + 1,
        firstEpoch: epoch,
        lr: c.estimator.lr,
        batchSize: c.estimator.batchSize,
        seed: c.seed,
        optimizer,
        clipNorm: c.estimator.clipNorm,
        warmupUpdates: Math.round(c.estimator.warmup * epochs * perEpoch),
        cosineToUpdate: c.estimator.schedule === 'cosine' ? epochs * perEpoch : undefined,
        onUpdate: (update, _epoch, loss, gradNorm) => {
          io.metric(update, { 'progress/loss': loss, 'progress/grad_norm': gradNorm });
          io.progress(update, epochs * perEpoch);
        },
      });
      state = { epoch: epoch + 1, update: (epoch + 1) * perEpoch };
      await saveModel({ dir: io.job.outDir, step: state.update, model: base.model, tok: base.tok, heads: [head], optimizer, trainerState: state });
    }
    if (io.cancelled) return;
    if (state.update === 0) await saveModel({ dir: io.job.outDir, step: 0, model: base.model, tok: base.tok, heads: [head], trainerState: state });
    // Per-step inference on the exploration set: c_t on every step, for the record and the studio.
    // c_t only: r_t depends on each method's α and β, and methods share this stage.
    const scored = scoreAndFuse(pe, base.tok, explored, view, { alpha: 1, beta: 0, stepValueSource: 'pe' }).trajectories.map((t) => ({
      ...t,
      steps: t.steps.map((s) => ({ ...s, fusedReward: undefined })),
    }));
    const quality = attributionMetrics(scored);
    io.trajectories(state.update + 1, 'explore-scored', scored);
    io.metric(state.update + 1, { ...(quality ?? {}) });
    io.log(`estimator on its training set: MSE(Σc, R) ${quality?.['progress/mse'].toFixed(4)}, corr(c, Δoracle) ${quality?.['progress/oracle_corr'].toFixed(3)}`);
  } finally {
    optimizer.dispose();
    head.dispose();
    releaseModel(base);
  }
}
