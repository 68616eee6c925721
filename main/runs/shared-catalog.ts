/**
 * One RunCatalog per catalog file per process: lowdb must have a single writer, and the job
 * supervisor and the service layer both need the catalog. Everyone opens it through here.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunCatalog, type CatalogOpened } from './catalog';
import { workspacePaths } from './run-folder';

const opened = new Map<string, Promise<CatalogOpened>>();

/**
 * The key of a catalog file: its real path, so two spellings of one data folder (one through a
 * symlink) share one writer instead of opening two lowdb writers on the same file.
 */
function catalogKey(dataDir: string): string {
  try {
    mkdirSync(dataDir, { recursive: true });
    return workspacePaths(realpathSync.native(dataDir)).catalogFile;
  } catch {
    return resolve(workspacePaths(dataDir).catalogFile);
  }
}

export function openSharedCatalog(dataDir: string): Promise<CatalogOpened> {
  const paths = workspacePaths(dataDir);
  const key = catalogKey(dataDir);
  let p = opened.get(key);
  if (!p) {
    p = RunCatalog.open({ file: paths.catalogFile, runsDir: paths.runsDir });
    p.catch(() => opened.delete(key));
    opened.set(key, p);
  }
  return p;
}
