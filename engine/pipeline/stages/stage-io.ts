/**
 * What a running stage writes, and where. Metric and trajectory records go to the run's
 * append-only logs (run-wide `step` = stepOffset + the stage's own update) and, for a stage
 * whose output is cached, to stage-local copies in its folder, so a later run that reuses the
 * stage can show the same curves. `begin(fromUpdate)` opens the logs after dropping what an
 * interrupted attempt wrote past the checkpoint it resumes from: no lost, no duplicated rows.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricValue, RunTrajectory } from '../../../common/run-schema';
import type { StageJob, WorkerMessage } from '../../../common/worker-protocol';
import type { AppendLog } from '../../storage/append-log';
import { RUN_FILES, openMetricsLog, openTrajectoryLog, type MetricsLog } from '../../storage/run-logs';

export const STAGE_METRICS = 'stage-metrics.jsonl';
export const STAGE_TRAJECTORIES = 'stage-trajectories.jsonl';

export class StageIo {
  private runMetrics: MetricsLog | null = null;
  private runTrajectories: AppendLog<RunTrajectory> | null = null;
  private localMetrics: MetricsLog | null = null;
  private localTrajectories: AppendLog<RunTrajectory> | null = null;
  private lastStep: number;
  private started = performance.now();
  private cancelRequested = false;

  constructor(
    readonly job: StageJob,
    private readonly send: (m: WorkerMessage) => void,
    /** Keep stage-local copies (cached stages). */
    private readonly keepLocal: boolean,
  ) {
    this.lastStep = job.stepOffset;
  }

  /** Opens the logs, dropping records past `fromUpdate` (0 = a fresh start of this stage). */
  begin(fromUpdate: number): void {
    const from = this.job.stepOffset + fromUpdate;
    const fsyncIntervalMs = 1000;
    this.runMetrics = openMetricsLog(this.job.runDir, { resumeFrom: from, fsyncIntervalMs });
    this.runTrajectories = openTrajectoryLog(this.job.runDir, { resumeFrom: from, fsyncIntervalMs });
    if (this.keepLocal) {
      this.localMetrics = openMetricsLog(this.job.outDir, { resumeFrom: fromUpdate, fsyncIntervalMs, fileName: STAGE_METRICS });
      this.localTrajectories = openTrajectoryLog(this.job.outDir, { resumeFrom: fromUpdate, fsyncIntervalMs, fileName: STAGE_TRAJECTORIES });
    }
    this.lastStep = Math.max(this.lastStep, from);
    this.started = performance.now();
  }

  private logs(): { metrics: MetricsLog; trajectories: AppendLog<RunTrajectory> } {
    if (!this.runMetrics || !this.runTrajectories) throw new Error('StageIo: begin() first');
    return { metrics: this.runMetrics, trajectories: this.runTrajectories };
  }

  /** The run-wide step of a stage update (updates start at 1). */
  step(update: number): number {
    return this.job.stepOffset + update;
  }

  metric(update: number, values: Record<string, MetricValue>): void {
    const step = this.step(update);
    const t = Date.now();
    this.logs().metrics.write(step, { stage: this.job.stage, ...values }, t);
    this.localMetrics?.write(update, { stage: this.job.stage, ...values }, t);
    this.lastStep = Math.max(this.lastStep, step);
    this.send({ type: 'appended', files: ['metrics'] });
  }

  trajectories(update: number, stage: string, trajs: readonly RunTrajectory[]): void {
    if (!trajs.length) return;
    this.logs().trajectories.appendMany(trajs.map((t) => ({ ...t, update: this.step(update), stage })));
    this.localTrajectories?.appendMany(trajs.map((t) => ({ ...t, update, stage })));
    this.send({ type: 'appended', files: ['trajectories'] });
  }

  log(message: string): void {
    appendFileSync(join(this.job.runDir, RUN_FILES.log), `${new Date().toISOString()} [${this.job.stage}] ${message.replace(/\r?\n/g, '\n    ')}\n`);
    this.send({ type: 'log', message });
    this.send({ type: 'appended', files: ['log'] });
  }

  progress(done: number, total: number): void {
    const elapsed = (performance.now() - this.started) / 1000;
    const etaSeconds = done > 0 && done < total ? (elapsed / done) * (total - done) : done >= total ? 0 : null;
    this.send({ type: 'progress', stage: this.job.stage, done, total, etaSeconds });
  }

  requestCancel(): void {
    this.cancelRequested = true;
  }

  /** Stages check this between updates and stop at a checkpoint boundary. */
  get cancelled(): boolean {
    return this.cancelRequested;
  }

  get lastWrittenStep(): number {
    return this.lastStep;
  }

  close(): void {
    for (const l of [this.runMetrics, this.runTrajectories, this.localMetrics, this.localTrajectories]) l?.close();
  }
}
