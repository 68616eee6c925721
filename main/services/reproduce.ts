/**
 * `spa reproduce`: the grid {methods} × {environments} × {seeds} at one preset, run through the
 * supervisor so methods of one environment and seed share the data, SFT, exploration and
 * estimator stages. Resumable: a run whose config is already in the catalog is reused when
 * completed, resumed when interrupted, so rerunning the command after a crash finishes the grid.
 */
import { canonicalJson } from '../runs/stage-cache';
import type { CatalogEntry } from '../../common/run-schema';
import { RunConfigSchema, type Method, type Preset, type RunConfig } from '../../common/run-config';
import type { EnvName } from '../../envs/core/types';
import { defaultRunConfig } from '../../engine/pipeline/presets';
import { readCompletedStages } from '../jobs/run-executor';
import { runIdentity } from '../jobs/plan';
import type { Supervisor } from '../jobs/supervisor';
import { readRunMeta, runPaths, workspacePaths } from '../runs/run-folder';
import { cacheHolds, GridEta, measuredWork, pendingWork } from './grid-eta';

export const REPRODUCE_METHODS: readonly Method[] = ['sft', 'rft', 'ppo', 'grpo', 'spa', 'spa-no-grounding', 'spa-no-progress'];

export interface GridOptions {
  envs: readonly EnvName[];
  methods: readonly Method[];
  seeds: number;
  preset: Preset;
}

/**
 * Ordered by environment; within one, the first method of every seed comes first (it trains the
 * SFT model its seed's other methods wait for), so parallel runs train different seeds' SFT models
 * instead of one waiting on the other; then each seed's remaining methods, reusing its stages.
 */
export function gridConfigs(o: GridOptions): RunConfig[] {
  const out: RunConfig[] = [];
  const seeds = Array.from({ length: o.seeds }, (_, seed) => seed);
  const [first, ...rest] = o.methods;
  for (const env of o.envs) {
    if (first) for (const seed of seeds) out.push(defaultRunConfig(env, first, o.preset, seed));
    for (const seed of seeds) for (const m of rest) out.push(defaultRunConfig(env, m, o.preset, seed));
  }
  return out;
}

export interface GridProgress {
  done: number;
  total: number;
  /** The run that just settled (or was found settled). */
  run: CatalogEntry | null;
  /** Compute left, priced stage by stage and calibrated on this invocation's speed (grid-eta.ts). */
  etaSeconds: number | null;
}

/**
 * The run of this config to use: the newest completed one, else the newest other. Stored configs
 * are compared after parsing, so a run written before a config field existed (it reads with that
 * field's default) still counts as the same experiment, and only in what the run's stages read
 * (runIdentity): an SFT run does not differ by its RL settings.
 */
export async function findRun(sup: Supervisor, dataDir: string, config: RunConfig): Promise<CatalogEntry | null> {
  const want = canonicalJson(runIdentity(config));
  const candidates = sup.catalog
    .list()
    .filter((e) => e.env === config.env && e.method === config.method && e.seed === config.seed && e.preset === config.preset)
    .reverse();
  const same: CatalogEntry[] = [];
  for (const e of candidates) {
    const meta = await readRunMeta(runPaths(workspacePaths(dataDir).runsDir, e.id).dir).catch(() => null);
    const stored = meta ? RunConfigSchema.safeParse(meta.config) : null;
    if (!stored?.success || canonicalJson(runIdentity(stored.data)) !== want) continue;
    if (e.status === 'completed') return e; // newest first: the first completed one is the answer
    same.push(e);
  }
  return same[0] ?? null;
}

/** What a completed run measured, stage by stage, for the time left (grid-eta.ts); null for any other run. */
async function measuredBy(dataDir: string, config: RunConfig, entry: CatalogEntry | null | undefined): Promise<ReturnType<typeof measuredWork> | null> {
  // Only a completed run calibrates the speed: a run stopped part-way is counted once, with all
  // its stages, when a later invocation completes it (its stages.json keeps the earlier ones).
  if (entry?.status !== 'completed') return null;
  const stages = await readCompletedStages(runPaths(workspacePaths(dataDir).runsDir, entry.id).dir).catch(() => null);
  return stages && measuredWork(config, stages);
}

