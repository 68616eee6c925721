/**
 * A run's metric records kept column-wise, appended as the run tails in. Charts ask for one
 * key's series on one x-axis; that costs O(points of that key), never a scan of every record,
 * so runs with a million updates stay responsive.
 */
import { emaSmooth } from './smoothing';
import { lttbIndices } from './decimate';

export type XAxis = 'step' | 'stage_step' | 'global_step' | 't';

export const X_AXES: { value: XAxis; label: string }[] = [
  { value: 'step', label: 'update' },
  // Lines up runs whose stages start at different updates: PPO's RL after SFT, SPA's after SFT and the estimator.
  { value: 'stage_step', label: 'update within its stage' },
  { value: 'global_step', label: 'environment steps' },
  { value: 't', label: 'wall time (min)' },
];

/** Keys that are coordinates or bookkeeping, not metrics. */
const NOT_METRICS = new Set(['step', 't', 'crc', 'stage']);

export interface Point {
  x: number;
  y: number;
  /** The update (metrics `step`) this point belongs to: what a click opens in Replay. */
  step: number;
}

interface Column {
  rows: number[];
  values: number[];
}

export class MetricTable {
  readonly steps: number[] = [];
  /** Wall time in minutes since the run's first record. */
  readonly minutes: number[] = [];
  /** Environment steps so far, carried forward over records that do not report it (SFT, eval). */
  readonly envSteps: number[] = [];
  /** The update counted from its stage's first (1, 2, …; records without a stage count as one stage). */
  readonly stageSteps: number[] = [];
  readonly columns = new Map<string, Column>();
  private t0: number | null = null;
  private lastEnvSteps = 0;
  private readonly stageStart = new Map<string, number>();
  /** Bumped on every append: a cheap "did anything change" for reactive consumers. */
  version = 0;

  get length(): number {
    return this.steps.length;
  }

  append(records: readonly Record<string, unknown>[]): void {
    for (const rec of records) {
      const step = typeof rec.step === 'number' ? rec.step : this.steps.length;
      const t = typeof rec.t === 'number' ? rec.t : Date.now();
      if (this.t0 === null) this.t0 = t;
      const gs = rec.global_step;
      if (typeof gs === 'number' && Number.isFinite(gs)) this.lastEnvSteps = gs;
      const stage = typeof rec.stage === 'string' ? rec.stage : '';
      if (!this.stageStart.has(stage)) this.stageStart.set(stage, step);
      const row = this.steps.length;
      this.steps.push(step);
      this.stageSteps.push(step - (this.stageStart.get(stage) as number) + 1);
      this.minutes.push((t - this.t0) / 60_000);
      this.envSteps.push(this.lastEnvSteps);
      for (const key in rec) {
        if (NOT_METRICS.has(key)) continue;
        const v = rec[key];
        // null is how the writer records NaN/Infinity: keep it as a gap, not a zero.
        if (typeof v !== 'number' && v !== null) continue;
        let col = this.columns.get(key);
        if (!col) {
          col = { rows: [], values: [] };
          this.columns.set(key, col);
        }
        col.rows.push(row);
        col.values.push(typeof v === 'number' ? v : NaN);
      }
    }
    this.version++;
  }

  keys(): string[] {
    return [...this.columns.keys()];
  }

  xColumn(axis: XAxis): number[] {
    return axis === 'step' ? this.steps : axis === 'stage_step' ? this.stageSteps : axis === 't' ? this.minutes : this.envSteps;
  }

  /**
   * What does not depend on smoothing, per key, axis and decimation: the x and step columns and
   * the decimated raw line. Moving the smoothing slider over a million points then only redoes
   * the moving average and its decimation (the bench: `spa bench studio`).
   */
  private readonly rawCache = new Map<string, { version: number; xs: Float64Array; stepsOf: Float64Array; raw: Point[]; last: number | null }>();

