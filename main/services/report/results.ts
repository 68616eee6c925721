/**
 * docs/RESULTS.md from the runs of a reproduction grid: the table (mean ± std over seeds),
 * the estimator's attribution quality, learning curves (SVG rendered here), what it cost
 * (wall time per stage), and the context (commands, versions, backend, machine). Every number
 * is read from a run folder, and the run ids are listed so each can be traced.
 */
import { promises as fsp } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import type { CatalogEntry, MetricRecord } from '../../../common/run-schema';
import { readCompletedStages, type CompletedStage } from '../../jobs/run-executor';
import { readMetrics, readRunMeta, readTrajectories, runPaths, workspacePaths } from '../../runs/run-folder';
import { median } from '../median';
import { sessionSeconds, type GridSession } from '../reproduce-sessions';
import { FAILURE_COLUMNS, failureProfile, type FailureProfile } from './failure-modes';
import { lineChartSvg, type Series } from './svg-chart';

export interface RunResult {
  entry: CatalogEntry;
  metrics: MetricRecord[];
  stages: CompletedStage[];
  /** What the run log says of the backend ("wasm (… + native sgemm (avx512))"); null for runs that predate that line. */
  backendDetail: string | null;
  /** How its evaluation episodes ended and what their turns were; null without evaluation trajectories. */
  failures: FailureProfile | null;
}

/** The first stage's "backend: …" line of a run log (engine/worker/stage-worker.ts writes one per stage). */
export function backendDetailOf(log: string): string | null {
  return /^\S+ \[[a-z]+\] backend: (.+)$/m.exec(log)?.[1] ?? null;
}

export async function loadRunResults(dataDir: string, entries: readonly CatalogEntry[]): Promise<RunResult[]> {
  const out: RunResult[] = [];
  for (const entry of entries) {
    const { dir, log: logPath } = runPaths(workspacePaths(dataDir).runsDir, entry.id);
    await readRunMeta(dir); // a run we cannot read is an error, not a silent gap in the table
    const log = await fsp.readFile(logPath, 'utf8').catch(() => '');
    out.push({
      entry,
      metrics: (await readMetrics(dir)).records,
      stages: await readCompletedStages(dir),
      backendDetail: backendDetailOf(log),
      failures: failureProfile((await readTrajectories(dir)).records),
    });
  }
  return out;
}

