/**
 * Turns an imported file into a new run: parse and check everything first (a refused file
 * creates nothing), then create the run through the catalog, write its trajectories and
 * annotations, and mark it completed. If writing fails half-way the folder and its entry are
 * removed again, so no half-imported run is left behind.
 */
import { basename } from 'node:path';
import type { z } from 'zod';
import type { ImportResultSchema } from '../../../common/ipc-contract';
import type { RunTrajectory } from '../../../common/run-schema';
import { AppendLog } from '../../../engine/storage/append-log';
import { removeTree } from '../../../engine/storage/durable';
import { importText, ImportRefused } from '../../io/import';
import type { RunCatalog } from '../../runs/catalog';
import { appendRunLog, runPaths } from '../../runs/run-folder';
import { invalid } from './errors';
import type { AnnotationStore } from './annotation-store';

const BATCH = 500;

export async function importAsRun(
  catalog: RunCatalog,
  fileName: string,
  text: string,
  openAnnotations: (runId: string) => Promise<AnnotationStore>,
): Promise<z.output<typeof ImportResultSchema>> {
  let file;
  try {
    file = importText(text);
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
    const log = AppendLog.open<RunTrajectory>(paths.trajectories);
    try {
      for (let i = 0; i < file.trajectories.length; i += BATCH) log.appendMany(file.trajectories.slice(i, i + BATCH));
    } finally {
      log.close();
    }
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
