/**
 * Window-wide state fed by events: the run catalog, stage progress per run and the event
 * connection. Views read these instead of polling.
 */
import type { Response } from '../../../common/ipc-contract';
import type { CatalogEntry } from '../../../common/run-schema';
import type { ConnectionState } from './client';
import { api, studio } from './studio';
import { throttled } from './throttle';

export interface StageProgress {
  stage: string;
  done: number;
  total: number;
  etaSeconds: number | null;
  at: number;
}

class Catalog {
  runs = $state.raw<CatalogEntry[]>([]);
  warnings = $state.raw<string[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);

  readonly refresh = throttled(async () => {
    try {
      // The backend is known only once a run has started: re-read it with the catalog.
      void api['app.info']({})
        .then((info) => (appInfo.info = info))
        .catch(() => {});
      const res = await api['runs.list']({});
      this.runs = res.runs;
      this.warnings = res.warnings;
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loaded = true;
    }
  }, 300);

  byId(id: string): CatalogEntry | undefined {
    return this.runs.find((r) => r.id === id);
  }
}

class Progress {
  /** run id → stage → latest progress. Replaced (not mutated) so readers re-render. */
  byRun = $state.raw<Record<string, Record<string, StageProgress>>>({});

  update(id: string, p: StageProgress): void {
    this.byRun = { ...this.byRun, [id]: { ...(this.byRun[id] ?? {}), [p.stage]: p } };
  }
}

export const catalog = new Catalog();
export const progress = new Progress();
export const connection = $state<{ state: ConnectionState }>({ state: 'connecting' });
export const appInfo = $state<{ info: Response<'app.info'> | null }>({ info: null });

let started = false;

/** Subscribes once to the event stream; safe to call from several components. */
export function startStores(): void {
  if (started) return;
  started = true;
  studio.onConnection((s) => (connection.state = s));
  studio.onEvent((event) => {
    switch (event.type) {
      case 'catalog.changed':
        catalog.refresh();
        break;
      case 'run.status': {
        // Patch the row at once (status badges feel live), then re-read for the summary.
        const i = catalog.runs.findIndex((r) => r.id === event.id);
        if (i >= 0) {
          const s = event.status;
          const next = [...catalog.runs];
          next[i] = { ...next[i]!, status: s.status, step: s.step, backend: s.backend, message: s.message, summary: s.summary, lineage: s.lineage, updatedAt: s.updatedAt, archived: s.archived };
          catalog.runs = next;
        } else catalog.refresh();
        break;
      }
      case 'run.progress':
        progress.update(event.id, { stage: event.stage, done: event.done, total: event.total, etaSeconds: event.etaSeconds, at: Date.now() });
        break;
    }
  });
  catalog.refresh();
}
