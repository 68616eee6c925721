import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Command } from 'commander';
import type { Trajectory } from '../../../common/trajectory';
import { toJsonl } from '../../../common/jsonl';
import { expertTrajectories, toSftDataset } from '../../../envs/expert-data';
import { parseCount, parseEnv, parseSplit } from '../args';
import { createOutput } from '../output';

interface ExportOptions {
  env: string;
  split: string;
  count: string;
  start: string;
  out: string;
  format: 'sft' | 'trajectories';
  json?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('expert')
    .description('Generate expert demonstrations: trajectories (JSONL) or SPA-RL SFT data (JSON array of {id, conversations})')
    .requiredOption('--env <env>', 'alfworld | webshop | virtualhome')
    .option('--split <split>', 'train | seen | unseen', 'train')
    .option('--count <n>', 'number of tasks', '100')
    .option('--start <n>', 'first task index', '0')
    .option('--format <format>', 'sft | trajectories', 'sft')
    .requiredOption('--out <file>', 'output file')
    .option('--json', 'one JSON object per line')
    .action((opts: ExportOptions) => {
      const out = createOutput(!!opts.json);
      const env = parseEnv(opts.env);
      const split = parseSplit(opts.split);
      const count = parseCount('count', opts.count);
      const start = parseCount('start', opts.start, 0);
      if (opts.format !== 'sft' && opts.format !== 'trajectories') throw new Error(`--format must be sft or trajectories, got "${opts.format}"`);
      const bar = out.progress('expert', count);
      const trajectories: Trajectory[] = [];
      for (const t of expertTrajectories({ env, split, count, start })) {
        trajectories.push(t);
        bar.tick(trajectories.length);
      }
      bar.stop();
      const file = resolve(opts.out);
      mkdirSync(dirname(file), { recursive: true });
      const body = opts.format === 'sft' ? JSON.stringify(toSftDataset(trajectories), null, 1) : toJsonl(trajectories);
      writeFileAtomic.sync(file, body);
      const solved = trajectories.filter((t) => t.success).length;
      out.record('written', { file, format: opts.format, env, split, count: trajectories.length, solved }, () =>
        `wrote ${trajectories.length} ${env}/${split} expert trajectories (${solved} solved) to ${file} as ${opts.format}`,
      );
    });
}
