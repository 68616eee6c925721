/**
 * The grid's own clock. A grid on a 2-core machine outlasts a working day, so it is interrupted
 * and resumed; the span from its first run to its last then counts the nights in between. Each
 * `spa reproduce` invocation that runs the grid keeps a session record in the data folder
 * (reproduce-sessions/<start>-<pid>.json), rewritten every minute, so one that is killed still
 * counts up to its last minute. The report adds up their spans, overlaps once (gridWallSeconds):
 * the grid's wall time without the gaps.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../engine/storage/durable';
import { readJsonFile } from '../runs/run-folder';

export const GRID_SESSION_SCHEMA = 'spa-studio/reproduce-session@1' as const;
const SESSIONS_DIR = 'reproduce-sessions';

/** Where a data folder keeps its grid session records. */
export const gridSessionsDir = (dataDir: string) => join(dataDir, SESSIONS_DIR);

const GridSessionSchema = z.object({
  schema: z.literal(GRID_SESSION_SCHEMA),
  preset: z.string(),
  envs: z.array(z.string()),
  seeds: z.number().int(),
  parallel: z.number().int(),
  pid: z.number().int(),
  startedAt: z.string(),
  /** The last time the session was seen running (its end, once ended). */
  aliveAt: z.string(),
  ended: z.boolean(),
  /** Runs this session trained or resumed to their end (not those it found completed). */
  runsComputed: z.number().int(),
});
export type GridSession = z.infer<typeof GridSessionSchema>;

export interface GridSessionHandle {
  /** Records one more run computed. */
  runComputed(): void;
  /** Writes the final record and stops the clock. */
  end(): Promise<void>;
}

/** Starts the session record of an invocation that runs the grid. */
export async function startGridSession(
  dataDir: string,
  grid: Pick<GridSession, 'preset' | 'envs' | 'seeds' | 'parallel'>,
  opts: { intervalMs?: number; now?: () => Date } = {},
): Promise<GridSessionHandle> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const dir = gridSessionsDir(dataDir);
  await fsp.mkdir(dir, { recursive: true });
  const file = join(dir, `${startedAt.replace(/[:.]/g, '-')}-${process.pid}.json`);
  const session: GridSession = { schema: GRID_SESSION_SCHEMA, ...grid, pid: process.pid, startedAt, aliveAt: startedAt, ended: false, runsComputed: 0 };
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    session.aliveAt = now().toISOString();
    const body = JSON.stringify(session, null, 2) + '\n';
    writing = writing.then(() => writeFileAtomic(file, body)).catch(() => undefined); // a missed beat costs at most a minute of the count
    return writing;
  };
  await save();
  const timer = setInterval(() => void save(), opts.intervalMs ?? 60_000);
  timer.unref();
  return {
    runComputed: () => {
      session.runsComputed++;
    },
    end: async () => {
      clearInterval(timer);
      session.ended = true;
      await save();
    },
  };
}

/** The recorded sessions of grids at `preset` in this data folder, oldest first; unreadable records are skipped. */
export async function readGridSessions(dataDir: string, preset: string): Promise<GridSession[]> {
  const dir = gridSessionsDir(dataDir);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const sessions: GridSession[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const parsed = GridSessionSchema.safeParse(await readJsonFile(join(dir, name), name).catch(() => null));
    if (parsed.success && parsed.data.preset === preset) sessions.push(parsed.data);
  }
  return sessions.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** A session's wall time in seconds: start to its last sign of life. */
export const sessionSeconds = (s: GridSession) => Math.max(0, (Date.parse(s.aliveAt) - Date.parse(s.startedAt)) / 1000);

/**
 * The grid's wall time in seconds: the union of its sessions' spans. Two invocations may run on one
 * data folder at once (the catalog and the stage locks allow it); the time they share passed once.
 */
export function gridWallSeconds(sessions: readonly GridSession[]): number {
  const spans = sessions.map((s) => [Date.parse(s.startedAt), Date.parse(s.aliveAt)] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let covered = -Infinity; // the end of the union so far
  for (const [start, end] of spans) {
    total += Math.max(0, end - Math.max(start, covered));
    covered = Math.max(covered, end);
  }
  return total / 1000;
}
