/**
 * The evaluation table `spa run` ends with and `spa eval` prints: overall figures by split,
 * success per task type, and (for methods with an estimator) its attribution quality on the
 * held-out evaluation trajectories. Reads the eval/* keys the eval stage writes.
 */
import { pct, table } from './output';

type Summary = Readonly<Record<string, unknown>>;

const COLUMNS = [
  ['seen', '_seen'],
  ['unseen', '_unseen'],
  ['all', ''],
] as const;

const num = (s: Summary, key: string): number | null => (typeof s[key] === 'number' ? (s[key] as number) : null);

const indent = (text: string, by: string) => text.split('\n').map((l) => by + l).join('\n');

export function formatEvalTable(s: Summary): string | null {
  if (num(s, 'eval/success_rate') === null && num(s, 'eval/success_rate_seen') === null) return null;
  const headers = ['', ...COLUMNS.map(([name]) => name)];
  /** A row: `key(suffix)` per split column, formatted, '–' where missing. */
  const row = (label: string, key: (suffix: string) => string, fmt: (x: number) => string) => [
    label,
    ...COLUMNS.map(([, suffix]) => {
      const v = num(s, key(suffix));
      return v === null ? '–' : fmt(v);
    }),
  ];
  const lines = [
    indent(
      table(headers, [
        row('success', (x) => `eval/success_rate${x}`, pct),
        row('grounding', (x) => `eval/grounding_accuracy${x}`, pct),
        row('avg reward', (x) => `eval/avg_reward${x}`, (x) => x.toFixed(3)),
        row('mean steps', (x) => `eval/mean_steps${x}`, (x) => x.toFixed(1)),
      ]),
      '  ',
    ),
  ];
  const types = [...new Set(Object.keys(s).map((k) => /^eval\/success_rate(?:_seen|_unseen)?\/(.+)$/.exec(k)?.[1]).filter((t): t is string => !!t))].sort();
  if (types.length) {
    lines.push('  success by task type:');
    lines.push(indent(table(headers, types.map((t) => row(t, (x) => `eval/success_rate${x}/${t}`, pct))), '    '));
  }
  const mse = num(s, 'eval/progress_mse');
  const corr = num(s, 'eval/progress_oracle_corr');
  if (mse !== null || corr !== null) {
    lines.push(`  progress estimator on the evaluation trajectories: MSE(Σc, R) ${mse?.toFixed(4) ?? '–'} · correlation with oracle progress ${corr?.toFixed(3) ?? '–'}`);
  }
  return lines.join('\n');
}
