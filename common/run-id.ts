/**
 * Run ids: `2026-11-22T13-40-05-alfworld-spa-s1`. The UTC start time first, fixed width, so
 * ids sort chronologically as plain strings; then what a person scans for (environment,
 * method, seed). They are folder names, so only [a-z0-9-] after the time, which also makes
 * an id from IPC safe to join onto a path (no "/", "\", ".."). Uniqueness comes from an
 * exclusive mkdir in createRun: a clash adds "-2", "-3", …
 */

export const RUN_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-[a-z0-9]+)+$/;

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 128 && RUN_ID_PATTERN.test(value);
}

/** Lowercase [a-z0-9] words joined by "-"; "x" when nothing is left. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, 40).replace(/-+$/, '') || 'x';
}

export interface RunIdParts {
  env: string;
  method: string;
  seed: number;
  date?: Date;
}

export function makeRunId(parts: RunIdParts): string {
  if (!Number.isSafeInteger(parts.seed) || parts.seed < 0) throw new RangeError(`run seed must be a non-negative integer, got ${parts.seed}`);
  const stamp = (parts.date ?? new Date()).toISOString().slice(0, 19).replace(/:/g, '-'); // YYYY-MM-DDTHH-mm-ss (UTC)
  return `${stamp}-${slug(parts.env)}-${slug(parts.method)}-s${parts.seed}`;
}

/** The n-th candidate for a base id (n = 1 is the base itself). */
export function withSuffix(base: string, n: number): string {
  return n <= 1 ? base : `${base}-${n}`;
}
