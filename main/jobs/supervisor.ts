/**
 * The job supervisor: starts runs, runs their stages in child processes (one at a time per
 * run), streams their events (throttled), cancels, and notices a dead child at once (the
 * 'exit' event) and a hung one after its heartbeats stop (worker-process.ts's watchdog),
 * marking the run crashed so it can be resumed. One per process; the CLI, the
 * browser-mode server and the Electron main process all use it through RunLauncher.
 */
import type { ChildProcess } from 'node:child_process';
import type { StudioEvent } from '../../common/ipc-contract';
import { parseRunConfig, type RunConfig } from '../../common/run-config';
import type { StageJob, WorkerMessage } from '../../common/worker-protocol';
import type { RunCatalog } from '../runs/catalog';
import { appendRunLog, ownedElsewhere, readRunMeta, readRunStatus, runPaths, thisProcessOwner, trajectoryIndexCacheFile, workspacePaths } from '../runs/run-folder';
import { TrajectoryIndex } from '../runs/trajectory-index';
import { openSharedCatalog } from '../runs/shared-catalog';
import type { BackendReport, RunLauncher } from './launcher';
import { executeRun } from './run-executor';
import { StageFailed, startWorker } from './worker-process';

export interface SupervisorOptions {
  dataDir: string;
  /** Minimum ms between forwarded progress/appended events per run (default 250). */
  throttleMs?: number;
  /** Grace period after a cancel before the worker is killed (default 3000 ms). */
  cancelGraceMs?: number;
  /** Environment of the workers (tests set SPA_* variables). */
  workerEnv?: NodeJS.ProcessEnv;
  /** Sees every worker as it starts (fault-injection tests kill them). */
  onWorkerStart?: (job: StageJob, child: ChildProcess) => void;
  /** Heartbeat interval asked of the workers (ms, default DEFAULT_HEARTBEAT_MS: 250). */
  heartbeatMs?: number;
  /** A worker silent this long (ms) is taken for hung, killed, and its run marked crashed (default 60 000; 0: never). It is reported after 1 s. */
  heartbeatTimeoutMs?: number;
}

interface ActiveRun {
  id: string;
  child: ChildProcess | null;
  cancelRequested: boolean;
  done: Promise<void>;
}

export interface Supervisor extends RunLauncher {
  readonly catalog: RunCatalog;
  /** Resolves when the run's current execution ends (tests, the CLI). */
  whenSettled(id: string): Promise<void>;
  /** Whether shutdown() has begun: no run starts or resumes from then on. */
  isClosing(): boolean;
}

