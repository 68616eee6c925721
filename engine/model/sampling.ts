/**
 * Choosing the next token from one row of logits: greedy, or temperature + nucleus (top-p)
 * sampling with a caller-supplied uniform rng (deterministic under a seeded rng). Pure JS
 * on Float32Array rows; accumulations in float64.
 */

export interface SamplingOptions {
  /** Softmax temperature; ≤ 0 means greedy. */
  temperature: number;
  /** Keep the smallest set of most likely tokens whose probability reaches topP (1 = all). */
  topP: number;
  greedy?: boolean;
}

/** Index of the largest value (the lowest index among ties). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

/** log softmax(row)[index], computed stably. */
export function logSoftmaxAt(row: ArrayLike<number>, index: number): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i] as number);
  let z = 0;
  for (let i = 0; i < row.length; i++) z += Math.exp((row[i] as number) - max);
  return (row[index] as number) - max - Math.log(z);
}

/** softmax(row / temperature) as float64 probabilities. */
export function temperatureProbs(row: ArrayLike<number>, temperature: number): Float64Array {
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
  const p = new Float64Array(row.length);
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i] as number);
  let z = 0;
  for (let i = 0; i < row.length; i++) {
    const e = Math.exp(((row[i] as number) - max) / temperature);
    p[i] = e;
    z += e;
  }
  for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) / z;
  return p;
}

/**
 * The nucleus: tokens sorted by probability (descending, ties by index) until the cumulative
 * probability reaches topP (at least one token), renormalised. Returns [token, probability] pairs.
 */
export function nucleus(probs: ArrayLike<number>, topP: number): [number, number][] {
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${topP}`);
  const order = Array.from({ length: probs.length }, (_, i) => i);
  if (topP < 1) order.sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  const kept: [number, number][] = [];
  let cum = 0;
  for (const i of order) {
    const p = probs[i] as number;
    if (topP < 1 && cum >= topP && kept.length > 0) break;
    kept.push([i, p]);
    cum += p;
  }
  return kept.map(([i, p]) => [i, p / cum]);
}

/**
 * The draw over every token (topP = 1) without building the nucleus: the same sums in the same
 * order as nucleus(probs, 1), so the same token for the same u.
 */
function sampleAll(probs: Float64Array, u: number): number {
  let cum = 0;
  for (let i = 0; i < probs.length; i++) cum += probs[i] as number;
  for (let i = 0; i < probs.length; i++) {
    u -= (probs[i] as number) / cum;
    if (u < 0) return i;
  }
  return probs.length - 1; // rounding left u ≥ 0: the last token
}

/** Draws the next token of one logits row; rng() must be uniform in [0, 1). */
export function sampleToken(row: ArrayLike<number>, opts: SamplingOptions, rng: () => number): number {
  if (opts.greedy || !(opts.temperature > 0)) return argmax(row);
  if (opts.topP === 1) return sampleAll(temperatureProbs(row, opts.temperature), rng());
  const kept = nucleus(temperatureProbs(row, opts.temperature), opts.topP);
  let u = rng();
  for (const [token, p] of kept) {
    u -= p;
    if (u < 0) return token;
  }
  return kept[kept.length - 1]![0]; // rounding left u ≥ 0: the last kept token
}
