/** Where the studio keeps runs, the catalog and the stage cache: $SPA_STUDIO_DATA, else ~/.spa-studio. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SPA_STUDIO_DATA || join(homedir(), '.spa-studio'));
}
