/** Summaries of timing samples: the benchmark reports medians and 95th percentiles. */
import { median } from '../median';

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** The nearest-rank percentile (`q` in [0, 1]): a value that was measured, never interpolated. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new RangeError('percentile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`percentile wants q in [0, 1], got ${q}`);
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)] as number;
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new RangeError('no samples to summarize');
  return { n: xs.length, median: median(xs), p95: percentile(xs, 0.95), min: Math.min(...xs), max: Math.max(...xs) };
}
