/** What the report reads of each run: its catalog entry, metrics, completed stages, backend line and evaluation failure profile. */
import { promises as fsp } from 'node:fs';
import type { CatalogEntry, MetricRecord } from '../../../common/run-schema';
import { readCompletedStages, type CompletedStage } from '../../jobs/run-executor';
import { readMetrics, readRunMeta, readTrajectories, runPaths, workspacePaths } from '../../runs/run-folder';
import { failureProfile, type FailureProfile } from './failure-modes';

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
