/**
 * `spa bench envs`: environment steps per second with a random valid policy on one
 * core (this process), and memory. Medians over repetitions: the machines are noisy.
 *
 * Tasks are generated before the clock starts, as a data set is loaded before training
 * (the original ALFWorld reads game files, WebShop a goal list); generation speed is
 * reported on its own line (tasks/s). Resets are inside the timed loop.
 */
import { performance } from 'node:perf_hooks';
import { RandomValidPolicy } from '../../envs/core/rollout';
import type { EnvName, StepInfo, TaskBase } from '../../envs/core/types';
import { ENVIRONMENTS, makeEnv } from '../../envs/registry';
import { median } from './median';

export interface EnvBench {
  env: EnvName;
  /** Median over repetitions of env.step() calls per second (resets excluded from the count, included in the time). */
  stepsPerSecond: number;
  repetitions: number[];
  episodesPerSecond: number;
  /** Task generation speed (training split), measured separately. */
  tasksPerSecond: number;
  /** Time to build the first environment (catalogues, indexes, layouts). */
  constructMs: number;
  heapUsedMB: number;
  rssMB: number;
}


function runFor(env: ReturnType<typeof makeEnv>, tasks: readonly TaskBase[], ms: number, seedBase: number): { steps: number; episodes: number; elapsed: number } {
  const policy = new RandomValidPolicy(env, seedBase);
  let steps = 0;
  let episodes = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    const reset = env.reset({ seed: seedBase + episodes, task: tasks[episodes % tasks.length] as TaskBase });
    policy.begin(reset.observation, reset.info);
    let obs = reset.observation;
    let info: StepInfo | null = null;
    for (;;) {
      const r = env.step(policy.act(obs, info));
      steps++;
      obs = r.observation;
      info = r.info;
      if (r.terminated || r.truncated) break;
    }
    episodes++;
    now = performance.now();
  }
  return { steps, episodes, elapsed: now - start };
}

export function benchEnv(name: EnvName, options: { repetitions?: number; msPerRepetition?: number; taskPool?: number } = {}): EnvBench {
  const reps = options.repetitions ?? 5;
  const ms = options.msPerRepetition ?? 1000;
  const t0 = performance.now();
  const env = makeEnv(name);
  const constructMs = performance.now() - t0;
  const generator = ENVIRONMENTS[name].generator;
  const poolSize = options.taskPool ?? 200;
  const t1 = performance.now();
  const tasks = Array.from({ length: poolSize }, (_, i) => generator.task('train', i));
  const tasksPerSecond = (poolSize * 1000) / (performance.now() - t1);
  runFor(env, tasks, Math.min(300, ms), 1_000_000); // warm-up: JIT, caches
  const rates: number[] = [];
  const episodeRates: number[] = [];
  for (let r = 0; r < reps; r++) {
    const { steps, episodes, elapsed } = runFor(env, tasks, ms, r * 100_000);
    rates.push((steps * 1000) / elapsed);
    episodeRates.push((episodes * 1000) / elapsed);
  }
  const mem = process.memoryUsage();
  env.close();
  return {
    env: name,
    stepsPerSecond: Math.round(median(rates)),
    repetitions: rates.map(Math.round),
    episodesPerSecond: Math.round(median(episodeRates)),
    tasksPerSecond: Math.round(tasksPerSecond),
    constructMs: Math.round(constructMs),
    heapUsedMB: Math.round(mem.heapUsed / 2 ** 20),
    rssMB: Math.round(mem.rss / 2 ** 20),
  };
}
