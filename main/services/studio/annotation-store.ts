/**
 * One run's step annotations: annotations.jsonl (CRC-checked, append-only) read once into a
 * map where the latest record per (trajectoryId, step) wins, and a record with no label, no
 * comment and no correction clears the step. Each save is appended and fsynced before it is
 * applied, so an answered save survives a crash or power loss. The service is the file's
 * only writer; open/append/close are synchronous, so saves never interleave.
 */
import { AnnotationSchema, firstIssue, type Annotation } from '../../../common/run-schema';
import { AppendLog, readLog } from '../../../engine/storage/append-log';

function key(trajectoryId: string, step: number): string {
  return JSON.stringify([trajectoryId, step]);
}

export function clearsStep(a: Pick<Annotation, 'label' | 'comment' | 'correctedContribution'>): boolean {
  return a.label === null && a.comment.trim() === '' && a.correctedContribution === null;
}

export class AnnotationStore {
  private readonly latest = new Map<string, Annotation>();
  private readonly perTrajectory = new Map<string, number>();
  /** Lines of the file that could not be used (damaged or invalid). */
  skipped = 0;

  private constructor(readonly file: string) {}

  static async load(file: string): Promise<AnnotationStore> {
    const store = new AnnotationStore(file);
    const validate = (v: Record<string, unknown>) => {
      const parsed = AnnotationSchema.safeParse(v);
      if (!parsed.success) throw new Error(firstIssue(parsed.error));
      return parsed.data;
    };
    try {
      const read = await readLog<Annotation>(file, { validate });
      store.skipped = read.skipped;
      for (const a of read.records) store.apply(a);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return store;
  }

  private apply(a: Annotation): void {
    const k = key(a.trajectoryId, a.step);
    const had = this.latest.has(k);
    const clears = clearsStep(a);
    if (clears) this.latest.delete(k);
    else this.latest.set(k, a);
    const delta = (clears ? 0 : 1) - (had ? 1 : 0);
    if (delta !== 0) {
      const n = (this.perTrajectory.get(a.trajectoryId) ?? 0) + delta;
      if (n === 0) this.perTrajectory.delete(a.trajectoryId);
      else this.perTrajectory.set(a.trajectoryId, n);
    }
  }

  /** Appends and fsyncs, then applies; resolves once the record is on disk. */
  add(records: readonly Annotation[]): void {
    if (records.length === 0) return;
    const log = AppendLog.open<Annotation>(this.file, { fsyncIntervalMs: 0 });
    try {
      log.appendMany(records);
    } finally {
      log.close(); // close() fsyncs anything not yet synced
    }
    for (const a of records) this.apply(a);
  }

  count(trajectoryId: string): number {
    return this.perTrajectory.get(trajectoryId) ?? 0;
  }

  forTrajectory(trajectoryId: string): Annotation[] {
    return [...this.latest.values()].filter((a) => a.trajectoryId === trajectoryId).sort((a, b) => a.step - b.step);
  }

  all(): Annotation[] {
    return [...this.latest.values()];
  }
}
