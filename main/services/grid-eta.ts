/**
 * The time left in a reproduction grid. Runs differ by an order of magnitude (a VirtualHome SFT
 * run against an ALFWorld SPA run), so "elapsed per finished run × runs left" misleads: the left
 * work is priced stage by stage (engine/pipeline/run-estimate.ts), each shared stage (data, SFT,
 * exploration, estimator) once and not at all when the stage cache holds it, and the price is
 * calibrated by the finished runs' measured stage seconds.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../common/run-config';
import type { StageName } from '../../common/worker-protocol';
import { estimateStageSeconds } from '../../engine/pipeline/run-estimate';
import { planStages } from '../jobs/plan';
import type { CompletedStage } from '../jobs/run-executor';
import { STAGE_DONE, stageDir, stageKey } from '../runs/stage-cache';

/** Prices with the wasm throughput; the calibration below absorbs the backend's real speed. */
const PRICE_BACKEND = 'wasm';

/**
 * What a stage of an environment costs: the price model is off by a different factor for each
 * (measured on the standard grid, seconds over price: VirtualHome evaluation 0.2–1.0, WebShop RL
 * 1.1–2.8), so each is calibrated on its own measurements.
 */
export const workKind = (env: RunConfig['env'], stage: string): string => `${env}/${stage}`;

/** Estimated compute seconds the configs still need, by work kind, with shared stages counted once. */
export function pendingWork(configs: readonly RunConfig[], cacheHas: (stage: string, key: string) => boolean): Map<string, number> {
  const counted = new Set<string>();
  const left = new Map<string, number>();
  for (const c of configs) {
    const price = estimateStageSeconds(c, PRICE_BACKEND) ?? {};
    const keys: Record<string, string> = {};
    for (const p of planStages(c)) {
      if (p.cached) {
        const key = stageKey(p.stage, p.slice, Object.fromEntries(Object.entries(p.inputs).map(([name, stage]) => [name, keys[stage] as string])));
        keys[p.stage] = key;
        if (counted.has(key) || cacheHas(p.stage, key)) continue;
        counted.add(key);
      }
      const kind = workKind(c.env, p.stage);
      left.set(kind, (left.get(kind) ?? 0) + (price[p.stage] ?? 0));
    }
  }
  return left;
}

/** A stage the cache holds complete (its done.json written, which completeStage does last). */
export const cacheHolds =
  (cacheDir: string) =>
  (stage: string, key: string): boolean =>
    existsSync(join(stageDir(cacheDir, stage, key), STAGE_DONE));

export interface MeasuredWork {
  /** Priced seconds (wasm rate) of the stages measured. */
  priced: number;
  /** Their measured wall seconds. */
  seconds: number;
}

/**
 * The stages a finished run computed start to finish, by work kind, priced and measured. Stages
 * reused from the cache cost it nothing, and a stage resumed from a partial output was timed for
 * its last attempt only: neither says how fast this machine is.
 */
export function measuredWork(config: RunConfig, stages: readonly CompletedStage[]): Map<string, MeasuredWork> {
  const price = estimateStageSeconds(config, PRICE_BACKEND) ?? {};
  const work = new Map<string, MeasuredWork>();
  for (const s of stages) {
    const priced = price[s.stage as StageName];
    if (s.reused || s.resumed || !priced) continue;
    addWork(work, workKind(config.env, s.stage), { priced, seconds: s.seconds });
  }
  return work;
}

function addWork(into: Map<string, MeasuredWork>, kind: string, w: MeasuredWork): void {
  const had = into.get(kind) ?? { priced: 0, seconds: 0 };
  into.set(kind, { priced: had.priced + w.priced, seconds: had.seconds + w.seconds });
}

const ratio = (w: MeasuredWork | undefined): number | null => (w && w.priced > 0 ? w.seconds / w.priced : null);

function sum(work: ReadonlyMap<string, MeasuredWork>): MeasuredWork {
  const all: MeasuredWork = { priced: 0, seconds: 0 };
  for (const w of work.values()) {
    all.priced += w.priced;
    all.seconds += w.seconds;
  }
  return all;
}

/**
 * The work left at the speed measured so far: the price of each kind of work left times measured
 * over priced seconds of the finished runs' stages of that kind, over the runs at a time (their
 * stage seconds were measured sharing the machine). For each kind, runs this invocation trained
 * set the speed; until one has, runs found finished do (possibly measured on another machine,
 * still closer than the raw price); a kind not measured yet takes the speed of all measured work
 * (own first, then found); before anything was measured, the raw price.
 *
 * Calibrating on stage seconds rather than on the wall clock keeps the estimate steady when a
 * cheap run finishes beside a long one, and it does not count the idle time of a paused grid.
 * Calibrating by kind keeps it steady when the first run this invocation finishes is of another
 * kind than the work left (a VirtualHome RL run, whose price is off from its evaluation's by a factor of three).
 */
export class GridEta {
  /** The work left, priced when next asked: settling many runs at once (a resumed grid) prices it once. */
  private left: ReadonlyMap<string, number> | null = null;
  private readonly own = new Map<string, MeasuredWork>();
  private readonly found = new Map<string, MeasuredWork>();

  constructor(
    private readonly price: () => ReadonlyMap<string, number>,
    private readonly parallel: number,
  ) {}

  /** A run settled; `work` is what it measured, `computed` when this invocation trained it. */
  settled(work: ReadonlyMap<string, MeasuredWork> | null, computed: boolean): void {
    this.left = null;
    if (!work) return;
    const into = computed ? this.own : this.found;
    for (const [kind, w] of work) addWork(into, kind, w);
  }

  /** Measured over priced seconds for a kind of work: 1 before anything was measured. */
  speed(kind: string): number {
    return ratio(this.own.get(kind)) ?? ratio(this.found.get(kind)) ?? ratio(sum(this.own)) ?? ratio(sum(this.found)) ?? 1;
  }

  seconds(): number {
    let total = 0;
    this.left ??= this.price();
    for (const [kind, priced] of this.left) total += priced * this.speed(kind);
    return total / Math.max(1, this.parallel);
  }
}
