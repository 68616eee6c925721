/**
 * Outcome-only baselines: GRPO's group-relative advantages and RFT's sample selection.
 * GRPO (DeepSeekMath, as in TRL's GRPOTrainer): A_i = (R_i − mean_g) / (std_g + eps) within
 * each task's group of rollouts, the same A_i on every action token of trajectory i.
 */

/**
 * `sample`: unbiased std (÷(n−1)), what torch's `.std()` in TRL's GRPOTrainer computes (default);
 * `population`: ÷n; `none`: no scaling (Dr. GRPO), A = R − mean.
 */
export type GroupStd = 'sample' | 'population' | 'none';

export interface GroupAdvantageOptions {
  std?: GroupStd;
  /** Added to the std; TRL's GRPOTrainer uses 1e-4. */
  eps?: number;
}

/**
 * Per-trajectory advantages. A group of one rollout gets 0 (there is nothing to compare it with;
 * torch would give NaN for the sample std). A group with equal rewards gets 0 as well.
 */
export function groupAdvantages(
  rollouts: readonly { readonly taskId: string; readonly finalReward: number }[],
  options: GroupAdvantageOptions = {},
): number[] {
  const std = options.std ?? 'sample';
  const eps = options.eps ?? 1e-4;
  const groups = new Map<string, number[]>();
  for (const r of rollouts) {
    const g = groups.get(r.taskId) ?? [];
    g.push(r.finalReward);
    groups.set(r.taskId, g);
  }
  const stats = new Map<string, { mean: number; scale: number }>();
  for (const [taskId, rs] of groups) {
    const n = rs.length;
    const mean = rs.reduce((a, b) => a + b, 0) / n;
    const ss = rs.reduce((a, b) => a + (b - mean) ** 2, 0);
    const sd = std === 'sample' ? (n > 1 ? Math.sqrt(ss / (n - 1)) : 0) : std === 'population' ? Math.sqrt(ss / n) : 0;
    stats.set(taskId, { mean, scale: std === 'none' ? 1 : 1 / (sd + eps) });
  }
  return rollouts.map((r) => {
    const s = stats.get(r.taskId) as { mean: number; scale: number };
    return (r.finalReward - s.mean) * s.scale;
  });
}

/** Each trajectory's advantage on its action positions, 0 elsewhere: [B] × mask [B][L] → [B][L]. */
export function broadcastToTokens(advantages: readonly number[], mask: readonly (readonly number[])[]): number[][] {
  if (advantages.length !== mask.length) throw new Error(`broadcastToTokens: ${advantages.length} advantages for ${mask.length} rows`);
  return mask.map((row, i) => row.map((m) => (m !== 0 ? (advantages[i] as number) : 0)));
}

/** RFT (rejection-sampling fine-tuning): keep only the successful trajectories, in order. */
export function selectForRft<T extends { readonly success: boolean }>(trajectories: readonly T[]): T[] {
  return trajectories.filter((t) => t.success);
}
