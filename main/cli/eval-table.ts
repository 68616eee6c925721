/**
 * The evaluation table `spa run` ends with and `spa eval` prints: overall figures by split,
 * success per task type, and (for methods with an estimator) its attribution quality on the
 * held-out evaluation trajectories. Reads the eval/* keys the eval stage writes.
 */
import { pct } from './output';

type Summary = Readonly<Record<string, unknown>>;

const COLUMNS = [
  ['seen', '_seen'],
  ['unseen', '_unseen'],
  ['all', ''],
] as const;

const num = (s: Summary, key: string): number | null => (typeof s[key] === 'number' ? (s[key] as number) : null);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => '  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   '));
}

export function formatEvalTable(s: Summary): string | null {
  if (num(s, 'eval/success_rate') === null && num(s, 'eval/success_rate_seen') === null) return null;
  const metric = (label: string, base: string, fmt: (x: number) => string) => [label, ...COLUMNS.map(([, suffix]) => {
    const v = num(s, `eval/${base}${suffix}`);
    return v === null ? '–' : fmt(v);
  })];
  const lines = table([
    ['', ...COLUMNS.map(([name]) => name)],
    metric('success', 'success_rate', pct),
    metric('grounding', 'grounding_accuracy', pct),
    metric('avg reward', 'avg_reward', (x) => x.toFixed(3)),
    metric('mean steps', 'mean_steps', (x) => x.toFixed(1)),
  ]);
  const types = [...new Set(Object.keys(s).map((k) => /^eval\/success_rate(?:_seen|_unseen)?\/(.+)$/.exec(k)?.[1]).filter((t): t is string => !!t))].sort();
  if (types.length) {
    lines.push('  success by task type:');
    lines.push(...table([['', ...COLUMNS.map(([name]) => name)], ...types.map((t) => [t, ...COLUMNS.map(([, suffix]) => {
      const v = num(s, `eval/success_rate${suffix}/${t}`);
      return v === null ? '–' : pct(v);
    })])]).map((l) => `  ${l}`));
  }
  const mse = num(s, 'eval/progress_mse');
  const corr = num(s, 'eval/progress_oracle_corr');
  if (mse !== null || corr !== null) {
    lines.push(`  progress estimator on the evaluation trajectories: MSE(Σc, R) ${mse?.toFixed(4) ?? '–'} · correlation with oracle progress ${corr?.toFixed(3) ?? '–'}`);
  }
  return lines.join('\n');
}
