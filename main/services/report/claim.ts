/**
 * The claim, checked for one environment and baseline: SPA's success rate over both splits against
 * the baseline's, on the seeds both have run (a partial grid has more SFT seeds than SPA seeds, and
 * a mean over other seeds is another experiment), and whether the difference exceeds the seed
 * spread. With one common seed there is no spread, so no verdict is drawn.
 */
import { pairedComparison, pairedLine } from './paired';
import type { RunResult } from './run-results';
import { stat } from './stats';

export function claimLines(env: string, base: string, spaRuns: readonly RunResult[], baseRuns: readonly RunResult[]): string[] {
  const seeds = new Set(spaRuns.map((r) => r.entry.seed).filter((s) => baseRuns.some((b) => b.entry.seed === s)));
  const spa = spaRuns.filter((r) => seeds.has(r.entry.seed));
  const other = baseRuns.filter((r) => seeds.has(r.entry.seed));
  const a = stat(spa, 'eval/success_rate');
  const b = stat(other, 'eval/success_rate');
  if (!a.n || !b.n) return [];
  const diff = a.mean - b.mean;
  const spread = Math.max(a.std, b.std);
  const pts = (x: number) => (100 * x).toFixed(1);
  const head = `- ${env}: SPA ${pts(a.mean)}% vs ${base} ${pts(b.mean)}% (both splits${seeds.size < 2 ? `, seed ${[...seeds].join(', ')} only` : `, seeds ${[...seeds].sort((x, y) => x - y).join(', ')}`}): `;
  const verdict =
    seeds.size < 2
      ? `${diff >= 0 ? '+' : '−'}${pts(Math.abs(diff))} points; one seed has no spread to judge a difference by, so no verdict yet`
      : diff > spread
        ? `**SPA higher by ${pts(diff)} points, more than the seed spread (${pts(spread)})**`
        : diff > 0
          ? `SPA higher by ${pts(diff)} points, within the seed spread (${pts(spread)}): not a clear win`
          : `**SPA not higher** (${pts(diff)} points; spread ${pts(spread)})`;
  const paired = pairedComparison(spa, other);
  return [`${head}${verdict}.`, ...(paired ? [pairedLine(paired, base)] : [])];
}
