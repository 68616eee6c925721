/**
 * `spa run`, `spa resume <run>`, `spa eval <run>`: the pipeline from the command line, through
 * the same supervisor (child-process workers, run folders, stage cache) as the studio.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { METHODS, PRESETS, parseRunConfig, type Method, type Preset, type RunConfig } from '../../../common/run-config';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { estimateRunSeconds } from '../../../engine/pipeline/run-estimate';
import { defaultDataDir } from '../../data-dir';
import { createSupervisor, type Supervisor } from '../../jobs/supervisor';
import { readMetrics, runPaths, workspacePaths } from '../../runs/run-folder';
import { parseCount, parseEnv } from '../args';
import { formatEvalTable } from '../eval-table';
import { createOutput, type FollowedProgress, type Output } from '../output';

interface RunOptions {
  env: string;
  method: string;
  preset: string;
  seed: string;
  config?: string;
  dataDir?: string;
  json?: boolean;
}

/** Deep-merges a partial config (from --config) onto the preset's. */
function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out;
}

export function resolveRunConfig(o: { env: string; method: string; preset: string; seed: string; config?: string }): RunConfig {
  const env = parseEnv(o.env);
  if (!(METHODS as readonly string[]).includes(o.method)) throw new Error(`Unknown method "${o.method}". Choose one of: ${METHODS.join(', ')}`);
  if (!(PRESETS as readonly string[]).includes(o.preset)) throw new Error(`Unknown preset "${o.preset}". Choose one of: ${PRESETS.join(', ')}`);
  const seed = parseCount('seed', o.seed, 0);
  const base = defaultRunConfig(env, o.method as Method, o.preset as Preset, seed);
  if (!o.config) return base;
  let text: string;
  try {
    text = readFileSync(o.config, 'utf8');
  } catch (e) {
    throw new Error(`cannot read --config ${o.config}: ${(e as Error).message}`);
  }
  let over: unknown;
  try {
    over = JSON.parse(text);
  } catch (e) {
    throw new Error(`--config ${o.config} is not valid JSON: ${(e as Error).message}`);
  }
  return parseRunConfig(merge(base, over));
}

/** Follows one run to its end: stage progress bars (or JSON records), then the outcome. */
async function follow(sup: Supervisor, out: Output, id: string, dataDir: string): Promise<number> {
  const bars = new Map<string, FollowedProgress>();
  let lastJson = 0;
  let backendShown = false;
  const off = sup.onEvent((e) => {
    if (!('id' in e) || e.id !== id) return;
    const backend = sup.backend();
    if (backend && !backendShown) {
      backendShown = true;
      out.record('backend', { run: id, ...backend }, () => `backend: ${backend.name} (${backend.reason})`);
    }
    if (e.type === 'run.progress') {
      if (out.json) {
        const now = Date.now();
        if (now - lastJson < 1000 && e.done < e.total) return;
        lastJson = now;
        out.record('progress', { run: id, stage: e.stage, done: e.done, total: e.total, etaSeconds: e.etaSeconds });
        return;
      }
      let bar = bars.get(e.stage);
      if (!bar) {
        for (const b of bars.values()) b.stop();
        bar = out.follow(e.stage.padEnd(9));
        bars.set(e.stage, bar);
      }
      bar.onProgress(e.done, e.total, e.etaSeconds === null ? '' : `~${Math.round(e.etaSeconds)} s left`);
    }
  });
  await sup.whenSettled(id);
  off();
  for (const b of bars.values()) b.stop();
  const entry = sup.catalog.get(id);
  const s = entry?.summary ?? {};
  out.record('run', { id, status: entry?.status, message: entry?.message, summary: s }, () => {
    const lines = [`run ${id}: ${entry?.status}${entry?.message ? ` (${entry.message})` : ''}`];
    const table = formatEvalTable(s);
    if (table) lines.push(table);
    lines.push(`  folder: ${runPaths(workspacePaths(dataDir).runsDir, id).dir}`);
    return lines.join('\n');
  });
  return entry?.status === 'completed' ? 0 : 1;
}

async function withSupervisor(dataDir: string | undefined, job: (sup: Supervisor, dir: string) => Promise<number>): Promise<void> {
  const dir = dataDir ?? defaultDataDir();
  const sup = await createSupervisor({ dataDir: dir });
  const stop = () => {
    // Ctrl-C: stop the worker; the run is resumable with `spa resume`.
    void sup.shutdown().then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    process.exitCode = await job(sup, dir);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run a method end to end: expert data → SFT → (exploration → estimator) → RL → evaluation')
    .requiredOption('--env <name>', 'alfworld | webshop | virtualhome')
    .option('--method <name>', METHODS.join(' | '), 'spa')
    .option('--preset <name>', PRESETS.join(' | '), 'quick')
    .option('--seed <n>', 'random seed', '0')
    .option('--config <file.json>', 'a partial run config merged over the preset (errors name the field)')
    .option('--data-dir <dir>', 'studio data folder (default $SPA_STUDIO_DATA or ~/.spa-studio)')
    .option('--json', 'one JSON object per line')
    .action(async (o: RunOptions) => {
      const out = createOutput(!!o.json);
      const config = resolveRunConfig(o);
      await withSupervisor(o.dataDir, async (sup, dir) => {
        const id = await sup.start(config);
        const est = estimateRunSeconds(config, 'wasm');
        out.record('started', { id, env: config.env, method: config.method, preset: config.preset, seed: config.seed, estimateSeconds: est.seconds }, () => `run ${id} started (${config.env}, ${config.method}, ${config.preset}, seed ${config.seed}; ${est.note}: ~${est.seconds} s)`);
        return follow(sup, out, id, dir);
      });
    });

  program
    .command('resume <run>')
    .description('Resume a crashed, failed or cancelled run from its last checkpoint')
    .option('--data-dir <dir>', 'studio data folder')
    .option('--json', 'one JSON object per line')
    .action(async (id: string, o: { dataDir?: string; json?: boolean }) => {
      const out = createOutput(!!o.json);
      await withSupervisor(o.dataDir, async (sup, dir) => {
        await sup.resume(id);
        out.record('resumed', { id }, () => `resuming ${id}`);
        return follow(sup, out, id, dir);
      });
    });

  program
    .command('eval <run>')
    .description("Show a run's evaluation (success, grounding, reward, steps; per split and task type)")
    .option('--data-dir <dir>', 'studio data folder')
    .option('--json', 'one JSON object per line')
    .action(async (id: string, o: { dataDir?: string; json?: boolean }) => {
      const out = createOutput(!!o.json);
      const dir = runPaths(workspacePaths(o.dataDir ?? defaultDataDir()).runsDir, id).dir;
      const { records } = await readMetrics(dir);
      const evalRecord = [...records].reverse().find((r) => r.stage === 'eval');
      if (!evalRecord) throw new Error(`run ${id} has no evaluation yet (it runs as the last stage)`);
      const metrics = Object.fromEntries(Object.entries(evalRecord).filter(([k]) => k.startsWith('eval/')));
      out.record('eval', { id, metrics }, () => formatEvalTable(metrics) ?? 'no evaluation figures');
    });
}
