/**
 * Generalised advantage estimation, plain numbers.
 * - `tokenGae`: TRL 0.10.1 `compute_advantages` over the whole token sequence (code parity):
 *   V ← V·mask, r ← r·mask, δ_p = r_p + γV_{p+1} − V_p, A_p = δ_p + γλA_{p+1}, returns = A + V,
 *   then A is whitened over the masked positions of the whole batch.
 * - `stepGae`: the same recursion with one reward and one value per agent step.
 * Rows may have different lengths (padding with mask 0 changes nothing: r = V = 0 there).
 */
import { PPO_DEFAULTS } from './flags';
import type { Segment } from './token-rewards';

type Rows = readonly (readonly number[])[];

/** TRL `masked_mean`: Σ v·m / Σ m. */
export function maskedMean(values: readonly number[], mask: readonly number[]): number {
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    const m = mask[i] as number;
    num += v * m;
    den += m;
  });
  return num / den;
}

/** TRL `masked_var` with its default Bessel correction (Σm/(Σm−1)); needs Σm ≥ 2. */
export function maskedVar(values: readonly number[], mask: readonly number[]): number {
  const n = mask.reduce((a, m) => a + m, 0);
  // TRL raises at Σm = 0 and silently returns NaN at Σm = 1; refuse both.
  if (n < 2) throw new Error(`maskedVar: needs at least 2 masked values, got ${n}`);
  const mean = maskedMean(values, mask);
  const centred = values.map((v) => (v - mean) ** 2);
  return (maskedMean(centred, mask) * n) / (n - 1);
}

/**
 * TRL `masked_whiten`: (v − mean)·rsqrt(var + 1e-8) at every position (masked-out ones too),
 * mean/var over the mask; `shiftMean = false` adds the mean back.
 */
export function whiten(values: readonly number[], mask: readonly number[], shiftMean = true): number[] {
  if (values.length !== mask.length) throw new Error('whiten: values and mask lengths differ');
  const mean = maskedMean(values, mask);
  const scale = 1 / Math.sqrt(maskedVar(values, mask) + 1e-8);
  return values.map((v) => (v - mean) * scale + (shiftMean ? 0 : mean));
}

/** How an episode ended, for bootstrapping the value after its last step. */
export interface EpisodeEnd {
  terminated: boolean;
  truncated: boolean;
  /** V of the state after the last step; needed when truncated and not terminated. */
  lastValue?: number;
}

/** Value after the last step: 0 when terminated, V(last state) when cut by the step limit. */
export function bootstrapValue(end: EpisodeEnd): number {
  if (end.terminated) return 0;
  if (!end.truncated) throw new Error('bootstrapValue: the episode neither terminated nor was truncated');
  if (end.lastValue === undefined) throw new Error('bootstrapValue: a truncated episode needs lastValue');
  return end.lastValue;
}

export interface GaeOptions {
  gamma?: number;
  lam?: number;
  /** Whiten advantages over all masked entries of the batch (TRL: always). */
  whiten?: boolean;
  /**
   * One per row, for online rollouts. Omitted (offline mode, TRL): the value after the last
   * action is 0 for every row, whatever the episode's ending.
   */
  ends?: readonly EpisodeEnd[];
}

export interface GaeResult {
  /** Whitened (unless `whiten: false`) advantages, same shape as the input. */
  advantages: number[][];
  /** A + V before whitening (the value targets). */
  returns: number[][];
  /** V·mask: the rollout values TRL keeps for value clipping. */
  values: number[][];
}

function checkShapes(name: string, a: Rows, b: Rows, c: Rows, ends?: readonly EpisodeEnd[]): void {
  if (a.length !== b.length || a.length !== c.length) throw new Error(`${name}: batch sizes differ`);
  a.forEach((row, i) => {
    if (row.length !== b[i]?.length || row.length !== c[i]?.length) throw new Error(`${name}: row ${i} lengths differ`);
  });
  if (ends && ends.length !== a.length) throw new Error(`${name}: ${ends.length} episode ends for ${a.length} rows`);
}