/**
 * Where a grid stands without running it (`spa reproduce --report-only`): its completed runs in
 * config order, and the compute the others still need, priced as a running grid prices it, at the
 * stage speeds the completed runs measured.
 */
export async function gridStanding(sup: Supervisor, dataDir: string, configs: readonly RunConfig[], parallel: number): Promise<{ completed: CatalogEntry[]; etaSeconds: number }> {
  const found = await Promise.all(configs.map((c) => findRun(sup, dataDir, c)));
  const done = found.map((e) => e?.status === 'completed');
  const eta = new GridEta(() => pendingWork(configs.filter((_, i) => !done[i]), cacheHolds(workspacePaths(dataDir).cacheDir)), parallel);
  for (const [i, e] of found.entries()) if (done[i]) eta.settled(await measuredBy(dataDir, configs[i] as RunConfig, e), false);
  return { completed: found.filter((e): e is CatalogEntry => e?.status === 'completed'), etaSeconds: done.every(Boolean) ? 0 : eta.seconds() };
}

/** Runs (or reuses, or resumes) every config, `parallel` at a time; returns the run ids in config order. */
export async function runGrid(
  sup: Supervisor,
  dataDir: string,
  configs: readonly RunConfig[],
  opts: { parallel: number; onProgress?: (p: GridProgress) => void; onComputed?: () => void; onSettled?: (run: CatalogEntry) => Promise<void> },
): Promise<string[]> {
  const ids: string[] = new Array(configs.length);
  const settled: boolean[] = configs.map(() => false);
  const has = cacheHolds(workspacePaths(dataDir).cacheDir);
  const eta = new GridEta(() => pendingWork(configs.filter((_, i) => !settled[i]), has), opts.parallel);
  const config = (i: number) => configs[i] as RunConfig;
  let done = 0;
  const report = (run: CatalogEntry | null) => opts.onProgress?.({ done, total: configs.length, run, etaSeconds: done < configs.length ? eta.seconds() : 0 });
  const settle = async (i: number, id: string, computed: boolean) => {
    ids[i] = id;
    const entry = sup.catalog.get(id);
    if (entry) await opts.onSettled?.(entry);
    settled[i] = true;
    eta.settled(await measuredBy(dataDir, config(i), entry), computed);
    done++;
    return entry ?? null;
  };
  // The runs already completed (a resumed grid, restored evidence) are settled before any run starts,
  // so the first progress line counts them all and prices only what is left.
  for (let i = 0; i < configs.length && !sup.isClosing(); i++) {
    const existing = await findRun(sup, dataDir, config(i));
    if (existing?.status === 'completed') await settle(i, existing.id, false);
  }
  let next = 0;
  const worker = async () => {
    // A stopped grid (Ctrl-C: the supervisor shuts down and cancels its runs) starts nothing more.
    while (next < configs.length && !sup.isClosing()) {
      const i = next++;
      if (settled[i]) continue;
      const existing = await findRun(sup, dataDir, config(i));
      if (sup.isClosing()) break;
      let id: string;
      if (existing?.status === 'completed') {
        id = existing.id; // completed by another process since the first pass
      } else {
        if (existing && !sup.isActive(existing.id)) {
          id = existing.id;
          await sup.resume(id);
        } else {
          id = await sup.start(config(i), { name: `reproduce ${config(i).env} ${config(i).method} s${config(i).seed}` });
        }
        await sup.whenSettled(id);
        opts.onComputed?.();
      }
      report(await settle(i, id, existing?.status !== 'completed'));
    }
  };
  report(null);
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, worker));
  return ids;
}
