/**
 * The run catalog: one lowdb JSON file listing every run (id, name, env, method, preset, seed,
 * status, backend, times, lineage, summary metrics) so the studio can list and filter runs
 * without opening every folder. It is an index, never the truth: each entry is derived
 * from the run's config.json + status.json, and `rebuildCatalog(runsDir)` recreates it.
 * Per-step data never goes in (schema: summary values are scalars).
 *
 * ONE WRITER AT A TIME: only main processes open the catalog (workers write their run folder;
 * main turns their events into catalog updates). Inside a process every change goes through one
 * promise queue. Across processes — the studio and a `spa run` in a terminal on the same data
 * folder — each change takes a lock (proper-lockfile: `catalog.json.lock`, stale after 10 s),
 * re-reads the file if another process wrote it since, applies the change and writes: lowdb
 * (steno) replaces the file atomically but has no lock of its own. Writes are not fsynced; a
 * lost catalog write is repaired on the next open from the folders.
 *
 * A corrupt catalog file (unparsable, wrong shape, `null`) is renamed aside to
 * `catalog.json.corrupt-<time>` (never overwritten, the user may want it), a warning is
 * returned for the UI, and the catalog is rebuilt from the run folders.
 */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import lockfile from 'proper-lockfile';
import { JSONFile } from 'lowdb/node';
import { isRunId } from '../../common/run-id';
import { createRun, ownedElsewhere, readRunMeta, readRunStatus, runPaths, writeRunStatus, type NewRun, type StatusPatch } from './run-folder';
import { CATALOG_SCHEMA, CatalogSchema, firstIssue, TERMINAL_STATUSES, type CatalogData, type CatalogEntry } from '../../common/run-schema';

export interface CatalogLocation {
  /** The catalog file (workspacePaths(root).catalogFile). */
  file: string;
  runsDir: string;
}

function emptyCatalog(): CatalogData {
  return { schema: CATALOG_SCHEMA, runs: [] };
}

/** A catalog entry from a run folder; throws saying what is wrong with the folder. */
export async function catalogEntryFromFolder(runDir: string): Promise<CatalogEntry> {
  const meta = await readRunMeta(runDir);
  if (meta.id !== basename(runDir)) throw new Error(`config.json says id ${meta.id}, the folder is ${basename(runDir)}`);
  const status = await readRunStatus(runDir);
  return {
    id: meta.id,
    name: meta.name,
    env: meta.env,
    method: meta.method,
    preset: meta.preset,
    seed: meta.seed,
    status: status.status,
    backend: status.backend,
    step: status.step,
    message: status.message,
    createdAt: meta.createdAt,
    updatedAt: status.updatedAt,
    lineage: status.lineage,
    summary: status.summary,
    ...(status.archived ? { archived: true } : {}),
  };
}

async function runFolderNames(runsDir: string): Promise<string[]> {
  const entries = await fsp.readdir(runsDir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries.filter((d) => d.isDirectory() && isRunId(d.name)).map((d) => d.name).sort();
}

/** The catalog as the run folders say it should be; unreadable folders are skipped with a warning. */
export async function rebuildCatalog(runsDir: string): Promise<{ data: CatalogData; warnings: string[] }> {
  const data = emptyCatalog();
  const warnings: string[] = [];
  for (const name of await runFolderNames(runsDir)) {
    try {
      data.runs.push(await catalogEntryFromFolder(join(runsDir, name)));
    } catch (e) {
      warnings.push(`run folder ${name} skipped: ${(e as Error).message}`);
    }
  }
  return { data, warnings };
}

/** Renames a bad file to `<name>.corrupt-<time>[-n]`, never replacing an existing file. */
async function moveAside(file: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/:/g, '-');
  for (let n = 1; ; n++) {
    const target = `${file}.corrupt-${stamp}${n > 1 ? `-${n}` : ''}`;
    try {
      // link() fails if the target exists, unlike rename(); then drop the old name.
      await fsp.link(file, target);
      await fsp.unlink(file);
      return target;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
      // Filesystems without hard links (FAT): check, then rename. Single writer, so no race.
      if (await fsp.stat(target).then(() => true, () => false)) continue;
      await fsp.rename(file, target);
      return target;
    }
  }
}

/** Error text fit for a one-line user message (V8 quotes the bad JSON, newlines included). */
function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Reads and checks catalog.json. Stricter than lowdb's JSONFile.read(), which decodes with
 * replacement characters: invalid UTF-8 inside a string would pass JSON.parse and the schema,
 * the damaged text would be kept (a completed run is not re-read from its folder) and the next
 * write would overwrite the original bytes. So the bytes must be valid UTF-8 (a BOM, which we
 * never write, is kept and fails the parse), and run ids unique (we never write duplicates;
 * the list would show the run twice). Never throws on content.
 */
