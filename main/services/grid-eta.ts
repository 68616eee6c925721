/**
 * The time left in a reproduction grid. Runs differ by an order of magnitude (a VirtualHome SFT
 * run against an ALFWorld SPA run), so "elapsed per finished run × runs left" misleads: the left
 * work is priced stage by stage (engine/pipeline/run-estimate.ts), each shared stage (data, SFT,
 * exploration, estimator) once and not at all when the stage cache holds it, and the price is
 * calibrated by how fast this invocation has burnt through it so far.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../common/run-config';
import { estimateStageSeconds } from '../../engine/pipeline/run-estimate';
import { planStages } from '../jobs/plan';
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

/**
 * Tracks the priced work left and how much of it this invocation's own runs burnt, so the ETA
 * is the work left at the speed seen so far (before any run finished: the raw price over the
 * number of runs at a time).
 */
export class GridEta {
  private left: number;
  private burnt = 0;
  private readonly started: number;

  constructor(
    private readonly price: () => number,
    private readonly parallel: number,
    /** Milliseconds (tests pass their own clock). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.left = price();
    this.started = clock();
  }

  /** A run settled: `computed` when this invocation trained it (its work counts as burnt), not when it was found finished. */
  settled(computed: boolean): void {
    const now = this.price();
    if (computed) this.burnt += Math.max(0, this.left - now);
    this.left = now;
  }

  seconds(): number {
    if (this.burnt <= 0) return this.left / Math.max(1, this.parallel);
    const elapsed = (this.clock() - this.started) / 1000;
    return (this.left * elapsed) / this.burnt;
  }
}
