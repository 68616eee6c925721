import { ENV_NAMES, SPLITS, UnknownTaskError, type EnvName, type Split } from './types';

/** The parts of a task id `<env>/v<version>/<split>/<index>`. */
export interface TaskIdParts {
  env: EnvName;
  version: number;
  split: Split;
  index: number;
}

export function formatTaskId(parts: TaskIdParts): string {
  return `${parts.env}/v${parts.version}/${parts.split}/${parts.index}`;
}

const TASK_ID = /^([a-z]+)\/v(\d+)\/([a-z]+)\/(\d+)$/;

export function parseTaskId(id: string): TaskIdParts {
  const m = TASK_ID.exec(id.trim());
  if (!m) throw new UnknownTaskError(`Not a task id: "${id}" (expected <env>/v<version>/<split>/<index>, e.g. alfworld/v1/train/0)`);
  const [, env, version, split, index] = m as unknown as [string, string, string, string, string];
  if (!(ENV_NAMES as readonly string[]).includes(env)) throw new UnknownTaskError(`Unknown environment "${env}" in task id "${id}"`);
  if (!(SPLITS as readonly string[]).includes(split)) throw new UnknownTaskError(`Unknown split "${split}" in task id "${id}" (train, seen or unseen)`);
  return { env: env as EnvName, version: Number(version), split: split as Split, index: Number(index) };
}

/** The seed string a generator derives a task from: stable across releases of the same version. */
export function taskSeed(parts: TaskIdParts): string {
  return formatTaskId(parts);
}
