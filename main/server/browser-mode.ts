/**
 * Browser mode end to end, for `spa serve` and `spa studio` without Electron: supervisor,
 * service and server on 127.0.0.1; prints the URL (a {"type":"server"} record with --json),
 * opens it where there is a desktop, serves until SIGINT/SIGTERM, then closes the server and
 * stops every worker.
 */
import { createSupervisor } from '../jobs/supervisor';
import type { Output } from '../cli/output';
import { createStudioService } from '../services/studio-service';
import { appVersion, builtRendererDir } from './app-paths';
import { startBrowserServer } from './browser-server';
import { openInBrowser } from './open-browser';

export interface BrowserModeOptions {
  dataDir: string;
  port: number;
  open: boolean;
  out: Output;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function runBrowserMode(opts: BrowserModeOptions): Promise<void> {
  const { out } = opts;
  const staticDir = builtRendererDir();
  if (!staticDir) out.say('The studio interface is not built (out/renderer is missing): the API works, the page says how to build it.');
  const launcher = await createSupervisor({ dataDir: opts.dataDir });
  const service = await createStudioService({ dataDir: opts.dataDir, launcher, mode: 'browser', version: appVersion() });
  const server = await startBrowserServer({ service, staticDir, port: opts.port });
  const signal = untilSignal();
  out.record('server', { url: server.url, port: server.port, dataDir: opts.dataDir }, () => `SPA Studio is running at ${server.url}\nData folder: ${opts.dataDir}\nPress Ctrl+C to stop.`);
  if (opts.open && !(await openInBrowser(server.url))) out.say('No desktop browser could be opened here: open the URL above in a browser on this machine.');
  const got = await signal;
  out.say(`\n${got}: stopping (workers are stopped first, their runs stay resumable)…`);
  await server.close();
  await service.close();
  await launcher.shutdown();
  out.record('stopped', { signal: got }, () => 'stopped');
}
