/** Mean ± sample std over seeds of what the runs logged: summary numbers, stage metrics, curves. */
import type { RunResult } from './run-results';

export function meanStd(xs: readonly number[]): { mean: number; std: number; n: number } {
  const n = xs.length;
  if (!n) return { mean: NaN, std: NaN, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

const summaryNumber = (r: RunResult, key: string): number | null => {
  const v = r.entry.summary[key];
  return typeof v === 'number' ? v : null;
};

export function stat(runs: readonly RunResult[], key: string) {
  return meanStd(runs.map((r) => summaryNumber(r, key)).filter((v): v is number => v !== null));
}

export const pctPm = (s: { mean: number; std: number; n: number }) => (s.n ? `${(100 * s.mean).toFixed(1)} ± ${(100 * s.std).toFixed(1)}` : '–');
export const numPm = (s: { mean: number; std: number; n: number }, d = 3) => (s.n ? `${s.mean.toFixed(d)} ± ${s.std.toFixed(d)}` : '–');

/** A run's values of `key` in one stage's metric rows, in order. */
export const stageValues = (r: RunResult, stage: string, key: string): number[] =>
  r.metrics.filter((m) => m.stage === stage && typeof m[key] === 'number').map((m) => m[key] as number);

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean ± std across seeds of a training curve (charts/success_rate per RL iteration). */
export function curve(runs: readonly RunResult[], key: string): { x: number[]; y: number[]; spread: number[] } {
  const perRun = runs.map((r) => stageValues(r, 'rl', key));
  const len = Math.min(...perRun.map((p) => p.length));
  const x: number[] = [];
  const y: number[] = [];
  const spread: number[] = [];
  for (let i = 0; i < (Number.isFinite(len) ? len : 0); i++) {
    const s = meanStd(perRun.map((p) => p[i] as number));
    x.push(i + 1);
    y.push(s.mean);
    spread.push(s.std);
  }
  return { x, y, spread };
}

/** Mean over runs of the mean of `key` in a stage's metric rows (NaN when absent). */
export function stageMean(runs: readonly RunResult[], stage: string, key: string, pick: 'mean' | 'last' = 'mean') {
  return meanStd(
    runs
      .map((r) => stageValues(r, stage, key))
      .filter((v) => v.length > 0)
      .map((v) => (pick === 'last' ? (v[v.length - 1] as number) : mean(v))),
  );
}