async function readCatalogFile(file: string): Promise<{ data: CatalogData } | { problem: string }> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await fsp.readFile(file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { problem: err.code && err.code !== 'ERR_ENCODING_INVALID_ENCODED_DATA' ? `it cannot be read (${err.code})` : 'it is not valid UTF-8' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problem: `it is not valid JSON (${oneLine((e as Error).message)})` };
  }
  const parsed = CatalogSchema.safeParse(raw);
  if (!parsed.success) return { problem: raw === null ? 'it contains null' : `it does not match the catalog schema ${firstIssue(parsed.error)}` };
  const seen = new Set<string>();
  for (const r of parsed.data.runs) {
    if (seen.has(r.id)) return { problem: `it lists run ${r.id} twice` };
    seen.add(r.id);
  }
  return { data: parsed.data };
}

async function stampOf(file: string): Promise<string | null> {
  const st = await fsp.stat(file).catch(() => null);
  return st ? `${st.mtimeMs}:${st.size}:${st.ino}` : null;
}

export interface CatalogOpened {
  catalog: RunCatalog;
  /** Things the user should be told (a corrupt catalog moved aside, unreadable run folders). */
  warnings: string[];
}

/** How a writer waits for another process's catalog write (each holds the lock for milliseconds). */
const LOCK_OPTIONS = { realpath: false, stale: 10_000, update: 2_000, retries: { retries: 200, factor: 1.3, minTimeout: 5, maxTimeout: 250 } };

export class RunCatalog {
  private queue: Promise<unknown> = Promise.resolve();
  /** mtime and size of catalog.json as this process last read or wrote it: anything else was another process. */
  private stamp: string | null = null;
  /** Problems met after opening (a catalog another process left unreadable), for the run list to show. */
  readonly lateWarnings: string[] = [];

  private constructor(
    private readonly db: Low<CatalogData>,
    readonly file: string,
    readonly runsDir: string,
  ) {}

  /** The lowdb adapter (a JSONFile: tests check it is not lowdb's in-memory test adapter). */
  get adapter(): Low<CatalogData>['adapter'] {
    return this.db.adapter;
  }

  /**
   * Opens the catalog. Valid → reconciled with the folders (runs added or deleted while
   * the app was closed; entries that were not finished are re-read, since their folder may
   * be ahead of the catalog after a crash). Missing → built from the folders. Corrupt →
   * moved aside, warned about, rebuilt.
   */
  static async open(loc: CatalogLocation, now = new Date()): Promise<CatalogOpened> {
    await fsp.mkdir(dirname(loc.file), { recursive: true });
    await fsp.mkdir(loc.runsDir, { recursive: true });
    const adapter = new JSONFile<CatalogData>(loc.file);
    const catalog = new RunCatalog(new Low(adapter, emptyCatalog()), loc.file, loc.runsDir);
    const warnings: string[] = [];

    // Under the cross-process lock: a terminal `spa run` may be writing the same catalog.
    await catalog.withLock(async () => {
      const exists = await fsp.stat(loc.file).then(() => true, () => false);
      let problem: string | null = null;
      let data: CatalogData | null = null;
      if (exists) {
        const read = await readCatalogFile(loc.file);
        if ('problem' in read) problem = read.problem;
        else data = read.data;
      }
      if (data) {
        catalog.db.data = data;
        catalog.stamp = await stampOf(loc.file);
        await catalog.reconcile(warnings);
      } else {
        warnings.push(...(await catalog.rebuildAfter(problem, now)));
      }
    });
    return { catalog, warnings };
  }

