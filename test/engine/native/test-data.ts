/** Shared by the native-kernel tests: reproducible inputs and a scale-relative error. */

/** Deterministic values in [−scale, scale) (LCG), so failures reproduce. */
export function values(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

/** max |x − ref| / max |ref|: the error relative to the result's scale. */
export function relError(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (x.length !== ref.length) throw new RangeError(`relError: ${x.length} values against ${ref.length}`);
  let err = 0;
  let scale = 1e-30;
  for (let i = 0; i < ref.length; i++) {
    err = Math.max(err, Math.abs((x[i] as number) - (ref[i] as number)));
    scale = Math.max(scale, Math.abs(ref[i] as number));
  }
  return err / scale;
}