export function meanStd(xs: readonly number[]): { mean: number; std: number; n: number } {
  const n = xs.length;
  if (!n) return { mean: NaN, std: NaN, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

const summaryNumber = (r: RunResult, key: string): number | null => {
  const v = r.entry.summary[key];
  return typeof v === 'number' ? v : null;
};

function stat(runs: readonly RunResult[], key: string) {
  return meanStd(runs.map((r) => summaryNumber(r, key)).filter((v): v is number => v !== null));
}

const pctPm = (s: { mean: number; std: number; n: number }) => (s.n ? `${(100 * s.mean).toFixed(1)} ± ${(100 * s.std).toFixed(1)}` : '–');
const numPm = (s: { mean: number; std: number; n: number }, d = 3) => (s.n ? `${s.mean.toFixed(d)} ± ${s.std.toFixed(d)}` : '–');

/** A run's values of `key` in one stage's metric rows, in order. */
const stageValues = (r: RunResult, stage: string, key: string): number[] =>
  r.metrics.filter((m) => m.stage === stage && typeof m[key] === 'number').map((m) => m[key] as number);

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean ± std across seeds of a training curve (charts/success_rate per RL iteration). */
function curve(runs: readonly RunResult[], key: string): { x: number[]; y: number[]; spread: number[] } {
  const perRun = runs.map((r) => stageValues(r, 'rl', key));
  const len = Math.min(...perRun.map((p) => p.length));
  const x: number[] = [];
  const y: number[] = [];
  const spread: number[] = [];
  for (let i = 0; i < (Number.isFinite(len) ? len : 0); i++) {
    const s = meanStd(perRun.map((p) => p[i] as number));
    x.push(i + 1);
    y.push(s.mean);
    spread.push(s.std);
  }
  return { x, y, spread };
}

/** Mean over runs of the mean of `key` in a stage's metric rows (NaN when absent). */
function stageMean(runs: readonly RunResult[], stage: string, key: string, pick: 'mean' | 'last' = 'mean') {
  return meanStd(
    runs
      .map((r) => stageValues(r, stage, key))
      .filter((v) => v.length > 0)
      .map((v) => (pick === 'last' ? (v[v.length - 1] as number) : mean(v))),
  );
}

/**
 * What SPA's result rests on, so a reader can see why it wins or not: how much signal the
 * estimator had (successful explorations), how well it fits against predicting zero, and what
 * RL did to the training success rate.
 */
function diagnostics(of: (m: string) => RunResult[]): string[] {
  const spa = of('spa');
  if (!spa.length) return [];
  const explored = stageMean(spa, 'explore', 'explore/success_rate');
  const trainMse = stageMean(spa, 'estimator', 'progress/mse', 'last');
  const trainCorr = stageMean(spa, 'estimator', 'progress/oracle_corr', 'last');
  const zeroRef = stat(spa, 'eval/success_rate');
  const out = ['', 'What the SPA result rests on:'];
  if (explored.n) out.push(`- exploration (the estimator's only data): ${pctPm(explored)}% of rollouts succeeded.`);
  if (trainMse.n) out.push(`- the estimator on its training set: MSE(Σ c_t, R) ${numPm(trainMse)}, oracle correlation ${numPm(trainCorr)}.`);
  if (zeroRef.n) out.push(`- for scale: with rewards in {0, 1}, predicting Σ c_t = 0 for every evaluation trajectory scores MSE = the success rate, ${numPm(zeroRef)}.`);
  for (const m of ['spa', 'ppo', 'grpo']) {
    const series = of(m)
      .map((r) => stageValues(r, 'rl', 'charts/success_rate'))
      .filter((v) => v.length > 1);
    if (!series.length) continue;
    const first = meanStd(series.map((v) => v[0] as number));
    const last = meanStd(series.map((v) => v[v.length - 1] as number));
    const overall = meanStd(series.map(mean));
    // How far RL moved the policy, and whether the critic had learnt anything to baseline with.
    // PPO logs the summed KL per training sequence (its adaptive controller's input); GRPO its loss's per-token KL.
    const [klKey, klUnit] = m === 'grpo' ? ['losses/kl', 'per token'] : ['charts/mean_kl', 'per training sequence'];
    const kl = stageMean(of(m), 'rl', klKey, 'last');
    const ev = stageMean(of(m), 'rl', 'losses/explained_variance', 'last');
    const moved = [kl.n ? `KL estimate to the SFT policy ${numPm(kl)} nats ${klUnit}` : '', ev.n ? `critic explained variance ${numPm(ev, 2)}` : ''].filter(Boolean).join(', ');
    out.push(`- ${m}: training-rollout success ${pctPm(first)}% at the first RL iteration → ${pctPm(last)}% at the last (mean over iterations ${pctPm(overall)}%)${moved ? `; at the last iteration: ${moved}` : ''}.`);
  }
  return out;
}

/** Where each method's evaluation episodes go wrong, mean ± std over seeds (failure-modes.ts). */
function failureTable(methods: readonly string[], of: (m: string) => RunResult[]): string[] {
  const rows = methods
    .map((m) => ({ m, profiles: of(m).flatMap((r) => (r.failures ? [r.failures] : [])) }))
    .filter(({ profiles }) => profiles.length > 0);
  if (!rows.length) return [];
  const out = [
    '',
    'Where the evaluation episodes go wrong (both splits; an episode is solved, finished by the agent unsolved, or out of steps; turns are shares of all evaluation turns):',
    '',
    `| method | ${FAILURE_COLUMNS.map(([, title]) => title).join(' | ')} |`,
    `|---|${FAILURE_COLUMNS.map(() => '---').join('|')}|`,
  ];
  for (const { m, profiles } of rows) out.push(`| ${m} | ${FAILURE_COLUMNS.map(([key]) => pctPm(meanStd(profiles.map((p) => p[key])))).join(' | ')} |`);
  return out;
}

export interface ReportContext {
  command: string;
  preset: string;
  /** Wall time of this invocation (a resumed grid's earlier invocations are in the stage times). */
  wallSeconds: number;
  parallel: number;
  /** The recorded `spa reproduce` sessions of this preset in the data folder (reproduce-sessions.ts). */
  sessions: readonly GridSession[];
  version: string;
  tfjsVersion: string;
  /** Where the SVGs go (inside the docs folder) and the markdown's folder, to link them. */
  figuresDir: string;
  markdownDir: string;
  /** The data folder the runs are in (for the studio command that opens them). */
  dataDir: string;
}

/** The grid's wall time: the sum of its recorded sessions, else (grids run before sessions were recorded) this invocation's. */
function gridWallLine(ctx: ReportContext): string {
  if (!ctx.sessions.length) return `The last \`spa reproduce\` invocation took ${(ctx.wallSeconds / 60).toFixed(1)} min of wall time with ${ctx.parallel} run(s) at a time.`;
  const minutes = ctx.sessions.reduce((a, se) => a + sessionSeconds(se), 0) / 60;
  return `Grid wall time: **${(minutes / 60).toFixed(2)} h** over ${ctx.sessions.length} \`spa reproduce\` session(s) (see "Grid sessions").`;
}

export async function writeResultsReport(results: readonly RunResult[], ctx: ReportContext): Promise<string> {
  await fsp.mkdir(ctx.figuresDir, { recursive: true });
  const envs = [...new Set(results.map((r) => r.entry.env))];
  const methods = [...new Set(results.map((r) => r.entry.method))];
  const seeds = [...new Set(results.map((r) => r.entry.seed))].sort((a, b) => a - b);
  const backends = [...new Set(results.map((r) => r.entry.backend ?? 'unknown'))];
  const computeSeconds = results.reduce((a, r) => a + r.stages.filter((st) => !st.reused).reduce((b, st) => b + st.seconds, 0), 0);
  const lines: string[] = [
    '# Results: SPA against its baselines at small scale',
    '',
    `Produced by \`${ctx.command}\` (preset **${ctx.preset}**, seeds ${seeds.join(', ')}), SPA Studio ${ctx.version}, TF.js ${ctx.tfjsVersion} on the **${backends.join(', ')}** backend,`,
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM. Compute: **${(computeSeconds / 60).toFixed(1)} min** of stage time`,
    `(stages shared between methods ran once per environment and seed). ${gridWallLine(ctx)} Every number below is read from the run folders listed at the end;`,
    'success and grounding are greedy-decoding evaluations on held-out test tasks (seen and unseen splits), mean ± sample std over seeds.',
    '',
  ];
  const verdicts: string[] = [];
  for (const env of envs) {
    const of = (m: string) => results.filter((r) => r.entry.env === env && r.entry.method === m);
    lines.push(`## ${env}`, '', '| method | success seen % | success unseen % | grounding seen % | grounding unseen % | avg reward | mean steps | seeds |', '|---|---|---|---|---|---|---|---|');
    for (const m of methods) {
      const rs = of(m);
      if (!rs.length) continue;
      lines.push(
        `| ${m} | ${pctPm(stat(rs, 'eval/success_rate_seen'))} | ${pctPm(stat(rs, 'eval/success_rate_unseen'))} | ${pctPm(stat(rs, 'eval/grounding_accuracy_seen'))} | ${pctPm(stat(rs, 'eval/grounding_accuracy_unseen'))} | ${numPm(stat(rs, 'eval/avg_reward'))} | ${numPm(stat(rs, 'eval/mean_steps'), 1)} | ${rs.length} |`,
      );
    }
    const episodes = results.find((r) => r.entry.env === env && r.failures)?.failures?.episodes;
    if (episodes) {
      const perSplit = episodes / 2;
      lines.push('', `Each run plays ${perSplit} seen and ${perSplit} unseen test tasks once: one task is ${(100 / perSplit).toFixed(1)} points of a split's success rate.`);
    }
    const spa = of('spa');
    if (spa.length) {
      lines.push(
        '',
        `Progress estimator (SPA runs, scored on the evaluation trajectories it never trained on): MSE(Σ c_t, R) ${numPm(stat(spa, 'eval/progress_mse'))}, correlation of c_t with the oracle progress increments ${numPm(stat(spa, 'eval/progress_oracle_corr'))}.`,
      );
    }
    lines.push(...diagnostics(of), ...failureTable(methods, of));
    // Learning curves of the RL methods: success, and grounding (what SPA's β term rewards).
    for (const [key, name, what] of [
      ['charts/success_rate', 'train-success', 'success rate'],
      ['charts/grounding_accuracy', 'train-grounding', 'grounding accuracy'],
    ] as const) {
      const series: Series[] = methods
        .map((m) => ({ m, c: curve(of(m), key) }))
        .filter(({ c }) => c.x.length > 0)
        .map(({ m, c }) => ({ label: m, ...c }));
      if (!series.length) continue;
      const file = join(ctx.figuresDir, `${env}-${name}.svg`);
      await fsp.writeFile(file, lineChartSvg(series, { title: `${env}: ${what} of training rollouts (mean ± std over seeds)`, xLabel: 'RL iteration', yLabel: what, yBounds: [0, 1] }));
      lines.push('', `![${env}: ${what} of training rollouts](${relative(ctx.markdownDir, file)})`);
    }
    lines.push('');
    // The claim, checked.
    const s = (m: string) => stat(of(m), 'eval/success_rate');
    for (const base of ['sft', 'ppo']) {
      const a = s('spa');
      const b = s(base);
      if (!a.n || !b.n) continue;
      const diff = a.mean - b.mean;
      const spread = Math.max(a.std, b.std);
      verdicts.push(
        `- ${env}: SPA ${(100 * a.mean).toFixed(1)}% vs ${base} ${(100 * b.mean).toFixed(1)}% (both splits): ${diff > spread ? `**SPA higher by ${(100 * diff).toFixed(1)} points, more than the seed spread (${(100 * spread).toFixed(1)})**` : diff > 0 ? `SPA higher by ${(100 * diff).toFixed(1)} points, within the seed spread (${(100 * spread).toFixed(1)}): not a clear win` : `**SPA not higher** (${(100 * diff).toFixed(1)} points; spread ${(100 * spread).toFixed(1)})`}.`,
      );
    }
  }
  lines.push('## The claim, checked', '', ...(verdicts.length ? verdicts : ['- (no SPA runs in this grid)']), '');
  // Cost.
  const byStage = new Map<string, number[]>();
  for (const r of results) for (const st of r.stages) if (!st.reused) byStage.set(st.stage, [...(byStage.get(st.stage) ?? []), st.seconds]);
  lines.push('## Wall time per stage', '', '| stage | runs that computed it | median s | total min |', '|---|---|---|---|');
  for (const [stage, secs] of byStage) {
    lines.push(`| ${stage} | ${secs.length} | ${median(secs).toFixed(1)} | ${(secs.reduce((a, b) => a + b, 0) / 60).toFixed(1)} |`);
  }
  // Per environment: the grids may have run at different times, on different engine builds.
  lines.push('', '## Compute per environment', '', '| env | runs | stage time min | wall span (first run created → last run updated) | backend (from the run logs) |', '|---|---|---|---|---|');
  for (const env of envs) {
    const rs = results.filter((r) => r.entry.env === env);
    const minutes = rs.reduce((a, r) => a + r.stages.filter((st) => !st.reused).reduce((b, st) => b + st.seconds, 0), 0) / 60;
    const start = Math.min(...rs.map((r) => Date.parse(r.entry.createdAt)));
    const end = Math.max(...rs.map((r) => Date.parse(r.entry.updatedAt)));
    const details = [...new Set(rs.map((r) => r.backendDetail ?? `${r.entry.backend ?? 'unknown'} (the log predates backend lines)`))];
    lines.push(`| ${env} | ${rs.length} | ${minutes.toFixed(1)} | ${((end - start) / 60000).toFixed(1)} min (${new Date(start).toISOString().slice(0, 16)}Z → ${new Date(end).toISOString().slice(0, 16)}Z) | ${details.join('; ')} |`);
  }
  if (ctx.sessions.length) {
    lines.push('', '## Grid sessions', '', 'Each `spa reproduce` invocation that ran grid runs at this preset in this data folder, from its start to its last sign of life (recorded every minute).', '');
    lines.push('| started | last alive | minutes | envs | parallel | runs computed | ended |', '|---|---|---|---|---|---|---|');
    for (const se of ctx.sessions) {
      lines.push(`| ${se.startedAt.slice(0, 16)}Z | ${se.aliveAt.slice(0, 16)}Z | ${(sessionSeconds(se) / 60).toFixed(1)} | ${se.envs.join(', ')} | ${se.parallel} | ${se.runsComputed} | ${se.ended ? 'yes' : 'interrupted'} |`);
    }
  }
  lines.push('', '## Runs', '');
  lines.push(`To look at them in the studio: \`spa studio --data-dir ${ctx.dataDir}\`, then add to its address, per environment (seed ${seeds[0] ?? 0}, every method, in Compare):`, '');
  for (const env of envs) {
    const ids = results.filter((r) => r.entry.env === env && r.entry.seed === seeds[0]).map((r) => r.entry.id);
    lines.push(`- ${env}: \`#/compare?ids=${ids.join(',')}\``);
  }
  lines.push('', '| run | env | method | seed | status |', '|---|---|---|---|---|');
  for (const r of results) lines.push(`| \`${r.entry.id}\` | ${r.entry.env} | ${r.entry.method} | ${r.entry.seed} | ${r.entry.status} |`);
  lines.push('');
  return lines.join('\n');
}
