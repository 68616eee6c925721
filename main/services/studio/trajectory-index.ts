/**
 * An in-memory index of one run's trajectories.jsonl: where each record starts, its summary
 * for the list and filters, and a lowercase search text. It grows incrementally from the
 * last offset it read, so a run of 100k trajectories is scanned once and then only its new
 * lines; a single trajectory is read back by seeking to its line.
 *
 * The file is append-only except on resume, which cuts records after the checkpoint. A file
 * shorter than what was indexed, or whose last indexed line changed, is re-indexed from 0.
 */
import { promises as fsp } from 'node:fs';
import type { z } from 'zod';
import type { TrajectoryFilterSchema, TrajectorySummary } from '../../../common/ipc-contract';
import { RunTrajectorySchema, firstIssue, type RunTrajectory } from '../../../common/run-schema';
import { decodeLine } from '../../../engine/storage/append-log';
import { readLineAt, scanLines } from './line-scan';

type Summary = Omit<TrajectorySummary, 'annotated'>;

interface Entry {
  offset: number;
  length: number;
  summary: Summary;
  search: string;
}

export interface TrajectoryPage {
  total: number;
  items: TrajectorySummary[];
  taskTypes: string[];
  stages: string[];
  updates: number[];
}

const SPLITS = new Set(['train', 'seen', 'unseen']);
// Bounds memory: 100k trajectories × 2000 chars stays within a few hundred MB at worst.
const SEARCH_CHARS = 2000;

/**
 * The summary of a decoded record, checking just the fields the list needs (a full schema
 * parse of every record would dominate indexing time; the full check runs on `read`).
 */
function summarize(r: Record<string, unknown>, index: number): { summary: Summary; search: string } | null {
  const steps = r.steps;
  if (typeof r.id !== 'string' || typeof r.taskId !== 'string' || typeof r.taskType !== 'string' || typeof r.policy !== 'string') return null;
  if (typeof r.split !== 'string' || !SPLITS.has(r.split) || typeof r.success !== 'boolean' || typeof r.finalReward !== 'number' || !Array.isArray(steps)) return null;
  if (r.stage !== undefined && typeof r.stage !== 'string') return null;
  if (r.update !== undefined && !Number.isInteger(r.update)) return null;
  let invalid = 0;
  const actions: string[] = [];
  for (const s of steps as Record<string, unknown>[]) {
    if (s?.valid === false) invalid++;
    if (typeof s?.action === 'string') actions.push(s.action);
  }
  const goal = typeof r.goal === 'string' ? r.goal : '';
  return {
    summary: {
      index,
      id: r.id,
      taskId: r.taskId,
      taskType: r.taskType,
      split: r.split as Summary['split'],
      stage: (r.stage as string | undefined) ?? null,
      update: (r.update as number | undefined) ?? null,
      policy: r.policy,
      success: r.success,
      finalReward: r.finalReward,
      steps: steps.length,
      invalidSteps: invalid,
    },
    search: `${r.taskId}\n${goal}\n${actions.join('\n')}`.slice(0, SEARCH_CHARS).toLowerCase(),
  };
}

export class TrajectoryIndex {
  private entries: Entry[] = [];
  private readonly byId = new Map<string, number>();
  private end = 0;
  private lastLine: Buffer | null = null;
  private pending: Promise<void> = Promise.resolve();
  /** For tests and diagnostics: bytes read by scans, full re-indexes, lines skipped. */
  readonly stats = { bytesScanned: 0, rebuilds: 0, skipped: 0 };

  constructor(readonly file: string) {}

  /** Catches up with the file; concurrent callers share one scan at a time. */
  refresh(): Promise<void> {
    const next = this.pending.then(() => this.catchUp());
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Forgets everything (the next refresh re-reads the file). */
  reset(): void {
    this.entries = [];
    this.byId.clear();
    this.end = 0;
    this.lastLine = null;
  }

  get size(): number {
    return this.entries.length;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  stepsOf(id: string): number | null {
    const i = this.byId.get(id);
    return i === undefined ? null : (this.entries[i] as Entry).summary.steps;
  }

  private async catchUp(): Promise<void> {
    const size = await fsp.stat(this.file).then(
      (s) => s.size,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return 0;
        throw e;
      },
    );
    if (size < this.end || !(await this.lastLineUnchanged())) {
      this.reset();
      this.stats.rebuilds++;
    }
    if (size === this.end) return;
    let last: Entry | null = null;
    const scan = await scanLines(this.file, this.end, (line, offset) => {
      if (line.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) return;
      const decoded = decodeLine(line);
      const s = decoded.ok ? summarize(decoded.record, this.entries.length) : null;
      if (!s) {
        this.stats.skipped++;
        return;
      }
      last = { offset, length: line.length, ...s };
      this.byId.set(s.summary.id, this.entries.length);
      this.entries.push(last);
    });
    this.stats.bytesScanned += scan.bytesRead;
    this.end = scan.endOffset;
    const tail = last as Entry | null;
    if (tail) this.lastLine = await readLineAt(this.file, tail.offset, tail.length);
  }

  private async lastLineUnchanged(): Promise<boolean> {
    const e = this.entries.at(-1);
    if (!e || !this.lastLine) return true;
    const now = await readLineAt(this.file, e.offset, e.length).catch(() => null);
    return now !== null && now.equals(this.lastLine);
  }

  query(filter: z.output<typeof TrajectoryFilterSchema>, annotated: (id: string) => number): TrajectoryPage {
    const taskTypes = new Set<string>();
    const stages = new Set<string>();
    const updates = new Set<number>();
    const terms = (filter.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const matches: Entry[] = [];
    for (const e of this.entries) {
      const s = e.summary;
      taskTypes.add(s.taskType);
      if (s.stage !== null) stages.add(s.stage);
      if (s.update !== null) updates.add(s.update);
      if (filter.outcome === 'success' && !s.success) continue;
      if (filter.outcome === 'failure' && s.success) continue;
      if (filter.taskType !== undefined && s.taskType !== filter.taskType) continue;
      if (filter.split !== undefined && s.split !== filter.split) continue;
      if (filter.stage !== undefined && s.stage !== filter.stage) continue;
      if (filter.update !== undefined && s.update !== filter.update) continue;
      if (terms.length && !terms.every((t) => e.search.includes(t))) continue;
      matches.push(e);
    }
    return {
      total: matches.length,
      items: matches.slice(filter.offset, filter.offset + filter.limit).map((e) => ({ ...e.summary, annotated: annotated(e.summary.id) })),
      taskTypes: [...taskTypes].sort(),
      stages: [...stages].sort(),
      updates: [...updates].sort((a, b) => a - b),
    };
  }

  /** The full record at a list index, checked against the schema. */
  async read(index: number): Promise<RunTrajectory | null> {
    const e = this.entries[index];
    if (!e) return null;
    const decoded = decodeLine(await readLineAt(this.file, e.offset, e.length));
    if (!decoded.ok) throw new Error(`trajectory ${index} cannot be read back: ${decoded.reason}`);
    const parsed = RunTrajectorySchema.safeParse(decoded.record);
    if (!parsed.success) throw new Error(`trajectory ${index} is invalid ${firstIssue(parsed.error)}`);
    return parsed.data;
  }
}
