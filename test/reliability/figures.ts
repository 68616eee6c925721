/**
 * Fault-injection tests run twice over: fast in CI (`npm test`), long under `npm run test:faults`
 * (SPA_FAULTS=long). Each test reports its figure — what was tried and what held — with
 * `reportFigure`; the figures are printed and appended to test-artifacts/reliability/figures.jsonl
 * so docs/RELIABILITY.md can quote them.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LONG = process.env.SPA_FAULTS === 'long';

/** The CI count or the long count of a fault-injection loop. */
export function scale(ci: number, long: number): number {
  return LONG ? long : ci;
}

const OUT = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-artifacts', 'reliability');

/**
 * Records one figure. `test` is the number of the test in ../shared/docs/reliability.md's list
 * (1–29); `figure` is the measured sentence, e.g. "50/50 resumes after kill -9, 0 lost, 0 duplicated rows".
 */
export function reportFigure(test: number, name: string, figure: string, values: Record<string, number | string | boolean> = {}): void {
  const record = { test, name, figure, values, mode: LONG ? 'long' : 'ci', at: new Date().toISOString() };
  mkdirSync(OUT, { recursive: true });
  appendFileSync(join(OUT, 'figures.jsonl'), `${JSON.stringify(record)}\n`);
  console.log(`[reliability #${test}] ${name}: ${figure}`);
}
