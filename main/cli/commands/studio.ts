import { spawn, spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { defaultDataDir } from '../../data-dir';
import { electronAppArg, electronAppIsCurrent, electronBinary, packageBin, REPO_ROOT, rendererIsCurrent } from '../../server/app-paths';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { parseCount } from '../args';
import { createOutput, type Output } from '../output';

interface StudioOptions {
  port: string;
  dataDir?: string;
  open: boolean;
  browser?: boolean;
  json?: boolean;
}

export const NO_ELECTRON_LINE = 'No Electron binary is installed (it cannot be downloaded on this machine); opening the studio in browser mode instead';

/** Runs a build tool with its output on stderr (stdout stays clean for --json). */
function build(out: Output, what: string, bin: string | null, args: string[]): boolean {
  if (!bin) {
    out.say(`Cannot build ${what}: its build tool is not installed (npm install).`);
    return false;
  }
  process.stderr.write(`Building ${what}…\n`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  if (r.status !== 0) out.say(`Building ${what} failed (exit ${r.status ?? r.signal}).`);
  return r.status === 0;
}

/** The desktop app: build out/ if needed, then run Electron on it and wait for it to quit. */
async function runElectron(exe: string, needsBuild: boolean, dataDir: string, out: Output): Promise<void> {
  if (needsBuild && !build(out, 'the desktop app', packageBin('electron-vite', 'electron-vite'), ['build'])) {
    throw new Error('the desktop app could not be built; try `spa serve` for browser mode');
  }
  const env: NodeJS.ProcessEnv = { ...process.env, SPA_STUDIO_DATA: dataDir };
  delete env.ELECTRON_RUN_AS_NODE; // set, it would make Electron a plain Node and ignore the app
  const app = electronAppArg();
  out.record('electron', { exe, app }, () => 'Opening the SPA Studio window…');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(exe, [app], { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code) process.exitCode = code;
}

export interface StudioPlan {
  mode: 'electron' | 'browser';
  /** Say why the window is not opening (no binary), unless browser mode was asked for. */
  notice: boolean;
  build: 'electron-app' | 'renderer' | null;
}

/** What `spa studio` will do, from what is installed and built. */
export function planStudio(s: { electronBinary: string | null; browserFlag: boolean; electronBuilt: boolean; rendererBuilt: boolean }): StudioPlan {
  if (s.electronBinary && !s.browserFlag) return { mode: 'electron', notice: false, build: s.electronBuilt ? null : 'electron-app' };
  return { mode: 'browser', notice: !s.browserFlag, build: s.rendererBuilt ? null : 'renderer' };
}

/** `spa studio` (npm start): the desktop window where Electron is installed, else browser mode. */
export function registerStudio(program: Command): void {
  program
    .command('studio')
    .description('Start SPA Studio: the desktop window, or browser mode where no Electron binary is installed')
    .option('--browser', 'browser mode even where Electron is installed')
    .option('--port <n>', 'browser mode: port (0 = any free port)', '0')
    .option('--data-dir <dir>', 'data folder (default: $SPA_STUDIO_DATA or ~/.spa-studio)')
    .option('--no-open', 'browser mode: do not open a browser')
    .option('--json', 'one JSON object per line')
    .action(async (opts: StudioOptions) => {
      const out = createOutput(!!opts.json);
      const dataDir = opts.dataDir ? defaultDataDir({ SPA_STUDIO_DATA: opts.dataDir }) : defaultDataDir();
      const port = parseCount('port', opts.port, 0);
      const exe = electronBinary();
      const plan = planStudio({ electronBinary: exe, browserFlag: !!opts.browser, electronBuilt: electronAppIsCurrent(), rendererBuilt: rendererIsCurrent() });
      if (plan.mode === 'electron' && exe) return runElectron(exe, plan.build !== null, dataDir, out);
      if (plan.notice) out.record('notice', { message: NO_ELECTRON_LINE }, () => NO_ELECTRON_LINE);
      if (plan.build === 'renderer') {
        try {
          ensureRendererBuilt();
        } catch (e) {
          out.say((e as Error).message);
        }
      }
      const { runBrowserMode } = await import('../../server/browser-mode');
      await runBrowserMode({ dataDir, port, open: opts.open, out });
    });
}
