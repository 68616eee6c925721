/**
 * TensorBoard's scalar smoothing: an exponential moving average, debiased so the first points
 * are not pulled towards zero. weight 0 = raw, 0.99 = very smooth. Non-finite values pass
 * through unsmoothed and do not poison the average.
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  const w = Math.min(Math.max(weight, 0), 0.999);
  let last = 0;
  // w^n, kept as a running product (Math.pow per point costs more than the rest). It is clamped
  // to 0 once negligible: left alone it sinks to the smallest subnormal double and stays there
  // (x·w rounds back up), and every subnormal multiply is ~10× slower — 58 ms vs 6 ms per 1M points.
  let wn = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    wn = wn > 1e-300 ? wn * w : 0;
    const debias = w === 0 ? 1 : 1 - wn;
    out[i] = last / debias;
  }
  return out;
}
