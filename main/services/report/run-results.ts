/** What the report reads of each run: its catalog entry, metrics, completed stages, backend line, and what its evaluation episodes show. */
import { promises as fsp } from 'node:fs';
import { meanSquaredReward, sumFit } from '../../../common/attribution';
import type { CatalogEntry, MetricRecord, RunTrajectory } from '../../../common/run-schema';
import { readCompletedStages, type CompletedStage } from '../../jobs/run-executor';
import { readMetrics, readRunMeta, runPaths, trajectoryIndexCacheFile, workspacePaths, type WorkspacePaths } from '../../runs/run-folder';
import { TrajectoryIndex } from '../../runs/trajectory-index';
import { failureProfile, type FailureProfile } from './failure-modes';
import { outcomeKey, type EvalOutcomes } from './paired';
import { readingProfileOf, type ReadingProfile } from './reading-table';

export interface RunResult {
  entry: CatalogEntry;
  metrics: MetricRecord[];
  stages: CompletedStage[];
  /** What the run log says of the backend ("wasm (… + native sgemm (avx512))"); null for runs that predate that line. */
  backendDetail: string | null;
  /** How its evaluation episodes ended and what their turns were; null without evaluation trajectories. */
  failures: FailureProfile | null;
  /**
   * Mean R² over its evaluation episodes: the MSE(Σ c_t, R) an estimator scores by predicting 0
   * everywhere. WebShop's R is graded, so this is not the success rate there. Null without episodes.
   */
  zeroPredictorMse: number | null;
  /** The estimator's sums on its evaluation episodes: their offset from R and how well they rank R; null unless scored (SPA). */
  heldOutFit: { bias: number; sumCorr: number } | null;
  /** Which evaluation tasks it solved (paired.ts compares methods task by task); null without episodes. */
  evalOutcomes: EvalOutcomes | null;
  /** The test tasks it was evaluated on (the report plays the expert on the same ones). */
  evalTaskIds: string[];
  /** WebShop and ALFWorld: whether its commands use what it was shown (reading-table.ts); null elsewhere. */
  reading: ReadingProfile | null;
}

function outcomesOf(evaluation: readonly RunTrajectory[]): EvalOutcomes | null {
  if (!evaluation.length) return null;
  return Object.fromEntries(evaluation.map((t) => [outcomeKey(t.split, t.taskId), t.success]));
}

/** The first stage's "backend: …" line of a run log (engine/worker/stage-worker.ts writes one per stage). */
export function backendDetailOf(log: string): string | null {
  return /^\S+ \[[a-z]+\] backend: (.+)$/m.exec(log)?.[1] ?? null;
}

/** The evaluation stages' trajectories (their stage names start with this). */
const EVAL_STAGES = ['eval-seen', 'eval-unseen'];

/**
 * A run's evaluation trajectories, read through its trajectory index (the snapshot the supervisor
 * saves when a run ends) instead of parsing every exploration and PPO rollout in the file: an RL
 * run's trajectories.jsonl is 10–30 MB, its evaluation 80 records.
 */
async function evaluationTrajectories(ws: WorkspacePaths, id: string): Promise<RunTrajectory[]> {
  const index = new TrajectoryIndex(runPaths(ws.runsDir, id).trajectories, trajectoryIndexCacheFile(ws.cacheDir, id));
  await index.refresh();
  const out: RunTrajectory[] = [];
  for (const stage of EVAL_STAGES) {
    for (const item of index.query({ stage, outcome: 'any', offset: 0, limit: 1000 }, () => 0).items) {
      const t = await index.read(item.index);
      if (t) out.push(t);
    }
  }
  return out;
}

export async function loadRunResults(dataDir: string, entries: readonly CatalogEntry[]): Promise<RunResult[]> {
  const ws = workspacePaths(dataDir);
  const out: RunResult[] = [];
  for (const entry of entries) {
    const { dir, log: logPath } = runPaths(ws.runsDir, entry.id);
    await readRunMeta(dir); // a run we cannot read is an error, not a silent gap in the table
    const log = await fsp.readFile(logPath, 'utf8').catch(() => '');
    const evaluation = await evaluationTrajectories(ws, entry.id);
    out.push({
      entry,
      metrics: (await readMetrics(dir)).records,
      stages: await readCompletedStages(dir),
      backendDetail: backendDetailOf(log),
      failures: failureProfile(evaluation),
      zeroPredictorMse: meanSquaredReward(evaluation),
      heldOutFit: sumFit(evaluation),
      evalOutcomes: outcomesOf(evaluation),
      evalTaskIds: [...new Set(evaluation.map((t) => t.taskId))],
      reading: readingProfileOf(entry.env, evaluation),
    });
  }
  return out;
}