  private rawSeries(key: string, col: { rows: number[]; values: number[] }, axis: XAxis, maxPoints: number) {
    const id = `${key}\u0000${axis}\u0000${maxPoints}`;
    const hit = this.rawCache.get(id);
    if (hit && hit.version === this.version) return hit;
    const xcol = this.xColumn(axis);
    const n = col.rows.length;
    const xs = new Float64Array(n);
    const stepsOf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = col.rows[i]!;
      xs[i] = xcol[row]!;
      stepsOf[i] = this.steps[row]!;
    }
    const ys = col.values;
    const raw = lttbIndices(xs, ys, maxPoints).map((i) => ({ x: xs[i]!, y: ys[i]!, step: stepsOf[i]! }));
    let last: number | null = null;
    for (let i = n - 1; i >= 0; i--) {
      if (Number.isFinite(ys[i]!)) {
        last = ys[i]!;
        break;
      }
    }
    const entry = { version: this.version, xs, stepsOf, raw, last };
    this.rawCache.set(id, entry);
    return entry;
  }

  /** Raw and smoothed series of one key, decimated to about `maxPoints`. */
  series(key: string, axis: XAxis, smoothing: number, maxPoints = 4000): { raw: Point[]; smooth: Point[] | null; last: number | null; total: number } {
    const col = this.columns.get(key);
    if (!col || col.rows.length === 0) return { raw: [], smooth: null, last: null, total: 0 };
    const { xs, stepsOf, raw, last } = this.rawSeries(key, col, axis, maxPoints);
    // The raw line keeps its spikes (LTTB, cached); the smoothed line is already low-pass, so
    // evenly spaced points draw it faithfully at a fraction of LTTB's cost per slider move.
    let smooth: Point[] | null = null;
    if (smoothing > 0) {
      const smoothed = emaSmooth(col.values, smoothing);
      const n = smoothed.length;
      const stride = Math.max(1, Math.ceil((n - 1) / Math.max(1, maxPoints - 1))); // the last point too, within maxPoints
      smooth = [];
      for (let i = 0; i < n; i += stride) smooth.push({ x: xs[i]!, y: smoothed[i]!, step: stepsOf[i]! });
      if ((n - 1) % stride !== 0) smooth.push({ x: xs[n - 1]!, y: smoothed[n - 1]!, step: stepsOf[n - 1]! });
    }
    return { raw, smooth, last, total: col.rows.length };
  }
}

export interface Section {
  id: string;
  title: string;
  keys: string[];
}

const SECTION_RULES: { id: string; title: string; match: (k: string) => boolean }[] = [
  { id: 'reward', title: 'Reward & success', match: (k) => ['charts/episodic_return', 'charts/success_rate', 'charts/grounding_accuracy'].includes(k) },
  { id: 'eval', title: 'Evaluation', match: (k) => k.startsWith('eval/') },
  { id: 'progress', title: 'Progress estimator', match: (k) => k.startsWith('progress/') },
  { id: 'kl', title: 'KL', match: (k) => ['charts/kl_coef', 'charts/mean_kl', 'losses/approx_kl'].includes(k) },
  { id: 'losses', title: 'Losses', match: (k) => k.startsWith('losses/') || k === 'sft/loss' || k.endsWith('/loss') },
  { id: 'explore', title: 'Exploration', match: (k) => k.startsWith('explore/') },
  { id: 'data', title: 'Data', match: (k) => k.startsWith('data/') },
];

/** Preferred order inside sections: the headline numbers first. */
const KEY_ORDER = [
  'charts/episodic_return',
  'charts/success_rate',
  'charts/grounding_accuracy',
  'eval/success_rate',
  'eval/avg_reward',
  'eval/grounding_accuracy',
  'eval/mean_steps',
  'progress/mse',
  'progress/oracle_corr',
  'sft/loss',
  'losses/policy_loss',
  'losses/value_loss',
];

function keyRank(k: string): number {
  const i = KEY_ORDER.indexOf(k);
  return i < 0 ? KEY_ORDER.length : i;
}

/** Groups metric keys into the chart sections; anything unrecognised goes under "More". */
export function sectionKeys(keys: Iterable<string>): Section[] {
  const sections: Section[] = SECTION_RULES.map((r) => ({ id: r.id, title: r.title, keys: [] }));
  const more: Section = { id: 'more', title: 'More', keys: [] };
  for (const k of keys) {
    const i = SECTION_RULES.findIndex((r) => r.match(k));
    (i < 0 ? more : sections[i]!).keys.push(k);
  }
  for (const s of [...sections, more]) s.keys.sort((a, b) => keyRank(a) - keyRank(b) || a.localeCompare(b));
  return [...sections, more].filter((s) => s.keys.length > 0);
}

const TITLES: Record<string, string> = {
  'charts/episodic_return': 'Reward (episodic return)',
  'charts/success_rate': 'Success rate',
  'charts/grounding_accuracy': 'Grounding accuracy',
  'charts/SPS': 'Steps per second',
  'charts/kl_coef': 'KL coefficient',
  'charts/mean_kl': 'Mean KL',
  'losses/policy_loss': 'Policy loss',
  'losses/value_loss': 'Value loss',
  'losses/approx_kl': 'Approx. KL',
  'losses/clipfrac': 'Clip fraction',
  'losses/explained_variance': 'Explained variance',
  'sft/loss': 'SFT loss',
  'progress/mse': 'Progress estimator MSE',
  'progress/oracle_corr': 'Correlation with oracle progress',
  'eval/success_rate': 'Eval success rate',
  'eval/grounding_accuracy': 'Eval grounding accuracy',
  'eval/avg_reward': 'Eval average reward',
  'eval/mean_steps': 'Eval mean steps',
  global_step: 'Environment steps',
};

export function metricTitle(key: string): string {
  if (TITLES[key]) return TITLES[key];
  const m = /^(.*)_(seen|unseen)$/.exec(key);
  if (m && TITLES[m[1]!]) return `${TITLES[m[1]!]} (${m[2]})`;
  return key;
}