export async function createSupervisor(opts: SupervisorOptions): Promise<Supervisor> {
  const paths = workspacePaths(opts.dataDir);
  const { catalog } = await openSharedCatalog(opts.dataDir);
  const listeners = new Set<(e: StudioEvent) => void>();
  const active = new Map<string, ActiveRun>();
  let backend: BackendReport | null = null;
  // Set by shutdown(): a grid waiting on a run that shutdown cancels must not start the next one.
  let closing = false;
  const refuseWhenClosing = () => {
    if (closing) throw new Error('the supervisor is shutting down: no run starts or resumes now');
  };
  const throttleMs = opts.throttleMs ?? 250;

  const emit = (e: StudioEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A listener's failure is its own; the run goes on.
      }
    }
  };

  /** Coalesces 'appended' file sets and keeps only the latest progress per run, flushed every throttleMs. */
  function throttler(id: string) {
    let files = new Set<'metrics' | 'trajectories' | 'log'>();
    let progress: Extract<StudioEvent, { type: 'run.progress' }> | null = null;
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      if (files.size) emit({ type: 'run.appended', id, files: [...files] });
      if (progress) emit(progress);
      files = new Set();
      progress = null;
    };
    return {
      push(m: WorkerMessage) {
        if (m.type === 'appended') m.files.forEach((f) => files.add(f));
        else if (m.type === 'progress') progress = { type: 'run.progress', id, stage: m.stage, done: m.done, total: m.total, etaSeconds: m.etaSeconds };
        else if (m.type === 'log') files.add('log');
        else return;
        timer ??= setTimeout(flush, throttleMs);
      },
      flush() {
        if (timer) clearTimeout(timer);
        flush();
      },
    };
  }

  async function setStatus(id: string, patch: Parameters<RunCatalog['setStatus']>[1]) {
    const entry = await catalog.setStatus(id, patch);
    const status = {
      schema: 'spa-studio/run-status@1' as const,
      status: entry.status,
      updatedAt: entry.updatedAt,
      backend: entry.backend,
      step: entry.step,
      message: entry.message,
      lineage: entry.lineage,
      summary: entry.summary,
      ...(entry.archived ? { archived: true } : {}),
    };
    emit({ type: 'run.status', id, status });
    return entry;
  }

  /**
   * A finished run's trajectory index, written to the cache now so that its first open in the
   * studio reads a snapshot instead of parsing every trajectory (10,000: ~0.6 s). Only a cache:
   * failures are ignored.
   */
  async function indexTrajectories(id: string): Promise<void> {
    await new TrajectoryIndex(runPaths(paths.runsDir, id).trajectories, trajectoryIndexCacheFile(paths.cacheDir, id)).persist().catch(() => undefined);
  }

  function launch(id: string, config: RunConfig): void {
    const runDir = runPaths(paths.runsDir, id).dir;
    const run: ActiveRun = { id, child: null, cancelRequested: false, done: Promise.resolve() };
    active.set(id, run);
    const events = throttler(id);
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'ready') {
        backend = m.backend;
        void setStatus(id, { backend: m.backend.name }).catch(() => undefined);
      }
      events.push(m);
    };
    const runStage = (job: StageJob, forward: (m: WorkerMessage) => void) => {
      // Cancelled (or the app is quitting) while the executor was between stages: start nothing,
      // or shutdown() would wait for a worker it could not see when it killed the others.
      if (run.cancelRequested) return Promise.reject(new StageFailed(`cancelled before the ${job.stage} stage started`, 'failed'));
      const handle = startWorker(job, forward, opts.workerEnv, {
        ...(opts.heartbeatMs !== undefined ? { heartbeatMs: opts.heartbeatMs } : {}),
        ...(opts.heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs: opts.heartbeatTimeoutMs } : {}),
        // The run header shows it at once (the run log has the details).
        onSilence: (silentMs) => {
          const message = silentMs === null ? `stage ${job.stage}` : `stage ${job.stage}: the worker is not responding (${(silentMs / 1000).toFixed(1)} s without a message)`;
          void setStatus(id, { message }).catch(() => undefined);
        },
      });
      run.child = handle.child;
      opts.onWorkerStart?.(job, handle.child);
      void setStatus(id, { message: `stage ${job.stage}` }).catch(() => undefined);
      return handle.result.finally(() => {
        run.child = null;
      });
    };
    run.done = (async () => {
      await setStatus(id, { status: 'running', message: 'starting', owner: thisProcessOwner() });
      try {
        const result = await executeRun({ runId: id, runDir, cacheDir: paths.cacheDir, config, runStage, onMessage, cancelled: () => run.cancelRequested });
        events.flush();
        const lineage = {
          stageKeys: result.stageKeys,
          ...Object.fromEntries(
            result.completed
              .filter((c) => c.producedBy && c.producedBy !== id)
              .map((c) => [c.stage === 'sft' ? 'sftRun' : c.stage === 'explore' ? 'explorationRun' : c.stage === 'estimator' ? 'estimatorRun' : `${c.stage}Run`, c.producedBy])
              .filter(([k]) => ['sftRun', 'explorationRun', 'estimatorRun'].includes(k as string)),
          ),
        };
        const last = result.completed.at(-1)?.lastStep ?? null;
        if (result.cancelled) {
          appendRunLog(runDir, 'cancelled; resume continues from the last checkpoint');
          await setStatus(id, { status: 'cancelled', message: 'cancelled by the user', step: last, lineage, owner: null });
        } else {
          const summary = Object.fromEntries(Object.entries(result.summary).filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) as Record<string, number | string | boolean>;
          await setStatus(id, { status: 'completed', message: null, step: last, lineage, summary, owner: null });
          await indexTrajectories(id);
        }
      } catch (e) {
        events.flush();
        const failed = e instanceof StageFailed ? e : new StageFailed((e as Error).message, 'failed');
        const status = run.cancelRequested ? 'cancelled' : failed.kind;
        appendRunLog(runDir, `${status}: ${failed.message}${failed.detail ? `\n${failed.detail}` : ''}`);
        await setStatus(id, { status, message: failed.message, owner: null }).catch(() => undefined);
        if (status === 'failed') await indexTrajectories(id);
      } finally {
        active.delete(id);
        emit({ type: 'catalog.changed' });
      }
    })();
  }

  const supervisor: Supervisor = {
    catalog,
    async start(configInput, startOpts = {}) {
      refuseWhenClosing();
      const config = parseRunConfig(configInput);
      // Loaded here, not at start-up: it reads split sizes from the environments (0.7 s to import).
      const { checkTaskRanges } = await import('../../engine/pipeline/task-ranges');
      checkTaskRanges(config);
      const entry = await catalog.create({ env: config.env, method: config.method, preset: config.preset, seed: config.seed, config: config as unknown as Record<string, unknown>, name: startOpts.name });
      emit({ type: 'catalog.changed' });
      launch(entry.id, config);
      return entry.id;
    },
    async cancel(id) {
      const run = active.get(id);
      if (!run) return;
      run.cancelRequested = true;
      run.child?.send({ type: 'cancel' });
      const child = run.child;
      if (child) setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), opts.cancelGraceMs ?? 3000).unref();
      await run.done;
    },
    async resume(id) {
      refuseWhenClosing();
      if (active.has(id)) throw new Error(`run ${id} is running`);
      const entry = catalog.get(id) ?? (await catalog.refresh(id));
      if (!entry) throw new Error(`no run ${id}`);
      if (entry.status === 'completed') throw new Error(`run ${id} is completed; nothing to resume`);
      const owner = ownedElsewhere(await readRunStatus(runPaths(paths.runsDir, id).dir));
      if (owner) throw new Error(`run ${id} is being trained by another process (pid ${owner.pid} on ${owner.host}); it cannot be resumed here until that one stops`);
      const meta = await readRunMeta(runPaths(paths.runsDir, id).dir);
      const config = parseRunConfig(meta.config);
      appendRunLog(runPaths(paths.runsDir, id).dir, `resuming (was ${entry.status})`);
      launch(id, config);
    },
    isActive: (id) => active.has(id),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    backend: () => backend,
    async whenSettled(id) {
      await active.get(id)?.done;
    },
    isClosing: () => closing,
    async shutdown() {
      closing = true;
      const runs = [...active.values()];
      for (const r of runs) {
        r.cancelRequested = true;
        r.child?.kill('SIGKILL');
      }
      await Promise.all(runs.map((r) => r.done.catch(() => undefined)));
    },
  };
  return supervisor;
}
