/**
 * Helpers the stages share: reading a stage's trajectories, loading and saving
 * models with their tokenizer, and the rollout summary metrics.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../../common/run-config';
import type { RunTrajectory } from '../../../common/run-schema';
import type { Trajectory } from '../../../common/trajectory';
import { loadLatestCheckpoint, disposeCheckpoint, saveCheckpoint, restoreOptimizer, type LoadedCheckpoint } from '../../checkpoint';
import type { ModelConfig } from '../../model/config';
import { ScalarHead } from '../../model/heads';
import { TransformerLM, weightShapes } from '../../model/transformer';
import { readLogSync } from '../../storage/append-log';
import { Tokenizer } from '../../tokenizer';
import type { PeDataOptions } from '../progress';
import { STAGE_TRAJECTORIES } from './stage-io';

export const CHECKPOINTS = 'checkpoints';

/** Records of a checked log; a missing file reads as empty (a stage that has not written yet). */
export function readRecords<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readLogSync<T>(path).records;
}

/** A stage's trajectories (its local copy), in the order written. */
export function readStageTrajectories(stageDir: string): RunTrajectory[] {
  return readRecords<RunTrajectory>(join(stageDir, STAGE_TRAJECTORIES));
}

export function modelConfigOf(c: RunConfig, tok: Tokenizer): ModelConfig {
  return { ...c.model, vocabSize: tok.vocabSize };
}

/** Step views of this config (the same for SFT, PE, PPO and generation). */
export function viewOptions(c: RunConfig): PeDataOptions {
  return { context: c.model.context, reserve: c.prompt.maxNewTokens, layout: c.prompt.layout, includeAckStep: c.reward.includeAckStep && c.prompt.layout === 'full' };
}

export interface LoadedModel {
  model: TransformerLM;
  tok: Tokenizer;
  head: ScalarHead | null;
  checkpoint: LoadedCheckpoint;
}

/** The newest good checkpoint of a stage folder as a policy (and the named head when present). */
export async function loadModel(stageDir: string, headName?: string): Promise<LoadedModel> {
  const latest = await loadLatestCheckpoint(join(stageDir, CHECKPOINTS));
  const ckpt = latest.checkpoint;
  if (!ckpt) throw new Error(`no usable checkpoint in ${stageDir}${latest.warnings.length ? ` (${latest.warnings.join('; ')})` : ''}`);
  const tok = Tokenizer.fromJSON(ckpt.tokenizer);
  const config = ckpt.modelConfig as ModelConfig;
  const weights = new Map(Object.entries(ckpt.weights));
  const names = new Set(weightShapes(config).map(([n]) => n));
  const modelWeights = new Map([...weights].filter(([k]) => names.has(k)));
  const model = new TransformerLM(config, {}, modelWeights);
  const head = headName && weights.has(`${headName}.w`) ? new ScalarHead(headName, config.dModel, {}, weights) : null;
  return { model, tok, head, checkpoint: ckpt };
}

export function releaseModel(m: LoadedModel): void {
  m.model.dispose();
  m.head?.dispose();
  disposeCheckpoint(m.checkpoint);
}

export interface SaveModelInput {
  dir: string;
  step: number;
  model: TransformerLM;
  tok: Tokenizer;
  heads?: ScalarHead[];
  optimizer?: tf.Optimizer;
  trainerState: unknown;
}

export async function saveModel(s: SaveModelInput): Promise<void> {
  const weights = new Map<string, tf.Variable>([...s.model.namedWeights(), ...(s.heads ?? []).flatMap((h) => [...h.namedWeights()])]);
  await saveCheckpoint(join(s.dir, CHECKPOINTS), { step: s.step, weights, optimizer: s.optimizer, trainerState: s.trainerState, modelConfig: s.model.config, tokenizer: s.tok.toJSON() }, { keep: 2 });
}

/** Restores an optimizer saved with the model (variable order = the order of `vars`). */
export async function restoreOptimizerFrom(ckpt: LoadedCheckpoint, optimizer: tf.Optimizer, vars: readonly tf.Variable[]): Promise<void> {
  if (ckpt.optimizer) await restoreOptimizer(optimizer, ckpt.optimizer, vars);
}

/** Success, grounding and length of a batch of rollouts (CleanRL-style chart names). */
export function rolloutMetrics(trajs: readonly Trajectory[], prefix = 'charts'): Record<string, number> {
  const n = Math.max(trajs.length, 1);
  const steps = trajs.reduce((a, t) => a + t.steps.length, 0);
  const valid = trajs.reduce((a, t) => a + t.steps.filter((s) => s.valid).length, 0);
  return {
    [`${prefix}/episodic_return`]: trajs.reduce((a, t) => a + t.finalReward, 0) / n,
    [`${prefix}/success_rate`]: trajs.filter((t) => t.success).length / n,
    [`${prefix}/grounding_accuracy`]: steps ? valid / steps : 0,
    [`${prefix}/episode_length`]: steps / n,
  };
}
