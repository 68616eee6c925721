/** The built studio interface the benchmark serves: built first when missing or older than its sources. */
import { spawnSync } from 'node:child_process';
import { builtRendererDir, packageBin, REPO_ROOT, rendererIsCurrent } from '../../server/app-paths';

/** Returns out/renderer, building it with vite (output on stderr) when it is not current. */
export function ensureRendererBuilt(): string {
  if (!rendererIsCurrent() || !builtRendererDir()) {
    const vite = packageBin('vite', 'vite');
    if (!vite) throw new Error('The studio interface is not built and vite is not installed (npm install).');
    process.stderr.write('Building the studio interface…\n');
    const r = spawnSync(process.execPath, [vite, 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
    if (r.status !== 0) throw new Error(`Building the studio interface failed (exit ${r.status ?? r.signal}).`);
  }
  const dir = builtRendererDir();
  if (!dir) throw new Error('The studio interface build left no out/renderer/index.html.');
  return dir;
}
