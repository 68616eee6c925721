/**
 * docs/RESULTS.md from the runs of a reproduction grid: the table (mean ± std over seeds),
 * the estimator's attribution quality, learning curves (SVG rendered here), what it cost
 * (wall time per stage), and the context (commands, versions, backend, machine). Every number
 * is read from a run folder, and the run ids are listed so each can be traced.
 */
import { promises as fsp } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { median } from '../median';
import { gridWallSeconds, sessionSeconds, type GridSession } from '../reproduce-sessions';
import { diagnostics, failureTable } from './diagnostics';
import { claimLines } from './claim';
import { computeLine, gridCompute } from './compute';
import { againstSftTable } from './paired';
import { readingTable } from './reading-table';
import type { RunResult } from './run-results';
import { curve, numPm, pctPm, stat } from './stats';
import { lineChartSvg, type Series } from './svg-chart';

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
  /** Runs the grid plans per environment, to say when the report covers only part of it. */
  planned: readonly { env: string; runs: number }[];
  /** The evidence folder the runs are archived in (grid-evidence.ts), as given on the command line; null when none. */
  evidenceDir: string | null;
  /** Where the grid's recipe departs from the code (recipe.ts): sampling temperatures, GRPO's stabilisers. */
  recipe: readonly string[];
}

/** "Partial grid: …" when some planned runs have not completed, else nothing. */
function partialLine(results: readonly RunResult[], planned: ReportContext['planned']): string[] {
  const total = planned.reduce((a, p) => a + p.runs, 0);
  if (results.length >= total) return [];
  const per = planned.map((p) => `${p.env} ${results.filter((r) => r.entry.env === p.env).length}/${p.runs}`).join(', ');
  return [`**Partial grid: ${results.length} of ${total} runs completed** (${per}). Runs not completed are in no table; rerunning the command finishes them.`, ''];
}

/** The grid's wall time: its recorded sessions' spans, overlaps once, else (grids run before sessions were recorded) this invocation's. */
function gridWallLine(ctx: ReportContext): string {
  if (!ctx.sessions.length) return `The last \`spa reproduce\` invocation took ${(ctx.wallSeconds / 60).toFixed(1)} min of wall time with ${ctx.parallel} run(s) at a time.`;
  const minutes = gridWallSeconds(ctx.sessions) / 60;
  return `Grid wall time: **${(minutes / 60).toFixed(2)} h** over ${ctx.sessions.length} \`spa reproduce\` session(s) (see "Grid sessions").`;
}

/** The learning curves drawn per environment: metric, file-name suffix, axis label. */
const CURVES = [
  ['charts/success_rate', 'train-success', 'success rate'],
  ['charts/grounding_accuracy', 'train-grounding', 'grounding accuracy'],
] as const;

export async function writeResultsReport(results: readonly RunResult[], ctx: ReportContext): Promise<string> {
  await fsp.mkdir(ctx.figuresDir, { recursive: true });
  // A planned environment with no completed run yet (its grid restarted) keeps no curves of runs gone from it.
  for (const { env } of ctx.planned) {
    if (!results.some((r) => r.entry.env === env)) for (const [, name] of CURVES) await fsp.rm(join(ctx.figuresDir, `${env}-${name}.svg`), { force: true });
  }
  const envs = [...new Set(results.map((r) => r.entry.env))];
  const methods = [...new Set(results.map((r) => r.entry.method))];
  const seeds = [...new Set(results.map((r) => r.entry.seed))].sort((a, b) => a - b);
  const backends = [...new Set(results.map((r) => r.entry.backend ?? 'unknown'))];
  const lines: string[] = [
    '# Results: SPA against its baselines at small scale',
    '',
    `Produced by \`${ctx.command}\` (preset **${ctx.preset}**, seeds ${seeds.join(', ')}), SPA Studio ${ctx.version}, TF.js ${ctx.tfjsVersion} on the **${backends.join(', ')}** backend,`,
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM. ${computeLine(gridCompute(results))}`,
    `${gridWallLine(ctx)} Every number below is read from the run folders listed at the end;`,
    'success and grounding are greedy-decoding evaluations on held-out test tasks (seen and unseen splits), mean ± sample std over seeds.',
    ...ctx.recipe,
    '',
    ...partialLine(results, ctx.planned),
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
    lines.push(...diagnostics(of), ...failureTable(methods, of), ...readingTable(env, methods, of), ...againstSftTable(methods, of));
    // Learning curves of the RL methods: success, and grounding (what SPA's β term rewards).
    let drawn = false;
    for (const [key, name, what] of CURVES) {
      const series: Series[] = methods
        .map((m) => ({ m, c: curve(of(m), key) }))
        .filter(({ c }) => c.x.length > 0)
        .map(({ m, c }) => ({ label: m, ...c }));
      const file = join(ctx.figuresDir, `${env}-${name}.svg`);
      if (!series.length) {
        await fsp.rm(file, { force: true }); // an earlier report's curves of runs no longer in the grid
        continue;
      }
      await fsp.writeFile(file, lineChartSvg(series, { title: `${env}: ${what} of training rollouts (mean ± std over seeds)`, xLabel: 'RL iteration', yLabel: what, yBounds: [0, 1] }));
      lines.push('', `![${env}: ${what} of training rollouts](${relative(ctx.markdownDir, file)})`);
      drawn = true;
    }
    // rl.ts draws an iteration's tasks from rl-tasks#<seed>#<iteration>: common random numbers across methods.
    if (drawn) lines.push('', 'At each RL iteration every method of a seed plays the same training tasks (drawn from the seed and the iteration), so the curves rise and fall together with those tasks\' difficulty: compare methods at the same iteration.');
    lines.push('');
    // The claim, checked (claim.ts).
    for (const base of ['sft', 'ppo']) verdicts.push(...claimLines(env, base, of('spa'), of(base)));
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
    lines.push('', '## Grid sessions', '', 'Each `spa reproduce` invocation that ran grid runs at this preset in this data folder, from its start to its last sign of life (recorded every minute). Sessions that ran at the same time count once in the grid wall time, so it can be less than the sum of the minutes below.', '');
    lines.push('| started | last alive | minutes | envs | parallel | runs computed | ended |', '|---|---|---|---|---|---|---|');
    for (const se of ctx.sessions) {
      lines.push(`| ${se.startedAt.slice(0, 16)}Z | ${se.aliveAt.slice(0, 16)}Z | ${(sessionSeconds(se) / 60).toFixed(1)} | ${se.envs.join(', ')} | ${se.parallel} | ${se.runsComputed} | ${se.ended ? 'yes' : 'interrupted'} |`);
    }
  }
  lines.push('', '## Runs', '');
  if (ctx.evidenceDir) {
    // The command already names --evidence (the CLI adds it whenever evidenceDir is set).
    const check = `${ctx.command}${ctx.command.includes('--report-only') ? '' : ' --report-only'} --data-dir <an empty folder>`;
    lines.push(
      `Each run's folder without its weights and training rollouts (config, status, stages, metrics, log, evaluation episodes) is kept in \`${ctx.evidenceDir}/runs/<run>.tar.gz\`, the grid's sessions in \`${ctx.evidenceDir}/sessions/\`. ` +
        `To re-derive this document from them: \`${check}\`; \`spa studio --data-dir <that folder>\` then opens the runs.`,
      '',
    );
  }
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
