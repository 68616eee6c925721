import type { Command } from 'commander';
import { defaultDataDir } from '../../data-dir';
import { parseCount } from '../args';
import { createOutput } from '../output';

interface ServeOptions {
  port: string;
  dataDir?: string;
  open: boolean;
  json?: boolean;
}

/** `spa serve`: the studio in a local browser (browser mode), until Ctrl+C. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the studio to a browser on this machine (127.0.0.1 only, with a session token in the URL)')
    .option('--port <n>', 'port (0 = any free port)', '0')
    .option('--data-dir <dir>', 'data folder (default: $SPA_STUDIO_DATA or ~/.spa-studio)')
    .option('--no-open', 'do not open a browser')
    .option('--json', 'one JSON object per line ({"type":"server","url":…} once listening)')
    .action(async (opts: ServeOptions) => {
      const out = createOutput(!!opts.json);
      const port = parseCount('port', opts.port, 0);
      if (port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
      // Loaded here, not at the top: the supervisor pulls in the engine, which other commands do not need.
      const { runBrowserMode } = await import('../../server/browser-mode');
      await runBrowserMode({ dataDir: opts.dataDir ? defaultDataDir({ SPA_STUDIO_DATA: opts.dataDir }) : defaultDataDir(), port, open: opts.open, out });
    });
}
