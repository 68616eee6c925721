/**
 * One RunCatalog per catalog file per process: lowdb must have a single writer, and the job
 * supervisor and the service layer both need the catalog. Everyone opens it through here.
 */
import { resolve } from 'node:path';
import { RunCatalog, type CatalogOpened } from './catalog';
import { workspacePaths } from './run-folder';

const opened = new Map<string, Promise<CatalogOpened>>();

export function openSharedCatalog(dataDir: string): Promise<CatalogOpened> {
  const paths = workspacePaths(dataDir);
  const key = resolve(paths.catalogFile);
  let p = opened.get(key);
  if (!p) {
    p = RunCatalog.open({ file: paths.catalogFile, runsDir: paths.runsDir });
    p.catch(() => opened.delete(key));
    opened.set(key, p);
  }
  return p;
}
