/**
 * Turns an imported file into a new run. The file streams through the importer: each checked
 * trajectory is appended to a staging file under the cache folder as soon as it is read, so
 * memory holds one record, not the file. Only when the whole file has been read and accepted is
 * the run created and the staging file renamed into it; a refused file (or a failure while
 * writing) leaves no run, no entry and no staging file behind.
 *
 * Reading and writing give the event loop a turn every few milliseconds and the file is
 * fsynced asynchronously: a 100 MB import must not freeze the window (the Electron main
 * process runs its UI thread) or stall browser mode's other requests.
 */
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import type { ImportResultSchema } from '../../../common/ipc-contract';
import { encodeRecord } from '../../../engine/storage/append-log';
import { removeTree, renameDurable } from '../../../engine/storage/durable';
import { importStream, ImportRefused, type ImportSummary } from '../../io/import';
import type { RunCatalog } from '../../runs/catalog';
import { appendRunLog, ownedElsewhere, runPaths, thisProcessOwner } from '../../runs/run-folder';
import { invalid } from './errors';
import type { AnnotationStore } from './annotation-store';

/** Bytes of encoded lines handed to one write(). */
const WRITE_BYTES = 1 << 20;

/** Staging folders are named after the process that writes them (host-pid), so a later start can clear a dead one's. */
const STAGING_PREFIX = 'import-';

/** Appends checked-line records to a file in 1 MB writes; fsyncs on close. */
class StagingFile {
  private pending = '';
  private constructor(private readonly fh: fsp.FileHandle) {}

  static async open(path: string): Promise<StagingFile> {
    return new StagingFile(await fsp.open(path, 'wx'));
  }

  async append(line: string): Promise<void> {
    this.pending += line;
    if (this.pending.length >= WRITE_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    if (text) await this.fh.appendFile(text);
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.fh.sync();
    await this.fh.close();
  }

  async discard(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

/** Removes staging folders left by imports whose process died mid-way (a crash, a kill). */
export async function clearStaleImports(cacheDir: string): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(cacheDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const [, host, pid] = /^import-(.+)-(\d+)-[^-]+$/.exec(name) ?? [];
    if (!host || !pid) continue;
    // This process's imports are in flight, a live one's are its own, and another machine's
    // (a shared data folder) cannot be judged: the same rule as a run's owner.
    if (ownedElsewhere({ status: 'running', owner: { host, pid: Number(pid) } }) || Number(pid) === process.pid) continue;
    await removeTree(join(cacheDir, name)).catch(() => undefined);
    removed++;
  }
  return removed;
}

export async function importAsRun(
  catalog: RunCatalog,
  cacheDir: string,
  fileName: string,
  source: AsyncIterable<string> | Iterable<string>,
  openAnnotations: (runId: string) => Promise<AnnotationStore>,
): Promise<z.output<typeof ImportResultSchema>> {
  const name = basename(fileName);
  // A refused file must leave the data folder as it was: a cache folder made here goes again.
  const madeCache = await fsp.mkdir(cacheDir, { recursive: true });
  const { host, pid } = thisProcessOwner();
  const staging = await fsp.mkdtemp(join(cacheDir, `${STAGING_PREFIX}${host}-${pid}-`));
  try {
    const stagedPath = join(staging, 'trajectories.jsonl');
    const staged = await StagingFile.open(stagedPath);
    let file: ImportSummary;
    try {
      file = await importStream(source, (c) => staged.append(encodeRecord(c.trajectory) + '\n'));
      await staged.commit();
    } catch (e) {
      await staged.discard();
      if (e instanceof ImportRefused) throw invalid(`${name} was not imported: ${e.message}`);
      throw e;
    }
    const entry = await catalog.create({
      name,
      env: file.env,
      method: 'import',
      preset: null,
      seed: 0,
      config: { import: { fileName: name, format: file.format, trajectories: file.trajectories, skipped: file.skipped } },
    });
    const paths = runPaths(catalog.runsDir, entry.id);
    try {
      await renameDurable(stagedPath, paths.trajectories);
      (await openAnnotations(entry.id)).add(file.annotations);
      appendRunLog(paths.dir, `imported ${file.trajectories} trajectories from ${name} (${file.format}); ${file.skipped} records skipped`);
      for (const w of file.warnings) appendRunLog(paths.dir, `import: ${w}`);
      await catalog.setStatus(entry.id, {
        status: 'completed',
        message: `imported from ${name}`,
        summary: { trajectories: file.trajectories, 'charts/success_rate': file.successes / file.trajectories },
      });
    } catch (e) {
      await removeTree(paths.dir).catch(() => undefined);
      await catalog.remove(entry.id).catch(() => undefined);
      throw e;
    }
    return { runId: entry.id, format: file.format, trajectories: file.trajectories, skipped: file.skipped, warnings: file.warnings };
  } finally {
    await removeTree(staging).catch(() => undefined);
    if (madeCache) await fsp.rmdir(madeCache).catch(() => undefined); // only while empty
  }
}
