/**
 * `spa reproduce`: the paper's comparison at small scale (see main/services/reproduce.ts), then
 * docs/RESULTS.md from the runs. Interrupt it and run it again: finished runs are reused,
 * interrupted ones resumed.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { METHODS, PRESETS, type Method, type Preset } from '../../../common/run-config';
import { defaultDataDir } from '../../data-dir';
import { createSupervisor } from '../../jobs/supervisor';
import { appVersion } from '../../server/app-paths';
import { recipeLines } from '../../services/report/recipe';
import { writeResultsReport } from '../../services/report/results';
import { loadRunResults } from '../../services/report/run-results';
import { gridConfigs, gridStanding, REPRODUCE_METHODS, runGrid } from '../../services/reproduce';
import { readGridSessions, startGridSession } from '../../services/reproduce-sessions';
import { keepRunEvidence, packSessions, restoreEvidence } from '../../services/grid-evidence';
import type { CatalogEntry } from '../../../common/run-schema';
import { parseCount, parseEnvList } from '../args';
import { createOutput } from '../output';

interface ReproduceOptions {
  envs?: string;
  methods?: string;
  seeds: string;
  preset: string;
  parallel: string;
  out: string;
  dataDir?: string;
  reportOnly?: boolean;
  evidence?: string;
  json?: boolean;
}

function parseMethods(value: string | undefined): Method[] {
  if (!value) return [...REPRODUCE_METHODS];
  const names = value.split(',').map((s) => s.trim());
  for (const n of names) if (!(METHODS as readonly string[]).includes(n)) throw new Error(`Unknown method "${n}". Choose from: ${METHODS.join(', ')}`);
  return names as Method[];
}

/** Compute left, as the progress line and --report-only print it. */
const formatEta = (seconds: number): string => (seconds >= 5400 ? `~${(seconds / 3600).toFixed(1)} h` : `~${Math.round(seconds / 60)} min`);

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description('Run SFT, RFT, PPO (sparse), GRPO, SPA and its ablations on each environment and seed, and write docs/RESULTS.md')
    .option('--envs <list>', 'comma-separated environments, or all', 'all')
    .option('--methods <list>', `comma-separated methods (default ${REPRODUCE_METHODS.join(',')})`)
    .option('--seeds <n>', 'seeds per cell', '3')
    .option('--preset <name>', PRESETS.join(' | '), 'standard')
    .option('--parallel <n>', 'runs at a time (one worker process each)', '2')
    .option('--out <file>', 'the report', 'docs/RESULTS.md')
    .option('--data-dir <dir>', 'studio data folder (default $SPA_STUDIO_DATA or ~/.spa-studio)')
    .option('--report-only', 'write the report from the grid runs already completed; start nothing')
    .option('--evidence <dir>', 'keep each completed run without its weights as <dir>/runs/<run>.tar.gz (and restore those missing from the data folder first)')
    .option('--json', 'one JSON object per line')
    .action(async (o: ReproduceOptions) => {
      const out = createOutput(!!o.json);
      if (!(PRESETS as readonly string[]).includes(o.preset)) throw new Error(`Unknown preset "${o.preset}". Choose one of: ${PRESETS.join(', ')}`);
      const envs = parseEnvList(o.envs);
      const seeds = parseCount('seeds', o.seeds);
      const configs = gridConfigs({ envs, methods: parseMethods(o.methods), seeds, preset: o.preset as Preset });
      const dataDir = o.dataDir ?? defaultDataDir();
      const evidence = o.evidence ?? null;
      if (evidence) {
        // Before the catalog opens: opening it adds the restored folders.
        const r = await restoreEvidence(evidence, dataDir);
        out.record('evidence', { dir: evidence, restored: r.restored.length, sessions: r.sessions }, () => `restored ${r.restored.length} completed run(s) and ${r.sessions} session record(s) from ${evidence}`);
      }
      const keepEvidence = async (run: CatalogEntry) => {
        if (!evidence || run.status !== 'completed') return;
        const p = await keepRunEvidence(dataDir, run.id, evidence);
        if (p) out.record('evidence-run', { run: run.id, file: p.file, bytes: p.bytes, trajectories: p.trajectories }, () => `kept ${run.id} as ${p.file} (${(p.bytes / 1024).toFixed(0)} KiB)`);
      };
      const sup = await createSupervisor({ dataDir });
      const parallel = parseCount('parallel', o.parallel);
      const session = o.reportOnly ? null : await startGridSession(dataDir, { preset: o.preset, envs, seeds, parallel });
      const stop = () => void Promise.all([sup.shutdown(), session?.end()]).then(() => (evidence ? packSessions(dataDir, evidence) : 0)).finally(() => process.exit(130));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const started = performance.now();
      /** The grid's completed runs in grid order (each kept as evidence when asked), and what the rest still needs. */
      const reportOnlyRuns = async (): Promise<string[]> => {
        const standing = await gridStanding(sup, dataDir, configs, parallel);
        for (const e of standing.completed) await keepEvidence(e);
        const left = configs.length - standing.completed.length;
        out.record('left', { runs: left, total: configs.length, etaSeconds: standing.etaSeconds, parallel }, () =>
          left
            ? `${left} of the grid's ${configs.length} runs not completed: ${formatEta(standing.etaSeconds)} of compute at ${parallel} at a time, at the stage speeds its completed runs measured (drop --report-only to run them)`
            : `all ${configs.length} runs of the grid completed`,
        );
        return standing.completed.map((e) => e.id);
      };
      const bar = out.json ? null : out.progress('grid', configs.length);
      out.record('grid', { runs: configs.length, envs, preset: o.preset, dataDir }, () => `${configs.length} runs (${envs.join(', ')}; preset ${o.preset}); data in ${dataDir}`);
      // --report-only: the report of what is finished (a grid stopped part-way), nothing started.
      const ids = o.reportOnly
        ? await reportOnlyRuns()
        : await runGrid(sup, dataDir, configs, {
        parallel,
        onComputed: () => session?.runComputed(),
        // Sessions too, as each run settles: a grid killed outright still leaves its clock in the evidence.
        onSettled: async (run) => {
          await keepEvidence(run);
          if (evidence) await packSessions(dataDir, evidence);
        },
        onProgress: (p) => {
          const eta = p.etaSeconds === null ? '' : `${formatEta(p.etaSeconds)} left`;
          const detail = [p.run ? `${p.run.env} ${p.run.method} s${p.run.seed}: ${p.run.status}` : '', eta].filter(Boolean).join(', ');
          if (bar) bar.tick(p.done, detail);
          else out.record('progress', { done: p.done, total: p.total, run: p.run?.id ?? null, status: p.run?.status ?? null, etaSeconds: p.etaSeconds });
        },
      });
      bar?.stop();
      await session?.end();
      if (evidence) await packSessions(dataDir, evidence);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const entries = ids.map((id) => sup.catalog.get(id)).filter((e) => e !== undefined);
      const failed = entries.filter((e) => e.status !== 'completed');
      const results = await loadRunResults(dataDir, entries.filter((e) => e.status === 'completed'));
      const outFile = resolve(o.out);
      const require = createRequire(import.meta.url);
      const tfjsVersion = (JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs/package.json'), 'utf8')) as { version: string }).version;
      const markdown = await writeResultsReport(results, {
        command: `spa reproduce --envs ${envs.join(',')} --seeds ${o.seeds} --preset ${o.preset}${o.methods ? ` --methods ${o.methods}` : ''}${o.reportOnly ? ' --report-only' : ''}${evidence ? ` --evidence ${evidence}` : ''}`,
        preset: o.preset,
        wallSeconds: (performance.now() - started) / 1000,
        parallel,
        sessions: await readGridSessions(dataDir, o.preset),
        version: appVersion(),
        tfjsVersion,
        figuresDir: join(dirname(outFile), 'results'),
        markdownDir: dirname(outFile),
        dataDir,
        planned: envs.map((env) => ({ env, runs: configs.filter((c) => c.env === env).length })),
        evidenceDir: evidence,
        recipe: recipeLines(configs),
      });
      await fsp.mkdir(dirname(outFile), { recursive: true });
      await fsp.writeFile(outFile, markdown);
      await sup.shutdown();
      out.record('report', { file: outFile, runs: ids.length, notCompleted: configs.length - ids.length, failed: failed.map((e) => ({ id: e.id, status: e.status, message: e.message })) }, () =>
        [`wrote ${outFile} from ${results.length} runs${ids.length < configs.length ? ` (${configs.length - ids.length} of the grid's ${configs.length} not completed)` : ''}`, ...failed.map((e) => `  ${e.id}: ${e.status} (${e.message})`)].join('\n'),
      );
      process.exitCode = failed.length ? 1 : 0;
    });
}
