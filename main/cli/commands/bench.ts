import type { Command } from 'commander';
import { benchEnv } from '../../services/env-bench';
import { parseCount, parseEnvList } from '../args';
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
}
