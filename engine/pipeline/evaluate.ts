/**
 * Plays a policy on environment tasks, many episodes side by side: each agent turn is one
 * batched `generate` over the episodes still running. Greedy decoding for evaluation,
 * sampling (temperature 1) for exploration.
 *
 * The training stages play through `playEpisodes`, which survives misbehaving environments:
 * an exception from `reset`/`step` ends that episode only (recorded with its stack, left out
 * of the data). Environments come from `createEnv`: in a stage worker they live in a thread of
 * their own (engine/worker/env-host.ts), where a step that runs past the time limit is
 * abandoned and surfaces here as that episode's exception (`EnvStepTimeout`); in this thread
 * (tests, tools) a step that returned too late ends its episode as truncated with
 * `meta.reason = 'timeout'`. `playTasks` lets exceptions through (tools, benchmarks).
 */
import type { RunConfig } from '../../common/run-config';
import { TRAJECTORY_SCHEMA, type StepRecord, type Trajectory } from '../../common/trajectory';
import { envErrorRecord, stepTimeout, type EnvErrorRecord, type StepTimeoutMeta } from '../../envs/core/rollout';
import { Rng } from '../../envs/core/rng';
import type { EnvName, ResetResult, TaskBase, TextEnv } from '../../envs/core/types';
import { generate } from '../model/generate';
import type { TransformerLM } from '../model/transformer';
import type { Tokenizer } from '../tokenizer';
import { createEnv } from '../worker/env-host';
import { pulse } from '../worker/heartbeat';
import { episodeText, promptForStep, type PromptLayout } from './step-view';

/**
 * The stages' limits on misbehaving environments: the run config's `envFaults` (step time limit,
 * share of planned episodes that may fail). SPA_ENV_STEP_TIMEOUT_MS and SPA_MAX_ENV_ERROR_RATE
 * override them for one process (fault-injection tests, or a run that must be nursed through).
 */
export function envFaultLimits(config: Pick<RunConfig, 'envFaults'>, env: NodeJS.ProcessEnv = process.env): { maxErrorRate: number; stepTimeoutMs: number } {
  const num = (name: string, fallback: number, ok: (x: number) => boolean) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const x = Number(raw);
    if (!ok(x)) throw new Error(`${name}=${raw} is not valid`);
    return x;
  };
  return {
    maxErrorRate: num('SPA_MAX_ENV_ERROR_RATE', config.envFaults.maxErrorRate, (x) => x >= 0 && x <= 1),
    stepTimeoutMs: num('SPA_ENV_STEP_TIMEOUT_MS', config.envFaults.stepTimeoutMs, (x) => x > 0),
  };
}

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
  /** Wall-time limit of one environment step (ms); a slower step ends its episode as truncated, `meta.reason = 'timeout'`. */
  stepTimeoutMs?: number;
}

interface Episode {
  env: TextEnv;
  reset: ResetResult | null;
  steps: StepRecord[];
  done: boolean;
  terminated: boolean;
  truncated: boolean;
  finalReward: number;
  success: boolean;
  error: EnvErrorRecord | null;
  timeout: StepTimeoutMeta | null;
}

export interface PlayedEpisodes {
  /** One per task, in task order; null where the environment threw (see `errors`). */
  trajectories: (Trajectory | null)[];
  /** The environment exceptions, with the episode (task position) they ended. */
  errors: EnvErrorRecord[];
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

/** Plays one episode per task (id or task object) and returns the trajectories, in task order. An environment's exception is thrown. */
export function playTasks(model: TransformerLM, tok: Tokenizer, envName: EnvName, tasks: readonly (string | TaskBase)[], opts: PlayOptions): Trajectory[] {
  return play(model, tok, envName, tasks, opts, false).trajectories as Trajectory[];
}

/** Like playTasks, but an environment that throws ends only its own episode: null in its place, the error in `errors`. */
export function playEpisodes(model: TransformerLM, tok: Tokenizer, envName: EnvName, tasks: readonly (string | TaskBase)[], opts: PlayOptions): PlayedEpisodes {
  return play(model, tok, envName, tasks, opts, true);
}

function play(model: TransformerLM, tok: Tokenizer, envName: EnvName, tasks: readonly (string | TaskBase)[], opts: PlayOptions, catchErrors: boolean): PlayedEpisodes {
  const rng = new Rng(`play#${opts.policyName}#${opts.seed}`);
  const errors: EnvErrorRecord[] = [];
  const fail = (e: Episode, error: unknown, where: Pick<EnvErrorRecord, 'episode' | 'taskId' | 'phase'>) => {
    if (!catchErrors) throw error;
    e.error = envErrorRecord(error, { ...where, seed: opts.seed, step: e.steps.length });
    errors.push(e.error);
    e.done = true;
  };
  const taskIdOf = (task: string | TaskBase) => (typeof task === 'string' ? task : task.id);
  const episodes: Episode[] = tasks.map((task, i) => {
    const env = createEnv(envName);
    const e: Episode = { env, reset: null, steps: [], done: false, terminated: false, truncated: false, finalReward: 0, success: false, error: null, timeout: null };
    try {
      e.reset = env.reset({ task, seed: opts.seed });
    } catch (error) {
      fail(e, error, { episode: i, taskId: taskIdOf(task), phase: 'reset' });
    }
    return e;
  });
  const context = model.config.context;
  for (let turn = 0; turn < (opts.maxTurns ?? Infinity) && episodes.some((e) => !e.done); turn++) {
    const active = episodes.filter((e) => !e.done);
    const prompts = active.map((e) => {
      const text = episodeText({ env: envName, initialObservation: (e.reset as ResetResult).observation, steps: e.steps }, opts.layout, { open: true });
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
    pulse();
    active.forEach((e, i) => {
      const text = turnText(tok, out.tokens[i] as number[], opts.maxNewTokens);
      const stepStarted = opts.stepTimeoutMs === undefined ? 0 : performance.now();
      let r;
      try {
        r = e.env.step(text);
      } catch (error) {
        const task = (e.reset as ResetResult).info.task;
        fail(e, error, { episode: episodes.indexOf(e), taskId: task.id, phase: 'step' });
        return;
      }
      e.steps.push({ text, thought: r.info.thought, action: r.info.action, observation: r.observation, valid: r.info.valid, reward: r.reward, progress: r.info.progress });
      e.finalReward = r.terminated ? r.reward : 0;
      e.success = r.info.success;
      e.terminated = r.terminated;
      e.truncated = r.truncated;
      e.done = r.terminated || r.truncated;
      if (opts.stepTimeoutMs !== undefined && !r.terminated) {
        e.timeout = stepTimeout(e.steps.length, performance.now() - stepStarted, opts.stepTimeoutMs);
        if (e.timeout) {
          e.truncated = true;
          e.done = true;
        }
      }
      pulse();
    });
  }
  const trajectories = episodes.map((e): Trajectory | null => {
    if (catchErrors) {
      try {
        e.env.close();
      } catch {
        // A broken environment may fail to close as well; what it played is complete.
      }
    } else e.env.close();
    if (e.error || !e.reset) return null;
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
      ...(e.timeout ? { meta: { ...e.timeout } } : {}),
    };
  });
  return { trajectories, errors };
}
