/**
 * TEST DOUBLE for main/jobs/launcher.ts RunLauncher: no worker, no training. `start` creates
 * a real run folder (createRun) and marks it running; `writeUpdates` appends synthetic
 * metrics and trajectories the way a worker would (CRC-checked logs, `update`/`stage` tags);
 * cancel/resume/finish rewrite status.json and emit run.status like the supervisor.
 */
import { AppendLog } from '../../engine/storage/append-log';
import type { StudioEvent } from '../../common/ipc-contract';
import type { RunConfig } from '../../common/run-config';
import type { MetricRecord, RunStatus, RunTrajectory } from '../../common/run-schema';
import type { BackendReport, RunLauncher } from '../../main/jobs/launcher';
import { appendRunLog, createRun, runPaths, writeRunStatus } from '../../main/runs/run-folder';
import { syntheticTrajectory } from '../../main/services/studio-bench/synthetic';

export { syntheticTrajectory };

export class FakeLauncher implements RunLauncher {
  readonly active = new Set<string>();
  readonly calls: string[] = [];
  private readonly listeners = new Set<(e: StudioEvent) => void>();
  private counter = 0;

  constructor(readonly runsDir: string) {}

  async start(config: RunConfig, opts?: { name?: string }): Promise<string> {
    this.calls.push('start');
    const { meta } = await createRun(this.runsDir, {
      env: config.env,
      method: config.method,
      preset: config.preset,
      seed: config.seed,
      config: config as unknown as Record<string, unknown>,
      ...(opts?.name !== undefined ? { name: opts.name } : {}),
      // Distinct seconds so ids never collide and sort by creation.
      date: new Date(Date.UTC(2026, 10, 22, 12, 0, this.counter++)),
    });
    this.active.add(meta.id);
    await this.setStatus(meta.id, 'running');
    return meta.id;
  }

  /** Appends `updates` updates of metrics and `perUpdate` trajectories each, from update `from`. */
  writeUpdates(id: string, updates: number, perUpdate: number, from = 0): void {
    const paths = runPaths(this.runsDir, id);
    const metrics = AppendLog.open<MetricRecord>(paths.metrics);
    const trajs = AppendLog.open<RunTrajectory>(paths.trajectories);
    try {
      for (let u = from; u < from + updates; u++) {
        metrics.append({ step: u, 'charts/success_rate': u / (from + updates), 'losses/policy_loss': 1 / (u + 1), t: 1_700_000_000_000 + u });
        trajs.appendMany(Array.from({ length: perUpdate }, (_, k) => syntheticTrajectory(u * perUpdate + k, { update: u, stage: u % 2 ? 'eval-seen' : 'train' })));
        appendRunLog(paths.dir, `update ${u} done`);
      }
    } finally {
      metrics.close();
      trajs.close();
    }
    this.emit({ type: 'run.appended', id, files: ['metrics', 'trajectories', 'log'] });
  }

  async finish(id: string, status: RunStatus = 'completed'): Promise<void> {
    this.active.delete(id);
    await this.setStatus(id, status);
  }

  async cancel(id: string): Promise<void> {
    this.calls.push('cancel');
    if (!this.active.delete(id)) return;
    await this.setStatus(id, 'cancelled');
  }

  async resume(id: string): Promise<void> {
    this.calls.push('resume');
    if (this.active.has(id)) throw new Error('already running');
    this.active.add(id);
    await this.setStatus(id, 'running');
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  backend(): BackendReport | null {
    return { name: 'wasm', reason: 'fake launcher' };
  }

  async shutdown(): Promise<void> {
    this.calls.push('shutdown');
    for (const id of [...this.active]) await this.cancel(id);
  }

  emit(e: StudioEvent): void {
    for (const l of this.listeners) l(e);
  }

  private async setStatus(id: string, status: RunStatus): Promise<void> {
    const s = await writeRunStatus(runPaths(this.runsDir, id).dir, { status, backend: 'wasm' });
    this.emit({ type: 'run.status', id, status: s });
  }
}
