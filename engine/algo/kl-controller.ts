/**
 * KL coefficient controllers, as TRL 0.10.1 (`trl/trainer/utils.py`, after Ziegler et al. 2019).
 * The trainer calls `update(observedKl(...), nSequences)` once per PPO step, after the losses.
 */
import { PPO_DEFAULTS } from './flags';

export interface KlController {
  /** The current β. */
  readonly value: number;
  update(currentKl: number, nSteps: number): void;
}

/** β ← β·(1 + clip(KL/target − 1, −0.2, 0.2)·n/horizon). */
export class AdaptiveKLController implements KlController {
  value: number;

  constructor(
    initKlCoef: number = PPO_DEFAULTS.initKlCoef,
    readonly target: number = PPO_DEFAULTS.klTarget,
    readonly horizon: number = PPO_DEFAULTS.klHorizon,
  ) {
    this.value = initKlCoef;
  }

  update(currentKl: number, nSteps: number): void {
    const proportionalError = Math.min(0.2, Math.max(-0.2, currentKl / this.target - 1));
    this.value *= 1 + (proportionalError * nSteps) / this.horizon;
  }
}

export class FixedKLController implements KlController {
  constructor(readonly value: number = PPO_DEFAULTS.initKlCoef) {}

  update(): void {}
}

/**
 * TRL's `objective/kl`: the batch mean of Σ_p kl[p]·mask[p] per sequence. n passed to `update`
 * is the number of sequences in the PPO step (TRL: batch_size × processes).
 */
export function observedKl(kl: readonly (readonly number[])[], mask: readonly (readonly number[])[]): number {
  if (kl.length !== mask.length || kl.length === 0) throw new Error('observedKl: need matching, non-empty batches');
  const perSeq = kl.map((row, i) => row.reduce((a, k, p) => a + k * (mask[i]?.[p] as number), 0));
  return perSeq.reduce((a, b) => a + b, 0) / perSeq.length;
}