/** The backward recursion of one row; `next` after the last active position is `boot`. */
function gaeRow(r: readonly number[], v: readonly number[], lastActive: number, boot: number, gamma: number, lam: number): number[] {
  const adv = new Array<number>(r.length).fill(0);
  let lastGaeLam = 0;
  for (let t = r.length - 1; t >= 0; t--) {
    const nextValue = t === lastActive ? boot : t < r.length - 1 ? (v[t + 1] as number) : 0;
    const delta = (r[t] as number) + gamma * nextValue - (v[t] as number);
    lastGaeLam = delta + gamma * lam * lastGaeLam;
    adv[t] = lastGaeLam;
  }
  return adv;
}

function whitenRows(rows: number[][], mask: Rows): number[][] {
  const flat = whiten(rows.flat(), mask.flatMap((m) => [...m]));
  let k = 0;
  return rows.map((row) => row.map(() => flat[k++] as number));
}

/** TRL 0.10.1 `compute_advantages` over token positions; rows are [B][L]. */
export function tokenGae(rewards: Rows, values: Rows, mask: Rows, options: GaeOptions = {}): GaeResult {
  checkShapes('tokenGae', rewards, values, mask, options.ends);
  const gamma = options.gamma ?? PPO_DEFAULTS.gamma;
  const lam = options.lam ?? PPO_DEFAULTS.lam;
  const v = values.map((row, i) => row.map((x, p) => x * (mask[i]?.[p] as number))); // V ← V·mask
  const r = rewards.map((row, i) => row.map((x, p) => x * (mask[i]?.[p] as number))); // r ← r·mask
  const adv = r.map((row, i) => {
    const m = mask[i] as readonly number[];
    // The bootstrap value follows the last action token, not trailing padding; offline it is 0,
    // which is what TRL gets there too (the next position is masked or past the end).
    let lastActive = -1;
    for (let p = m.length - 1; p >= 0; p--) if (m[p] !== 0) { lastActive = p; break; }
    const end = options.ends?.[i];
    return gaeRow(row, v[i] as number[], lastActive, end ? bootstrapValue(end) : 0, gamma, lam);
  });
  const returns = adv.map((row, i) => row.map((a, p) => a + (v[i]?.[p] as number)));
  const advantages = options.whiten === false ? adv : whitenRows(adv, mask);
  return { advantages, returns, values: v };
}

/** GAE over agent steps: rewards and values are [B][T_b], one entry per step. */
export function stepGae(stepRewards: Rows, stepValues: Rows, options: GaeOptions = {}): Omit<GaeResult, 'values'> {
  const ones = stepRewards.map((row) => row.map(() => 1));
  checkShapes('stepGae', stepRewards, stepValues, ones, options.ends);
  const gamma = options.gamma ?? PPO_DEFAULTS.gamma;
  const lam = options.lam ?? PPO_DEFAULTS.lam;
  const adv = stepRewards.map((row, i) => {
    const end = options.ends?.[i];
    return gaeRow(row, stepValues[i] as number[], row.length - 1, end ? bootstrapValue(end) : 0, gamma, lam);
  });
  const returns = adv.map((row, i) => row.map((a, t) => a + (stepValues[i]?.[t] as number)));
  const advantages = options.whiten === false ? adv : whitenRows(adv, ones);
  return { advantages, returns };
}

/** Spreads one number per step over that step's positions (0 elsewhere), e.g. step advantages onto tokens. */
export function spreadOverSegments(perStep: readonly number[], segments: readonly Segment[], length: number): number[] {
  if (perStep.length !== segments.length) throw new Error(`spreadOverSegments: ${perStep.length} values for ${segments.length} segments`);
  const out = new Array<number>(length).fill(0);
  segments.forEach((s, j) => {
    for (let p = s.start; p <= s.end; p++) out[p] = perStep[j] as number;
  });
  return out;
}
