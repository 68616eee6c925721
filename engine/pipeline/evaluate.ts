/**
 * Plays a policy on environment tasks, many episodes side by side: each agent turn is one
 * batched `generate` over the episodes still running. Greedy decoding for evaluation,
 * sampling (temperature 1) for exploration.
 */
import { TRAJECTORY_SCHEMA, type StepRecord, type Trajectory } from '../../common/trajectory';
import { Rng } from '../../envs/core/rng';
import type { EnvName, ResetResult, TaskBase, TextEnv } from '../../envs/core/types';
import { makeEnv } from '../../envs/registry';
import { generate } from '../model/generate';
import type { TransformerLM } from '../model/transformer';
import type { Tokenizer } from '../tokenizer';
import { episodeText, promptForStep, type PromptLayout } from './step-view';

export interface PlayOptions {
  layout: PromptLayout;
  /** Tokens an agent turn may take (and the room kept free in the context for it). */
  maxNewTokens: number;
  greedy: boolean;
  temperature?: number;
  topP?: number;
  seed: number;
  policyName: string;
  /** Stop every episode after this many agent turns (default: the environment's step limit). */
  maxTurns?: number;
  /** Use the key/value cache (default true; the benchmark also measures without it). */
  useCache?: boolean;
  /** Sees each batched turn: prompt lengths, generated tokens and the time spent in generate(). */
  onTurn?: (turn: { promptTokens: number[]; generatedTokens: number; generateMs: number }) => void;
}

interface Episode {
  env: TextEnv;
  reset: ResetResult;
  steps: StepRecord[];
  done: boolean;
  terminated: boolean;
  truncated: boolean;
  finalReward: number;
  success: boolean;
}

/**
 * The text of a generated turn, cut so that its re-encoding fits the turn budget: decoding can
 * join pieces the tokenizer then splits finer ("ActionAction…" from 40 tokens re-encodes to
 * 240), and training re-encodes the stored text, so the stored text must fit what was reserved.
 */
export function turnText(tok: Tokenizer, generated: readonly number[], maxNewTokens: number): string {
  const text = tok.decode(generated.filter((t) => t !== tok.special.eot));
  const ids = tok.encode(text);
  return ids.length <= maxNewTokens ? text : tok.decode(ids.slice(0, maxNewTokens));
}

/** Plays one episode per task (id or task object) and returns the trajectories, in task order. */
export function playTasks(model: TransformerLM, tok: Tokenizer, envName: EnvName, tasks: readonly (string | TaskBase)[], opts: PlayOptions): Trajectory[] {
  const rng = new Rng(`play#${opts.policyName}#${opts.seed}`);
  const episodes: Episode[] = tasks.map((task) => {
    const env = makeEnv(envName);
    return { env, reset: env.reset({ task, seed: opts.seed }), steps: [], done: false, terminated: false, truncated: false, finalReward: 0, success: false };
  });
  const context = model.config.context;
  for (let turn = 0; turn < (opts.maxTurns ?? Infinity) && episodes.some((e) => !e.done); turn++) {
    const active = episodes.filter((e) => !e.done);
    const prompts = active.map((e) => {
      const text = episodeText({ env: envName, initialObservation: e.reset.observation, steps: e.steps }, opts.layout, { open: true });
      return promptForStep(tok, text, e.steps.length, { context, reserve: opts.maxNewTokens });
    });
    const started = performance.now();
    const out = generate(model, prompts, {
      maxNewTokens: opts.maxNewTokens,
      greedy: opts.greedy,
      temperature: opts.temperature ?? 1,
      topP: opts.topP ?? 1,
      stopTokens: [tok.special.eot],
      rng: () => rng.next(),
      useCache: opts.useCache ?? true,
    });
    opts.onTurn?.({ promptTokens: prompts.map((p) => p.length), generatedTokens: out.tokens.reduce((n, t) => n + t.length, 0), generateMs: performance.now() - started });
    active.forEach((e, i) => {
      const text = turnText(tok, out.tokens[i] as number[], opts.maxNewTokens);
      const r = e.env.step(text);
      e.steps.push({ text, thought: r.info.thought, action: r.info.action, observation: r.observation, valid: r.info.valid, reward: r.reward, progress: r.info.progress });
      e.finalReward = r.terminated ? r.reward : 0;
      e.success = r.info.success;
      e.terminated = r.terminated;
      e.truncated = r.truncated;
      e.done = r.terminated || r.truncated;
    });
  }
  return episodes.map((e) => {
    e.env.close();
    const task = e.reset.info.task;
    return {
      schema: TRAJECTORY_SCHEMA,
      id: `${task.id}#${opts.policyName}#${opts.seed}`,
      env: envName,
      split: task.split,
      taskId: task.id,
      taskType: task.taskType,
      goal: task.goal,
      policy: opts.policyName,
      seed: opts.seed,
      initialObservation: e.reset.observation,
      steps: e.steps,
      finalReward: e.finalReward,
      success: e.success,
      terminated: e.terminated,
      truncated: e.truncated,
    };
  });
}
