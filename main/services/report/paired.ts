/**
 * SPA against a baseline, paired: within a seed both start from the same SFT model and play the
 * same evaluation tasks, so the honest comparison is task by task. Tasks both solve or both fail
 * say nothing; the discordant ones (solved by one method only) decide, and an exact sign test
 * (McNemar's exact test) says how often a fair coin would split them at least this unevenly.
 * The seed-spread verdict compares two means; this shows whether the gap is consistent.
 */
import type { RunResult } from './run-results';

export interface PairedComparison {
  /** Seeds where both methods have evaluation episodes, in order. */
  seeds: number[];
  /** Tasks played by both (summed over seeds and splits). */
  pairs: number;
  /** Tasks solved by the first method only, by the second only. */
  firstOnly: number;
  secondOnly: number;
  /** Per seed, success of the first minus the second over the paired tasks, in [−1, 1]. */
  perSeedDiff: number[];
  /** Two-sided exact sign test on the discordant tasks; 1 when there are none. */
  pValue: number;
}

/** Two-sided exact binomial test of k successes in n fair trials: P(as uneven as this or more). */
export function signTestP(k: number, n: number): number {
  if (n === 0) return 1;
  const low = Math.min(k, n - k);
  // Sum C(n, i) / 2^n for i ≤ low in log space: n reaches a few hundred.
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= low; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** Which evaluation tasks a run solved, keyed by split and task; null without evaluation episodes. */
export type EvalOutcomes = Readonly<Record<string, boolean>>;

export const outcomeKey = (split: string, taskId: string) => `${split}/${taskId}`;

export function pairedComparison(first: readonly RunResult[], second: readonly RunResult[]): PairedComparison | null {
  const bySeed = (runs: readonly RunResult[]) => new Map(runs.filter((r) => r.evalOutcomes).map((r) => [r.entry.seed, r.evalOutcomes as EvalOutcomes]));
  const a = bySeed(first);
  const b = bySeed(second);
  const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
  if (!seeds.length) return null;
  let pairs = 0;
  let firstOnly = 0;
  let secondOnly = 0;
  const perSeedDiff: number[] = [];
  for (const seed of seeds) {
    const oa = a.get(seed) as EvalOutcomes;
    const ob = b.get(seed) as EvalOutcomes;
    let n = 0;
    let aOnly = 0;
    let bOnly = 0;
    for (const [key, solvedA] of Object.entries(oa)) {
      const solvedB = ob[key];
      if (solvedB === undefined) continue;
      n++;
      if (solvedA && !solvedB) aOnly++;
      if (!solvedA && solvedB) bOnly++;
    }
    pairs += n;
    firstOnly += aOnly;
    secondOnly += bOnly;
    if (n) perSeedDiff.push((aOnly - bOnly) / n);
  }
  return { seeds, pairs, firstOnly, secondOnly, perSeedDiff, pValue: signTestP(firstOnly, firstOnly + secondOnly) };
}

/** p to two decimals, and "< 0.001" where two decimals would read 0.00. */
export const formatP = (p: number) => (p < 0.001 ? '< 0.001' : p < 0.01 ? p.toFixed(3) : p.toFixed(2));

/** The comparison's p, or null when no task separates the two methods (the test has nothing to say). */
const decidedP = (c: PairedComparison): string | null => (c.firstOnly + c.secondOnly ? formatP(c.pValue) : null);

const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)}`;

/** The line under a verdict: what the paired tasks show. */
export function pairedLine(c: PairedComparison, base: string): string {
  const p = decidedP(c);
  return (
    `  Paired by seed and task (${c.pairs} tasks over seeds ${c.seeds.join(', ')}): SPA alone solves ${c.firstOnly}, ${base} alone ${c.secondOnly}` +
    (p === null ? '' : `; exact sign test p ${p.startsWith('<') ? '' : '= '}${p}`) +
    `; SPA − ${base} per seed: ${c.perSeedDiff.map((d) => signed(100 * d)).join(', ')} points.`
  );
}

/**
 * Every method against SFT, task by task: the tasks it solves that its own seed's SFT model
 * does not (gained) and the reverse (lost). RL starts from that model, so this is what training changed.
 */
export function againstSftTable(methods: readonly string[], of: (method: string) => readonly RunResult[]): string[] {
  const rows: string[] = [];
  for (const m of methods) {
    if (m === 'sft') continue;
    const c = pairedComparison(of(m), of('sft'));
    if (!c) continue;
    rows.push(`| ${m} | ${c.firstOnly} | ${c.secondOnly} | ${decidedP(c) ?? '–'} | ${c.pairs} (seeds ${c.seeds.join(', ')}) |`);
  }
  if (!rows.length) return [];
  return [
    '',
    "Task by task against SFT (each run's evaluation tasks against those of the SFT model its seed started from; gained: solved by the method and not by SFT):",
    '',
    '| method | tasks gained | tasks lost | exact sign test p | tasks paired |',
    '|---|---|---|---|---|',
    ...rows,
  ];
}
