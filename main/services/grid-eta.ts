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

/** Estimated compute seconds the configs still need, with shared stages counted once. */
export function pendingSeconds(configs: readonly RunConfig[], cacheHas: (stage: string, key: string) => boolean): number {
  const counted = new Set<string>();
  let total = 0;
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
      total += price[p.stage] ?? 0;
    }
  }
  return total;
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
 * The stages a finished run computed start to finish, priced and measured. Stages reused from
 * the cache cost it nothing, and a stage resumed from a partial output was timed for its last
 * attempt only: neither says how fast this machine is.
 */
export function measuredWork(config: RunConfig, stages: readonly CompletedStage[]): MeasuredWork {
  const price = estimateStageSeconds(config, PRICE_BACKEND) ?? {};
  const work: MeasuredWork = { priced: 0, seconds: 0 };
  for (const s of stages) {
    const priced = price[s.stage as StageName];
    if (s.reused || s.resumed || !priced) continue;
    work.priced += priced;
    work.seconds += s.seconds;
  }
  return work;
}

/**
 * The work left at the speed measured so far: the price of what is left times measured over
 * priced seconds of the finished runs' own stages, over the runs at a time (their stage seconds
 * were measured sharing the machine). Runs this invocation trained set the speed; until one has
 * finished, runs found finished do (possibly measured on another machine, still closer than the
 * raw price); before either, the raw price.
 *
 * Calibrating on stage seconds rather than on the wall clock keeps the estimate steady when a
 * cheap run finishes beside a long one, and it does not count the idle time of a paused grid.
 */
export class GridEta {
  private left: number;
  private readonly own: MeasuredWork = { priced: 0, seconds: 0 };
  private readonly found: MeasuredWork = { priced: 0, seconds: 0 };

  constructor(
    private readonly price: () => number,
    private readonly parallel: number,
  ) {
    this.left = price();
  }

  /** A run settled; `work` is what it measured, `computed` when this invocation trained it. */
  settled(work: MeasuredWork | null, computed: boolean): void {
    this.left = this.price();
    if (!work) return;
    const into = computed ? this.own : this.found;
    into.priced += work.priced;
    into.seconds += work.seconds;
  }

  /** Seconds left over measured over priced seconds: 1 before anything was measured. */
  speed(): number {
    const basis = this.own.priced > 0 ? this.own : this.found;
    return basis.priced > 0 ? basis.seconds / basis.priced : 1;
  }

  seconds(): number {
    return (this.left * this.speed()) / Math.max(1, this.parallel);
  }
}
