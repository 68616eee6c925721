/**
 * A run's trajectories as a file: the studio's own JSON Lines (each trajectory with its
 * annotations, re-importable without loss) or one of SPA-RL's formats (§4.1 SFT, §4.2
 * exploration shard, §4.4 inference results) for the original Python pipeline.
 */
import type { ExportFormat } from '../../common/ipc-contract';
import type { Annotation, RunTrajectory } from '../../common/run-schema';
import { invalid } from '../services/studio/errors';
import { toExplorationRecord, toInferenceRecord, toSftExport, type InferenceRecord } from './spa-rl-formats';

export interface ExportedFile {
  fileName: string;
  text: string;
}

const FILE_SUFFIX: Record<ExportFormat, string> = {
  studio: 'trajectories.jsonl',
  'spa-rl-sft': 'sft.json',
  'spa-rl-exploration': 'explore.json',
  'spa-rl-inference': 'inference_results.json',
};

/** `iteration` as SPA-RL numbers rollouts: 0, 1, … per task, in file order. */
function iterations(trajectories: readonly RunTrajectory[]): number[] {
  const seen = new Map<string, number>();
  return trajectories.map((t) => {
    const n = seen.get(t.taskId) ?? 0;
    seen.set(t.taskId, n + 1);
    return n;
  });
}

/** One JSON array, one record per line: diffable and still standard JSON. */
function jsonArray(records: readonly unknown[]): string {
  return records.length === 0 ? '[]\n' : `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

/**
 * `annotations` are the run's current annotations (latest per step, cleared ones removed);
 * only the studio format has room for them.
 */
export function exportTrajectories(runId: string, trajectories: readonly RunTrajectory[], annotations: readonly Annotation[], format: ExportFormat): ExportedFile {
  const fileName = `${runId}.${FILE_SUFFIX[format]}`;
  if (format === 'studio') {
    const byTrajectory = new Map<string, Annotation[]>();
    for (const a of annotations) byTrajectory.set(a.trajectoryId, [...(byTrajectory.get(a.trajectoryId) ?? []), a]);
    let text = '';
    for (const t of trajectories) text += JSON.stringify({ ...t, annotations: (byTrajectory.get(t.id) ?? []).sort((a, b) => a.step - b.step) }) + '\n';
    return { fileName, text };
  }
  if (format === 'spa-rl-sft') return { fileName, text: jsonArray(trajectories.map((t, i) => toSftExport(t, i))) };
  const its = iterations(trajectories);
  if (format === 'spa-rl-exploration') return { fileName, text: jsonArray(trajectories.map((t, i) => toExplorationRecord(t, its[i] as number))) };
  const records: InferenceRecord[] = [];
  trajectories.forEach((t, i) => {
    const r = toInferenceRecord(t, records.length, its[i] as number);
    if (r) records.push(r);
  });
  if (records.length === 0) {
    throw invalid('no trajectory in this run has per-step contributions (c_t): inference results come from runs whose progress estimator scored their trajectories');
  }
  return { fileName, text: jsonArray(records) };
}
