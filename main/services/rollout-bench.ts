/**
 * `spa bench rollout`: how fast the policy acts in an environment. A batch of episodes
 * (default 16 ALFWorld training tasks) is played by the benchmark model (untrained, so its
 * turns are mostly format errors: the cost is the same) through the pipeline's own `playTasks`:
 * each agent step builds the compact step view (task message and the most recent turns that fit),
 * generates one turn per episode in a single batched call (temperature 1, top-p 1, stop at
 * <eot>), decodes it and steps the environment.
 *
 * Measured twice, with the KV cache and without it (every generated token re-runs the whole
 * forward over the sequence). Reported: agent steps/s and generated tokens/s of each, and
 * the ratio of the token rates. The no-cache run plays fewer steps because it is slow; rates
 * are per second either way.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { EnvName } from '../../envs/core/types';
import { ENVIRONMENTS } from '../../envs/registry';
import { playTasks } from '../../engine/pipeline/evaluate';
import { initBackend, type BackendPreference } from '../../engine/backend';
import { benchModelConfig, type ModelConfig } from '../../engine/model/config';
import { TransformerLM, type KernelMode } from '../../engine/model/transformer';
import { buildEnvTokenizer, type Tokenizer } from '../../engine/tokenizer';

export interface RolloutBenchOptions {
  env?: EnvName;
  /** Episodes played side by side (the generation batch). Default 16. */
  episodes?: number;
  /** Tokens generated per agent turn at most. Default 48. */
  maxNewTokens?: number;
  /** Agent steps per episode with the cache (default 6) and without it (default 1). */
  stepsWithCache?: number;
  stepsWithoutCache?: number;
  backend?: BackendPreference;
  kernels?: KernelMode;
  seed?: number;
  /** Called with done = 0 first, then once per agent step (warm-up included). */
  onProgress?: (done: number, total: number, detail: string) => void;
}

export interface RolloutRate {
  agentSteps: number;
  generatedTokens: number;
  seconds: number;
  agentStepsPerSecond: number;
  tokensPerSecond: number;
  /** Share of the time spent in generate() (the rest: encoding, decoding, env steps). */
  generationShare: number;
}

export interface RolloutBenchResult {
  env: EnvName;
  backend: string;
  kernels: KernelMode;
  model: ModelConfig;
  episodes: number;
  maxNewTokens: number;
  /** Prompt length fed to generate (tokens), mean over steps. */
  meanPromptTokens: number;
  withCache: RolloutRate;
  withoutCache: RolloutRate;
  /** withCache.tokensPerSecond / withoutCache.tokensPerSecond. */
  cacheSpeedup: number;
  loadAverage: [number, number];
}

/** Plays `episodes` training tasks for `steps` agent turns and times it. */
function play(
  model: TransformerLM,
  tokenizer: Tokenizer,
  envName: EnvName,
  opts: { episodes: number; steps: number; maxNewTokens: number; useCache: boolean; seed: number },
  tick: (detail: string) => void,
): RolloutRate & { promptTokens: number[] } {
  const tasks = Array.from({ length: opts.episodes }, (_, i) => ENVIRONMENTS[envName].generator.task('train', i));
  let generated = 0;
  let genMs = 0;
  let turns = 0;
  const promptTokens: number[] = [];
  const t0 = performance.now();
  const trajectories = playTasks(model, tokenizer, envName, tasks, {
    layout: 'compact',
    maxNewTokens: opts.maxNewTokens,
    greedy: false,
    seed: opts.seed,
    policyName: 'bench',
    maxTurns: opts.steps,
    useCache: opts.useCache,
    onTurn: (t) => {
      generated += t.generatedTokens;
      genMs += t.generateMs;
      promptTokens.push(...t.promptTokens);
      tick(`${opts.useCache ? 'with' : 'without'} cache: step ${++turns}/${opts.steps}`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const agentSteps = trajectories.reduce((n, t) => n + t.steps.length, 0);
  return {
    agentSteps,
    generatedTokens: generated,
    seconds: Math.round(seconds * 100) / 100,
    agentStepsPerSecond: Math.round((agentSteps / seconds) * 100) / 100,
    tokensPerSecond: Math.round((generated / seconds) * 10) / 10,
    generationShare: Math.round((genMs / 1000 / seconds) * 1000) / 1000,
    promptTokens,
  };
}

/** Agent steps/s and generated tokens/s with and without the KV cache (see the file header). */
export async function benchRollout(options: RolloutBenchOptions = {}): Promise<RolloutBenchResult> {
  const envName = options.env ?? 'alfworld';
  const episodes = options.episodes ?? 16;
  const maxNewTokens = options.maxNewTokens ?? 48;
  const stepsWith = options.stepsWithCache ?? 6;
  const stepsWithout = options.stepsWithoutCache ?? 1;
  const kernels = options.kernels ?? 'fast';
  const seed = options.seed ?? 0;
  const load0 = loadavg()[0] as number;
  const total = stepsWith + stepsWithout + 1;
  options.onProgress?.(0, total, 'tokenizer and model');
  const info = await initBackend(options.backend ?? 'auto');
  // The benchmark model with the played environment's vocabulary (ALFWorld by default, as in bench train).
  const tokenizer = buildEnvTokenizer(envName);
  const model = new TransformerLM(benchModelConfig(tokenizer.vocabSize), { seed: 'bench', kernels });
  let done = 0;
  const tick = (detail: string) => options.onProgress?.(++done, total, detail);
  try {
    // Warm-up: one cached step (JIT, kernel caches), not timed.
    play(model, tokenizer, envName, { episodes, steps: 1, maxNewTokens: 8, useCache: true, seed: seed + 1 }, tick);
    const withCache = play(model, tokenizer, envName, { episodes, steps: stepsWith, maxNewTokens, useCache: true, seed }, tick);
    const withoutCache = play(model, tokenizer, envName, { episodes, steps: stepsWithout, maxNewTokens, useCache: false, seed }, tick);
    const prompts = [...withCache.promptTokens, ...withoutCache.promptTokens];
    const strip = ({ promptTokens: _p, ...rate }: RolloutRate & { promptTokens: number[] }): RolloutRate => rate;
    return {
      env: envName,
      backend: info.backend,
      kernels,
      model: model.config,
      episodes,
      maxNewTokens,
      meanPromptTokens: Math.round(prompts.reduce((a, b) => a + b, 0) / Math.max(1, prompts.length)),
      withCache: strip(withCache),
      withoutCache: strip(withoutCache),
      cacheSpeedup: Math.round((withCache.tokensPerSecond / withoutCache.tokensPerSecond) * 10) / 10,
      loadAverage: [Math.round(load0 * 100) / 100, Math.round((loadavg()[0] as number) * 100) / 100],
    };
  } finally {
    model.dispose();
  }
}