  /** Changes run one at a time in this process, each under the cross-process lock on fresh data. */
  private enqueue<R>(job: () => Promise<R>): Promise<R> {
    const next = this.queue.then(() =>
      this.withLock(async () => {
        await this.syncFromDisk();
        return job();
      }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async withLock<R>(job: () => Promise<R>): Promise<R> {
    const release = await lockfile.lock(this.file, LOCK_OPTIONS);
    try {
      return await job();
    } finally {
      await release().catch(() => undefined); // a lock taken over as stale is the other writer's now
    }
  }

  /** Picks up what another process wrote since this one last read or wrote the file. */
  private async syncFromDisk(): Promise<void> {
    const stamp = await stampOf(this.file);
    if (stamp === this.stamp) return;
    if (stamp === null) {
      this.lateWarnings.push(...(await this.rebuildAfter(null, new Date())));
      return;
    }
    const read = await readCatalogFile(this.file);
    if ('problem' in read) this.lateWarnings.push(...(await this.rebuildAfter(read.problem, new Date())));
    else {
      this.db.data = read.data;
      this.stamp = stamp;
    }
  }

  /** Reads what other processes wrote (the studio's run list calls it; a cheap stat when nothing changed). */
  sync(): Promise<void> {
    const next = this.queue.then(() => this.syncFromDisk());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A missing or unreadable catalog: the bad file moved aside (never overwritten), the catalog rebuilt from the folders. */
  private async rebuildAfter(problem: string | null, now: Date): Promise<string[]> {
    const warnings: string[] = [];
    if (problem) {
      const aside = await moveAside(this.file, now);
      warnings.push(`The run catalog ${basename(this.file)} could not be read: ${problem}. It was moved to ${basename(aside)} and rebuilt from the run folders.`);
    }
    const rebuilt = await rebuildCatalog(this.runsDir);
    this.db.data = rebuilt.data;
    warnings.push(...rebuilt.warnings);
    await this.save();
    return warnings;
  }

  private async save(): Promise<void> {
    await this.db.write();
    this.stamp = await stampOf(this.file);
  }

  private async reconcile(warnings: string[]): Promise<void> {
    const names = new Set(await runFolderNames(this.runsDir));
    const runs = this.db.data.runs.filter((r) => names.has(r.id));
    let changed = runs.length !== this.db.data.runs.length;
    const known = new Set(runs.map((r) => r.id));
    for (const [i, r] of runs.entries()) {
      if (TERMINAL_STATUSES.includes(r.status)) continue;
      const fresh = await catalogEntryFromFolder(join(this.runsDir, r.id)).catch(() => null);
      if (fresh && JSON.stringify(fresh) !== JSON.stringify(r)) {
        runs[i] = fresh;
        changed = true;
      }
    }
    for (const name of names) {
      if (known.has(name)) continue;
      try {
        runs.push(await catalogEntryFromFolder(join(this.runsDir, name)));
        changed = true;
      } catch (e) {
        warnings.push(`run folder ${name} skipped: ${(e as Error).message}`);
      }
    }
    if (changed) {
      this.db.data = { schema: CATALOG_SCHEMA, runs: runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
      await this.save();
    }
  }

  /** All entries, oldest first (copies: mutate through the methods). */
  list(): CatalogEntry[] {
    return structuredClone(this.db.data.runs);
  }

  get(id: string): CatalogEntry | undefined {
    const e = this.db.data.runs.find((r) => r.id === id);
    return e && structuredClone(e);
  }

  /** Creates the run folder, then its entry. */
  create(run: NewRun): Promise<CatalogEntry> {
    return this.enqueue(async () => {
      const { paths } = await createRun(this.runsDir, run);
      return this.put(await catalogEntryFromFolder(paths.dir));
    });
  }

  /** Writes status.json (the truth) first, then the entry: a crash in between is repaired on open. */
  setStatus(id: string, patch: StatusPatch, now = new Date()): Promise<CatalogEntry> {
    return this.enqueue(async () => {
      const dir = runPaths(this.runsDir, id).dir;
      await writeRunStatus(dir, patch, now);
      return this.put(await catalogEntryFromFolder(dir));
    });
  }

  /** Re-reads one run's folder (after a worker wrote status.json); drops the entry if the folder is gone. */
  refresh(id: string): Promise<CatalogEntry | null> {
    return this.enqueue(async () => {
      const dir = runPaths(this.runsDir, id).dir;
      if (!(await fsp.stat(dir).then(() => true, () => false))) {
        await this.drop(id);
        return null;
      }
      return this.put(await catalogEntryFromFolder(dir));
    });
  }

  /** Forgets a run whose folder the caller deleted. */
  remove(id: string): Promise<void> {
    return this.enqueue(() => this.drop(id));
  }

  /** Replaces the whole catalog with what the folders say. */
  rebuild(): Promise<string[]> {
    return this.enqueue(async () => {
      const { data, warnings } = await rebuildCatalog(this.runsDir);
      this.db.data = data;
      await this.save();
      return warnings;
    });
  }

  /**
   * At startup, before any run is started: a run still "running" has lost its process (the
   * app or the worker died), so it is marked crashed, in its folder and here. Returns the ids.
   */
  markInterruptedRuns(now = new Date()): Promise<string[]> {
    return this.enqueue(async () => {
      const ids: string[] = [];
      for (const r of this.db.data.runs) {
        if (r.status !== 'running') continue;
        // Still supervised by another live process (`spa run` in a terminal, a second studio): not ours to mark.
        const status = await readRunStatus(runPaths(this.runsDir, r.id).dir).catch(() => null);
        if (status && ownedElsewhere(status)) continue;
        ids.push(r.id);
      }
      for (const id of ids) {
        const dir = runPaths(this.runsDir, id).dir;
        await writeRunStatus(dir, { status: 'crashed', message: 'the process running it ended without reporting (app or worker crash)', owner: null }, now);
        this.upsert(await catalogEntryFromFolder(dir));
      }
      if (ids.length) await this.save();
      return ids;
    });
  }

  private upsert(entry: CatalogEntry): void {
    const runs = this.db.data.runs;
    const i = runs.findIndex((r) => r.id === entry.id);
    if (i === -1) {
      runs.push(entry);
      runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    } else runs[i] = entry;
  }

  private async put(entry: CatalogEntry): Promise<CatalogEntry> {
    this.upsert(entry);
    await this.save();
    return structuredClone(entry);
  }

  private async drop(id: string): Promise<void> {
    const before = this.db.data.runs.length;
    this.db.data.runs = this.db.data.runs.filter((r) => r.id !== id);
    if (this.db.data.runs.length !== before) await this.save();
  }
}
