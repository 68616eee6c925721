import type { Command } from 'commander';
import { ENVIRONMENTS } from '../../../envs/registry';
import { createOutput } from '../output';

/**
 * `spa studio` is what `npm start` runs. The desktop window and browser mode are built in
 * the studio issue (#4); until they land this says so plainly and shows what works today,
 * rather than pretending to open a window.
 */
export function registerStudio(program: Command): void {
  program
    .command('studio')
    .description('Start SPA Studio (desktop window, or browser mode where no Electron binary is installed)')
    .option('--json', 'one JSON object per line')
    .action((opts: { json?: boolean }) => {
      const out = createOutput(!!opts.json);
      const envs = Object.values(ENVIRONMENTS).map((d) => ({ name: d.name, title: d.title, version: d.generator.version, sizes: d.generator.sizes }));
      out.record('studio', { available: false, reason: 'the studio window and browser mode are not built yet (issue #4)', envs }, () =>
        [
          'SPA Studio — environments are installed and ready:',
          ...envs.map((e) => `  ${e.name.padEnd(12)} ${e.title} (generator v${e.version}; train ${e.sizes.train}, seen ${e.sizes.seen}, unseen ${e.sizes.unseen})`),
          '',
          'The studio window and browser mode are not built yet (issue #4). What works today:',
          '  npx spa play alfworld          play an environment in the terminal, as the agent sees it',
          '  npx spa envs check             expert and random-valid figures, computed live',
          '  npx spa bench envs             environment speed',
          '  npx spa expert --env webshop --out data/webshop_sft.json   expert data in SPA-RL SFT format',
        ].join('\n'),
      );
    });
}
