/**
 * Tailing a run's append-only files: read from the last byte offset each time the run says it
 * appended (throttled), so a long run is never re-read from the start.
 */
import { api, studio } from './studio';
import { MetricTable } from './metrics';
import { throttled } from './throttle';

export class MetricsTail {
  readonly table = new MetricTable();
  /** Bumped when records arrive: charts depend on it. */
  version = $state(0);
  loading = $state(true);
  error = $state<string | null>(null);
  skipped = $state(0);
  private offset = 0;
  private unsubscribe: () => void;
  private readonly pull = throttled(() => this.read(), 750);

  constructor(readonly runId: string) {
    this.unsubscribe = studio.onEvent((e) => {
      if (e.type === 'run.appended' && e.id === runId && e.files.includes('metrics')) this.pull();
      // A reconnect may have missed appends: catch up.
      else if (e.type === 'catalog.changed' || (e.type === 'run.status' && e.id === runId)) this.pull();
    });
    this.pull();
  }

  private async read(): Promise<void> {
    try {
      const res = await api['runs.metrics']({ id: this.runId, from: this.offset });
      this.offset = res.endOffset;
      this.skipped += res.skipped;
      if (res.records.length) {
        this.table.append(res.records);
        this.version++;
      }
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.pull.cancel();
  }
}

/** Keeps the last ~256 kB of log.txt: enough to read, bounded for week-long runs. */
const LOG_KEEP = 256 * 1024;

export class LogTail {
  text = $state('');
  error = $state<string | null>(null);
  private offset = 0;
  private unsubscribe: () => void;
  private readonly pull = throttled(() => this.read(), 1000);

  constructor(readonly runId: string) {
    this.unsubscribe = studio.onEvent((e) => {
      if ((e.type === 'run.appended' && e.id === runId && e.files.includes('log')) || (e.type === 'run.status' && e.id === runId)) this.pull();
    });
    this.pull();
  }

  private async read(): Promise<void> {
    try {
      const res = await api['runs.log']({ id: this.runId, from: this.offset });
      this.offset = res.endOffset;
      if (res.text) {
        const next = this.text + res.text;
        this.text = next.length > LOG_KEEP ? next.slice(next.length - LOG_KEEP) : next;
      }
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.pull.cancel();
  }
}
