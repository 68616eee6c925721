import type { Command } from 'commander';
import { BACKEND_PREFERENCES, type BackendPreference } from '../../../engine/backend';
import { benchEnv } from '../../services/env-bench';
import { benchRollout } from '../../services/rollout-bench';
import { benchTrain } from '../../services/train-bench';
import { parseCount, parseEnv, parseEnvList } from '../args';
import { createOutput, table } from '../output';

/** Targets from the issue (steps/s on one core with a random valid policy). */
const TARGETS: Record<string, number> = { alfworld: 50_000, webshop: 5_000, virtualhome: 50_000 };

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('Benchmarks (speed and memory targets live here, never in tests)');
  bench
    .command('envs')
    .description('Environment steps per second with a random valid policy on one core, and memory')
    .option('--envs <list>', 'comma-separated environments, or all', 'all')
    .option('--reps <n>', 'repetitions (the median is reported)', '5')
    .option('--ms <n>', 'milliseconds per repetition', '1000')
    .option('--json', 'one JSON object per line')
    .action((opts: { envs?: string; reps: string; ms: string; json?: boolean }) => {
      const out = createOutput(!!opts.json);
      const envs = parseEnvList(opts.envs);
      const reps = parseCount('reps', opts.reps);
      const ms = parseCount('ms', opts.ms, 10);
      const bar = out.progress('benchmarking', envs.length);
      const rows: (string | number)[][] = [];
      envs.forEach((name, i) => {
        bar.tick(i, name);
        const r = benchEnv(name, { repetitions: reps, msPerRepetition: ms });
        const target = TARGETS[name] ?? 0;
        out.record('bench', { ...r, target, meetsTarget: r.stepsPerSecond >= target });
        rows.push([name, r.stepsPerSecond, target, r.stepsPerSecond >= target ? 'yes' : 'NO', r.episodesPerSecond, r.tasksPerSecond, r.constructMs, r.heapUsedMB, r.rssMB]);
      });
      bar.stop();
      out.say(table(['env', 'steps/s (median)', 'target', 'meets', 'episodes/s', 'tasks generated/s', 'build ms', 'heap MB', 'rss MB'], rows));
    });

  bench
    .command('train')
    .description('Training throughput of the fixed benchmark model (2 layers, width 128, 4 heads, context 256, batch 16): tokens/s and GFLOP/s')
    .option('--processes <n>', 'data-parallel processes (one per core)', '2')
    .option('--backends <list>', `comma-separated: ${BACKEND_PREFERENCES.join(', ')}`, 'auto')
    .option('--reps <n>', 'timed steps (the median is reported)', '5')
    .option('--reference', 'also measure the stock TF.js kernels for comparison')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { processes: string; backends: string; reps: string; reference?: boolean; json?: boolean }) => {
      const out = createOutput(!!opts.json);
      const backends = opts.backends.split(',').map((b) => b.trim());
      for (const b of backends) if (!(BACKEND_PREFERENCES as readonly string[]).includes(b)) throw new Error(`Unknown backend "${b}". Choose from: ${BACKEND_PREFERENCES.join(', ')}`);
      const processes = parseCount('processes', opts.processes);
      const repetitions = parseCount('reps', opts.reps);
      const kernels = opts.reference ? (['fast', 'reference'] as const) : (['fast'] as const);
      const progress = out.follow('training bench');
      const results = await benchTrain({ processes, repetitions, backends: backends as BackendPreference[], kernels: [...kernels], onProgress: progress.onProgress });
      progress.stop();
      for (const r of results) out.record('bench', { bench: 'train', ...r });
      out.say(
        table(
          ['backend', 'kernels', 'processes', 'tokens/s', 'GFLOP/s', 'ms/step', 'loss first→last'],
          results.map((r) => [r.backend, r.kernels, r.processes, Math.round(r.tokensPerSecond), r.gflopPerSecond.toFixed(1), Math.round(r.msPerStep), `${r.firstLoss.toFixed(2)}→${r.lastLoss.toFixed(2)}`]),
        ),
      );
    });

  bench
    .command('rollout')
    .description('Agent steps/s and generated tokens/s of the benchmark model, with and without the key/value cache')
    .option('--env <env>', 'environment', 'alfworld')
    .option('--episodes <n>', 'episodes played side by side', '16')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { env: string; episodes: string; json?: boolean }) => {
      const out = createOutput(!!opts.json);
      const env = parseEnv(opts.env);
      const episodes = parseCount('episodes', opts.episodes);
      const progress = out.follow('rollout bench');
      const r = await benchRollout({ env, episodes, onProgress: progress.onProgress });
      progress.stop();
      out.record('bench', { bench: 'rollout', ...r });
      out.say(
        table(
          ['env', 'backend', 'cache', 'agent steps/s', 'tokens/s', 'generation share'],
          [
            [r.env, r.backend, 'yes', r.withCache.agentStepsPerSecond.toFixed(2), Math.round(r.withCache.tokensPerSecond), `${Math.round(100 * r.withCache.generationShare)}%`],
            [r.env, r.backend, 'no', r.withoutCache.agentStepsPerSecond.toFixed(2), Math.round(r.withoutCache.tokensPerSecond), `${Math.round(100 * r.withoutCache.generationShare)}%`],
          ],
        ) + `\ncache speed-up: ${r.cacheSpeedup.toFixed(1)}×`,
      );
    });

  bench
    .command('studio')
    .description('Studio UI budgets in headless Chromium (browser mode): open a run of 10,000 trajectories < 1 s, redraw a 1,000,000-point chart < 50 ms, a replay step < 16 ms')
    .option('--reps <n>', 'repetitions (medians and 95th percentiles are reported)', '5')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { reps: string; json?: boolean }) => {
      const out = createOutput(!!opts.json);
      const reps = parseCount('reps', opts.reps);
      // Loaded here: it pulls in the server and (dynamically) playwright-core, which other benches do not need.
      const { benchStudio } = await import('../../services/studio-bench/studio-bench');
      const progress = out.follow('studio bench');
      const r = await benchStudio({ reps, onProgress: progress.onProgress }).finally(() => progress.stop());
      out.record('studio-data', r.data, () =>
        `Synthetic data: ${r.data.trajectories.toLocaleString('en-US')} trajectories × ${r.data.stepsPerTrajectory} steps (${r.data.trajectoriesMB} MB), ` +
        `${r.data.metricRecords.toLocaleString('en-US')} metric records (${r.data.metricsMB} MB), written in ${r.data.writeSeconds} s. ${r.reps} repetition(s).`,
      );
      for (const m of r.measures) out.record('bench', { bench: 'studio', ...m });
      const ms = (x: number) => (x < 10 ? x.toFixed(1) : String(Math.round(x)));
      out.say(
        table(
          ['measure', 'median ms', 'p95 ms', 'n', 'budget ms', 'meets'],
          r.measures.map((m) => [m.label, ms(m.median), ms(m.p95), m.n, m.budgetMs ?? '—', m.meetsBudget === null ? '' : m.meetsBudget ? 'yes' : 'NO']),
        ),
      );
      if (r.late.steps || r.late.smoothing) out.say(`Not painted in the frame of the input: ${r.late.steps} step(s), ${r.late.smoothing} smoothing move(s) (timed until painted).`);
      if (out.json || r.problems.length) out.record('studio-problems', { late: r.late, problems: r.problems }, () => `Page errors:\n  ${r.problems.join('\n  ')}`);
    });
}
