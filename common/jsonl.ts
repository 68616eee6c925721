/**
 * Plain JSON Lines for exports and imports (trajectories, SPA-RL data). Run logs use the CRC-checked
 * engine/storage/append-log.ts instead. Reading tolerates a torn last line (a
 * crash mid-append) and reports how many lines it skipped instead of failing.
 */

export function toJsonl(records: readonly unknown[]): string {
  let out = '';
  for (const r of records) out += JSON.stringify(r) + '\n';
  return out;
}

export interface JsonlParse<T> {
  records: T[];
  /** Lines that were not valid JSON or were refused by `validate`, with their 1-based numbers. */
  skipped: { line: number; reason: string }[];
}

export function parseJsonl<T = unknown>(text: string, validate?: (value: unknown) => T): JsonlParse<T> {
  const records: T[] = [];
  const skipped: JsonlParse<T>['skipped'] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      records.push(validate ? validate(value) : (value as T));
    } catch (e) {
      skipped.push({ line: i + 1, reason: (e as Error).message });
    }
  }
  return { records, skipped };
}
