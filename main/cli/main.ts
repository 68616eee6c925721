/**
 * The `spa` command line. Each subcommand lives in commands/<name>.ts, takes `--json`
 * (one JSON object per line on stdout) and shows progress on a terminal for long work.
 * Errors are reported as one clear line (or a {"type":"error"} record) with exit code 1;
 * usage errors exit with 2.
 */
import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench';
import { registerEnvs } from './commands/envs';
import { registerExport } from './commands/export';
import { registerPlay } from './commands/play';
import { registerReproduce } from './commands/reproduce';
import { registerRun } from './commands/run';
import { registerServe } from './commands/serve';
import { registerStudio } from './commands/studio';

export function buildProgram(): Command {
  const program = new Command('spa')
    .description('SPA Studio: SPA-RL training studio (environments, SFT, progress estimation, PPO)')
    .version('0.1.0')
    .showHelpAfterError('(run spa --help for usage)')
    .exitOverride();
  registerEnvs(program);
  registerPlay(program);
  registerRun(program);
  registerReproduce(program);
  registerBench(program);
  registerExport(program);
  registerStudio(program);
  registerServe(program);
  return program;
}

/** `spa … --json | head` closes stdout early: stop quietly, as Unix tools do, instead of crashing on EPIPE. */
function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end here too, with exit code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    const message = (e as Error).message ?? String(e);
    if (json) process.stdout.write(JSON.stringify({ type: 'error', message }) + '\n');
    else process.stderr.write(`spa: ${message}\n`);
    if (process.env.SPA_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}
