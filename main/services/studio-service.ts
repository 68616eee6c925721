/**
 * The studio's service layer: one implementation of the IPC contract (StudioApi) that
 * Electron IPC, browser mode and the CLI all call with already-validated requests.
 *
 * It opens the run catalog (the process-wide instance it shares with the supervisor; on
 * open, runs left "running" by a dead process are marked crashed), reads run folders, keeps a
 * per-run trajectory index and annotation store in memory, and relays the launcher's events
 * to its subscribers (plus catalog.changed when a run is created, deleted, archived or
 * imported). A run's catalog entry is re-read from its folder whenever the launcher reports
 * a status, so a launcher that writes only the folder keeps the catalog right too.
 */
import { promises as fsp } from 'node:fs';
import type { ParsedRequest, Response, StudioApi, StudioEvent } from '../../common/ipc-contract';
import { RunConfigSchema } from '../../common/run-config';
import { removeTree } from '../../engine/storage/durable';
import { defaultRunConfig } from '../../engine/pipeline/presets';
import { estimateRunSeconds } from '../../engine/pipeline/run-estimate';
import { exportTrajectories } from '../io/export';
import type { RunLauncher } from '../jobs/launcher';
import { openSharedCatalog } from '../runs/shared-catalog';
import { ownedElsewhere, readMetrics, readRunMeta, readRunStatus, readTrajectories, runPaths, trajectoryIndexCacheFile, workspacePaths } from '../runs/run-folder';
import { AnnotationStore } from './studio/annotation-store';
import { conflict, invalid, notFound } from './studio/errors';
import { clearStaleImports, importAsRun } from './studio/import-run';
import { textChunks } from '../io/import';
import { readTextFrom } from '../runs/line-scan';
import { TrajectoryIndex } from '../runs/trajectory-index';

export interface StudioServiceOptions {
  dataDir: string;
  launcher: RunLauncher;
  mode: 'electron' | 'browser' | 'cli';
  version: string;
}

export type StudioService = StudioApi & {
  /**
   * runs.import for a file that streams in (browser mode's raw upload): the same checks and
   * result, with memory for one record instead of the whole text.
   */
  importStream(fileName: string, source: AsyncIterable<string>): Promise<Response<'runs.import'>>;
  subscribe(listener: (e: StudioEvent) => void): () => void;
  close(): Promise<void>;
};

/** Backend assumed for estimates before the launcher has picked one (the Node default). */
const DEFAULT_ESTIMATE_BACKEND = 'wasm';

