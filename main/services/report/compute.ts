/**
 * What the grid's runs computed, and how much of it computed a shared stage a second time. A shared
 * stage (SFT, exploration, estimator) is keyed by its inputs and computed once per environment and
 * seed, unless its cached output was lost (the grid continued on a replaced machine, whose cache was
 * gone) and a later run trained it again. Counting those twice would overstate what the grid costs.
 */
import type { RunResult } from './run-results';

export interface GridCompute {
  /** Stage time the runs computed, in seconds (reused stages count nothing). */
  seconds: number;
  /** Of which: shared stages computed again by another run. */
  repeatedSeconds: number;
  /** How many distinct stage keys were computed more than once. */
  repeatedStages: number;
}

export function gridCompute(results: readonly RunResult[]): GridCompute {
  let seconds = 0;
  const byKey = new Map<string, { seconds: number; resumed: boolean }[]>();
  for (const r of results) {
    for (const st of r.stages) {
      if (st.reused) continue;
      seconds += st.seconds;
      if (!st.key) continue; // a run's own stage (RL, evaluation): nobody else computes it
      const computations = byKey.get(st.key) ?? [];
      computations.push({ seconds: st.seconds, resumed: st.resumed === true });
      byKey.set(st.key, computations);
    }
  }
  let repeatedSeconds = 0;
  let repeatedStages = 0;
  for (const computations of byKey.values()) {
    if (computations.length < 2) continue;
    // Keep one full computation (the longest that did not resume); without one, the pieces of a resumed chain are all needed.
    const full = computations.filter((c) => !c.resumed).map((c) => c.seconds);
    if (!full.length) continue;
    const total = computations.reduce((a, c) => a + c.seconds, 0);
    repeatedSeconds += total - Math.max(...full);
    repeatedStages++;
  }
  return { seconds, repeatedSeconds, repeatedStages };
}

/** The report's compute sentence. */
export function computeLine(c: GridCompute): string {
  const min = (s: number) => (s / 60).toFixed(1);
  if (!c.repeatedStages) return `Compute: **${min(c.seconds)} min** of stage time (stages shared between methods ran once per environment and seed).`;
  return (
    `Compute: **${min(c.seconds)} min** of stage time, of which ${min(c.repeatedSeconds)} min computed ${c.repeatedStages} shared stage(s) a second time (their cached output was gone, as on a replaced machine); ` +
    `the grid itself, each stage once: **${min(c.seconds - c.repeatedSeconds)} min**.`
  );
}
