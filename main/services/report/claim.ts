/**
 * The claim, checked for one environment and baseline: SPA's success rate over both splits against
 * the baseline's, on the seeds both have run (a partial grid has more SFT seeds than SPA seeds, and
 * a mean over other seeds is another experiment), and whether the difference exceeds the seed
 * spread. With one common seed there is no spread, so no verdict is drawn. Where the reward is
 * graded (WebShop, whose code reports the average score rather than the share of perfect
 * purchases), the average reward gets the same check.
 */
import { pairedComparison, pairedLine } from './paired';
import type { RunResult } from './run-results';
import { stat } from './stats';

interface Metric {
  key: string;
  label: string;
  /** How a value and a difference print. */
  value: (x: number) => string;
  diff: (x: number) => string;
  /** The seed spread, in the difference's unit, which the difference has already named. */
  spread: (x: number) => string;
}

const SUCCESS: Metric = {
  key: 'eval/success_rate',
  label: '',
  value: (x) => `${(100 * x).toFixed(1)}%`,
  diff: (x) => `${(100 * x).toFixed(1)} points`,
  spread: (x) => (100 * x).toFixed(1),
};

const REWARD: Metric = {
  key: 'eval/avg_reward',
  label: ', average reward',
  value: (x) => x.toFixed(3),
  diff: (x) => x.toFixed(3),
  spread: (x) => x.toFixed(3),
};

const signed = (s: string) => (s.startsWith('-') ? `−${s.slice(1)}` : `+${s}`);

/** SPA's runs and the baseline's on the seeds both have run, in seed order. */
function commonSeeds(spaRuns: readonly RunResult[], baseRuns: readonly RunResult[]) {
  const seeds = [...new Set(spaRuns.map((r) => r.entry.seed))].filter((s) => baseRuns.some((b) => b.entry.seed === s)).sort((x, y) => x - y);
  const on = (runs: readonly RunResult[]) => runs.filter((r) => seeds.includes(r.entry.seed));
  return { seeds, spa: on(spaRuns), other: on(baseRuns) };
}

function verdictLine(env: string, base: string, spa: readonly RunResult[], other: readonly RunResult[], seeds: readonly number[], m: Metric): string | null {
  const a = stat(spa, m.key);
  const b = stat(other, m.key);
  if (!a.n || !b.n) return null;
  const diff = a.mean - b.mean;
  const spread = Math.max(a.std, b.std);
  const head = `- ${env}${m.label}: SPA ${m.value(a.mean)} vs ${base} ${m.value(b.mean)} (both splits${seeds.length < 2 ? `, seed ${seeds.join(', ')} only` : `, seeds ${seeds.join(', ')}`}): `;
  const verdict =
    seeds.length < 2
      ? `${signed(m.diff(diff))}; one seed has no spread to judge a difference by, so no verdict yet`
      : diff > spread
        ? `**SPA higher by ${m.diff(diff)}, more than the seed spread (${m.spread(spread)})**`
        : diff > 0
          ? `SPA higher by ${m.diff(diff)}, within the seed spread (${m.spread(spread)}): not a clear win`
          : `**SPA not higher** (${m.diff(diff)}; spread ${m.spread(spread)})`;
  return `${head}${verdict}.`;
}

export function claimLines(env: string, base: string, spaRuns: readonly RunResult[], baseRuns: readonly RunResult[]): string[] {
  const { seeds, spa, other } = commonSeeds(spaRuns, baseRuns);
  const head = verdictLine(env, base, spa, other, seeds, SUCCESS);
  if (!head) return [];
  const paired = pairedComparison(spa, other);
  return [head, ...(paired ? [pairedLine(paired, base)] : []), ...rewardClaimLines(env, base, spaRuns, baseRuns)];
}

const graded = (runs: readonly RunResult[]) =>
  runs.some((r) => {
    const reward = r.entry.summary['eval/avg_reward'];
    const success = r.entry.summary['eval/success_rate'];
    return typeof reward === 'number' && typeof success === 'number' && Math.abs(reward - success) > 1e-9;
  });

/**
 * The same check on the average final reward, where it says more than the success rate: only when
 * some run's reward differs from its success (a 0/1 reward would repeat the line above). Per seed,
 * SPA minus the baseline, since within a seed both start from one SFT model.
 */
export function rewardClaimLines(env: string, base: string, spaRuns: readonly RunResult[], baseRuns: readonly RunResult[]): string[] {
  const { seeds, spa, other } = commonSeeds(spaRuns, baseRuns);
  if (!graded([...spa, ...other])) return [];
  const head = verdictLine(env, base, spa, other, seeds, REWARD);
  if (!head) return [];
  const perSeed = seeds.map((s) => stat(spa.filter((r) => r.entry.seed === s), REWARD.key).mean - stat(other.filter((r) => r.entry.seed === s), REWARD.key).mean);
  return [head, `  SPA − ${base} per seed: ${perSeed.map((d) => signed(d.toFixed(3))).join(', ')}.`];
}
