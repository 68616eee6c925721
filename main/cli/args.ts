/** Parsing and checking of option values shared by the subcommands. */
import { ENV_NAMES, SPLITS, type EnvName, type Split } from '../../envs/core/types';
import { isEnvName } from '../../envs/registry';

export function parseEnvList(value: string | undefined): EnvName[] {
  if (!value || value === 'all') return [...ENV_NAMES];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!isEnvName(n)) throw new Error(`Unknown environment "${n}". Choose from: ${ENV_NAMES.join(', ')}`);
  return names as EnvName[];
}

export function parseEnv(value: string): EnvName {
  if (!isEnvName(value)) throw new Error(`Unknown environment "${value}". Choose one of: ${ENV_NAMES.join(', ')}`);
  return value;
}

export function parseSplitList(value: string | undefined): Split[] {
  if (!value || value === 'all') return [...SPLITS];
  const names = value.split(',').map((s) => s.trim());
  for (const n of names) if (!(SPLITS as readonly string[]).includes(n)) throw new Error(`Unknown split "${n}". Choose from: ${SPLITS.join(', ')}`);
  return names as Split[];
}

export function parseSplit(value: string): Split {
  return parseSplitList(value)[0] as Split;
}

export function parseCount(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}