export async function createStudioService(opts: StudioServiceOptions): Promise<StudioService> {
  const ws = workspacePaths(opts.dataDir);
  // Shared with the supervisor in the same process: lowdb needs one writer per file.
  const opened = await openSharedCatalog(opts.dataDir);
  const { catalog } = opened;
  const warnings = [...opened.warnings];
  const interrupted = await catalog.markInterruptedRuns();
  if (interrupted.length) warnings.push(`${interrupted.length} run(s) were still marked running from an earlier session and are now marked crashed (resumable): ${interrupted.join(', ')}`);

  const cleared = await clearStaleImports(ws.cacheDir);
  if (cleared) warnings.push(`${cleared} unfinished import(s) from an earlier session were discarded (nothing had been added to the runs)`);

  const { launcher } = opts;
  const listeners = new Set<(e: StudioEvent) => void>();
  const indexes = new Map<string, TrajectoryIndex>();
  const stores = new Map<string, Promise<AnnotationStore>>();

  const emit = (e: StudioEvent) => {
    for (const l of [...listeners]) {
      try {
        l(e);
      } catch {
        // One broken subscriber (a closed window) must not starve the others.
      }
    }
  };

  const dirOf = (id: string) => runPaths(ws.runsDir, id).dir;

  /** The run folder's truth: a run exists when its config.json does. */
  async function requireRun(id: string): Promise<string> {
    const dir = dirOf(id);
    const exists = await fsp.stat(runPaths(ws.runsDir, id).config).then(
      () => true,
      () => false,
    );
    if (!exists) throw notFound(`no run ${id}`);
    return dir;
  }

  function indexOf(id: string): TrajectoryIndex {
    let index = indexes.get(id);
    if (!index) {
      index = new TrajectoryIndex(runPaths(ws.runsDir, id).trajectories, trajectoryIndexCacheFile(ws.cacheDir, id));
      indexes.set(id, index);
    }
    return index;
  }

  function annotationsOf(id: string): Promise<AnnotationStore> {
    let store = stores.get(id);
    if (!store) {
      store = AnnotationStore.load(runPaths(ws.runsDir, id).annotations);
      stores.set(id, store);
      store.catch(() => stores.delete(id)); // a failed read is retried next time
    }
    return store;
  }

  async function importRun(fileName: string, source: AsyncIterable<string> | Iterable<string>) {
    const result = await importAsRun(catalog, ws.cacheDir, fileName, source, annotationsOf);
    emit({ type: 'catalog.changed' });
    return result;
  }

  function forget(id: string): void {
    indexes.delete(id);
    stores.delete(id);
  }

  // (A resume started elsewhere cuts trajectories.jsonl back; the index notices by itself.)
  const unsubscribeLauncher = launcher.onEvent((e) => {
    if (e.type === 'run.status') void catalog.refresh(e.id).catch(() => undefined);
    emit(e);
  });

  const api: StudioApi = {
    async 'app.info'() {
      return { version: opts.version, dataDir: opts.dataDir, mode: opts.mode, backend: launcher.backend() };
    },

    async 'runs.list'() {
      await catalog.sync(); // runs a terminal `spa run` added or changed on this data folder
      const runs = catalog.list().sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : -1));
      return { runs, warnings: [...warnings, ...catalog.lateWarnings] };
    },

    async 'runs.get'({ id }) {
      const dir = await requireRun(id);
      return { meta: await readRunMeta(dir), status: await readRunStatus(dir) };
    },

    async 'runs.metrics'({ id, from }) {
      const read = await readMetrics(await requireRun(id), from);
      return { records: read.records, endOffset: read.endOffset, skipped: read.skipped };
    },

    async 'runs.log'({ id, from }) {
      await requireRun(id);
      return readTextFrom(runPaths(ws.runsDir, id).log, from);
    },

    async 'runs.trajectories'({ id, filter }) {
      await requireRun(id);
      const index = indexOf(id);
      const [store] = await Promise.all([annotationsOf(id), index.refresh()]);
      return index.query(filter, (tid) => store.count(tid));
    },

    async 'runs.trajectory'({ id, index: i }) {
      await requireRun(id);
      const index = indexOf(id);
      await index.refresh();
      const trajectory = await index.read(i);
      if (!trajectory) throw notFound(`run ${id} has no trajectory ${i} (it has ${index.size})`);
      return { trajectory, annotations: (await annotationsOf(id)).forTrajectory(trajectory.id) };
    },

    async 'runs.annotate'({ id, annotation }) {
      await requireRun(id);
      const index = indexOf(id);
      await index.refresh();
      const steps = index.stepsOf(annotation.trajectoryId);
      if (steps === null) throw notFound(`run ${id} has no trajectory ${JSON.stringify(annotation.trajectoryId)}`);
      if (annotation.step >= steps) throw invalid(`step ${annotation.step} is past the trajectory's last step (${steps - 1})`);
      const saved = { ...annotation, at: new Date().toISOString() };
      (await annotationsOf(id)).add([saved]);
      return { annotation: saved };
    },

    async 'runs.start'({ config, name }) {
      const id = await launcher.start(config, name !== undefined ? { name } : undefined);
      await catalog.refresh(id);
      emit({ type: 'catalog.changed' });
      return { id };
    },

    async 'runs.cancel'({ id }) {
      await requireRun(id);
      await launcher.cancel(id);
      await catalog.refresh(id);
      return { ok: true as const };
    },

    async 'runs.resume'({ id }) {
      const dir = await requireRun(id);
      if (launcher.isActive(id)) throw conflict(`run ${id} is already running`);
      const current = await readRunStatus(dir);
      if (current.status === 'completed') throw conflict(`run ${id} is completed; there is nothing to resume`);
      const owner = ownedElsewhere(current);
      if (owner) throw conflict(`run ${id} is being trained by another process (pid ${owner.pid} on ${owner.host}); it cannot be resumed here until that one stops`);
      indexes.get(id)?.reset();
      await launcher.resume(id);
      await catalog.refresh(id);
      return { ok: true as const };
    },

    async 'runs.delete'({ id }) {
      const dir = await requireRun(id);
      if (launcher.isActive(id)) throw conflict(`run ${id} is running; cancel it before deleting it`);
      forget(id);
      await removeTree(dir);
      await removeTree(trajectoryIndexCacheFile(ws.cacheDir, id));
      await catalog.remove(id);
      emit({ type: 'catalog.changed' });
      return { ok: true as const };
    },

    async 'runs.archive'({ id, archived }) {
      await requireRun(id);
      // While a worker runs, status.json is the worker's to write.
      if (launcher.isActive(id)) throw conflict(`run ${id} is running; archive it once it has stopped`);
      await catalog.setStatus(id, { archived });
      emit({ type: 'catalog.changed' });
      return { ok: true as const };
    },

    async 'runs.export'({ id, format }) {
      const dir = await requireRun(id);
      const [read, store] = await Promise.all([readTrajectories(dir), annotationsOf(id)]);
      return exportTrajectories(id, read.records, store.all(), format);
    },

    async 'runs.import'({ fileName, text }) {
      return importRun(fileName, textChunks(text));
    },

    async 'config.defaults'({ env, method, preset, seed }) {
      const config = defaultRunConfig(env, method, preset, seed);
      const backend = launcher.backend()?.name;
      const estimate = estimateRunSeconds(config, backend ?? DEFAULT_ESTIMATE_BACKEND);
      const note = backend ? estimate.note : `backend not chosen yet, estimated for ${DEFAULT_ESTIMATE_BACKEND}: ${estimate.note}`;
      return { config, estimateSeconds: estimate.seconds, estimateNote: note };
    },

    async 'config.validate'({ config }) {
      const parsed = RunConfigSchema.safeParse(config);
      if (parsed.success) return { ok: true, errors: [] };
      return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(root)', message: i.message })) };
    },
  };

  return {
    ...api,
    importStream: importRun,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      unsubscribeLauncher();
      listeners.clear();
      indexes.clear();
      stores.clear();
    },
  };
}

/** Calls the handler of `channel` (typed dispatch for the transports). */
export function callService<C extends keyof StudioApi>(service: StudioApi, channel: C, request: ParsedRequest<C>): Promise<Response<C>> {
  return (service[channel] as (r: ParsedRequest<C>) => Promise<Response<C>>)(request);
}
