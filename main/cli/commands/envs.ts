import type { Command } from 'commander';
import { SPLITS } from '../../../envs/core/types';
import { ENVIRONMENTS } from '../../../envs/registry';
import { runEnvCheck, type SplitCheck } from '../../services/env-check';
import { parseCount, parseEnvList, parseSplitList } from '../args';
import { createOutput, pct, table } from '../output';

export function registerEnvs(program: Command): void {
  const envs = program.command('envs').description('The built-in environments');

  envs
    .command('list')
    .description('List the environments, their step limits and split sizes')
    .option('--json', 'one JSON object per line')
    .action((opts: { json?: boolean }) => {
      const out = createOutput(!!opts.json);
      const rows: (string | number)[][] = [];
      for (const def of Object.values(ENVIRONMENTS)) {
        const env = def.createRaw();
        const sizes = def.generator.sizes;
        out.record('env', { env: def.name, title: def.title, version: def.generator.version, maxSteps: env.maxSteps, sizes });
        rows.push([def.name, def.title, `v${def.generator.version}`, env.maxSteps, ...SPLITS.map((s) => sizes[s])]);
        env.close();
      }
      out.say(table(['env', 'title', 'gen', 'max steps', ...SPLITS], rows));
    });

  envs
    .command('check')
    .description('Expert and random-valid success per environment and split, computed live over generated tasks, plus the contract checker')
    .option('--envs <list>', 'comma-separated environments, or all', 'all')
    .option('--splits <list>', 'comma-separated splits, or all', 'all')
    .option('--tasks <n>', 'tasks per split', '300')
    .option('--json', 'one JSON object per line')
    .action((opts: { envs?: string; splits?: string; tasks: string; json?: boolean }) => {
      const out = createOutput(!!opts.json);
      const plan = { envs: parseEnvList(opts.envs), splits: parseSplitList(opts.splits), tasks: parseCount('tasks', opts.tasks) };
      const progress = out.follow('checking');
      const rows: (string | number)[][] = [];
      let failed = false;
      const started = Date.now();
      for (const result of runEnvCheck(plan, progress.onProgress)) {
        if ('split' in result) {
          const r: SplitCheck = result;
          if (r.expert.successRate < 1) failed = true;
          out.record('split', { ...r });
          rows.push([
            r.env,
            r.split,
            r.tasks,
            pct(r.expert.successRate),
            r.expert.meanSteps.toFixed(1),
            pct(r.expert.validity),
            pct(r.random.successRate),
            pct(r.random.validity),
            r.random.meanReward.toFixed(3),
          ]);
        } else {
          if (result.violations.length) failed = true;
          out.record('contract', { ...result });
          if (result.violations.length) out.say(`${result.env}: ${result.violations.length} contract violations:\n  ${result.violations.slice(0, 10).join('\n  ')}`);
        }
      }
      progress.stop();
      out.say(
        table(['env', 'split', 'tasks', 'expert success', 'expert steps', 'expert valid', 'random success', 'random valid', 'random reward'], rows),
      );
      out.record('summary', { ok: !failed, seconds: (Date.now() - started) / 1000 }, () =>
        failed ? 'FAILED: an expert missed a task or the contract checker found violations' : `ok (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      if (failed) process.exitCode = 1;
    });
}
