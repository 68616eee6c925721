/**
 * Turns an imported file into a new run: parse and check everything first (a refused file
 * creates nothing), then create the run through the catalog, write its trajectories and
 * annotations, and mark it completed. If writing fails half-way the folder and its entry are
 * removed again, so no half-imported run is left behind.
 *
 * Parsing and writing give the event loop a turn every few milliseconds and the file is
 * fsynced asynchronously: a 100 MB import must not freeze the window (the Electron main
 * process runs its UI thread) or stall browser mode's other requests.
 */
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { ImportResultSchema } from '../../../common/ipc-contract';
import type { RunTrajectory } from '../../../common/run-schema';
import { encodeRecord } from '../../../engine/storage/append-log';
import { removeTree } from '../../../engine/storage/durable';
import { importTextSliced, ImportRefused } from '../../io/import';
import { SLICE_MS } from '../../io/json-slices';
import type { RunCatalog } from '../../runs/catalog';
import { appendRunLog, runPaths } from '../../runs/run-folder';
import { invalid } from './errors';
import type { AnnotationStore } from './annotation-store';

/** Bytes of encoded lines handed to one write(). */
const WRITE_BYTES = 1 << 20;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Appends the trajectories to the new run's (empty) trajectories.jsonl in the append log's
 * checked-line format, in slices, and fsyncs it before returning.
 */
async function writeTrajectories(path: string, trajectories: readonly RunTrajectory[]): Promise<void> {
  const fh = await fsp.open(path, 'a');
  try {
    let text = '';
    let sliceStart = performance.now();
    for (const t of trajectories) {
      text += encodeRecord(t) + '\n';
      if (text.length >= WRITE_BYTES) {
        await fh.appendFile(text);
        text = '';
      }
      if (performance.now() - sliceStart >= SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    if (text) await fh.appendFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function importAsRun(
  catalog: RunCatalog,
  fileName: string,
  text: string,
  openAnnotations: (runId: string) => Promise<AnnotationStore>,
): Promise<z.output<typeof ImportResultSchema>> {
  let file;
  try {
    file = await importTextSliced(text);
  } catch (e) {
    if (e instanceof ImportRefused) throw invalid(`${basename(fileName)} was not imported: ${e.message}`);
    throw e;
  }
  const name = basename(fileName);
  const entry = await catalog.create({
    name,
    env: file.env,
    method: 'import',
    preset: null,
    seed: 0,
    config: { import: { fileName: name, format: file.format, trajectories: file.trajectories.length, skipped: file.skipped } },
  });
  const paths = runPaths(catalog.runsDir, entry.id);
  try {
    await writeTrajectories(paths.trajectories, file.trajectories);
    (await openAnnotations(entry.id)).add(file.annotations);
    appendRunLog(paths.dir, `imported ${file.trajectories.length} trajectories from ${name} (${file.format}); ${file.skipped} records skipped`);
    for (const w of file.warnings) appendRunLog(paths.dir, `import: ${w}`);
    const successes = file.trajectories.filter((t) => t.success).length;
    await catalog.setStatus(entry.id, {
      status: 'completed',
      message: `imported from ${name}`,
      summary: { trajectories: file.trajectories.length, 'charts/success_rate': successes / file.trajectories.length },
    });
  } catch (e) {
    await removeTree(paths.dir).catch(() => undefined);
    await catalog.remove(entry.id).catch(() => undefined);
    throw e;
  }
  return { runId: entry.id, format: file.format, trajectories: file.trajectories.length, skipped: file.skipped, warnings: file.warnings };
}
