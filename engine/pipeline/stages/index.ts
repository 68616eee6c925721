/** One entry point per stage name: what a worker runs for a StageJob. */
import type { StageName } from '../../../common/worker-protocol';
import { runDataStage } from './data';
import { runEstimatorStage } from './estimator';
import { runEvalStage } from './eval';
import { runExploreStage } from './explore';
import { runRlStage } from './rl';
import { runSftStage } from './sft';
import type { StageIo } from './stage-io';

/** Stages whose output lives in the shared stage cache (keep stage-local copies of their records). */
export const CACHED_STAGES: ReadonlySet<StageName> = new Set(['data', 'sft', 'explore', 'estimator']);

/** Runs the stage; returns summary numbers for the run's status (eval's metrics). */
export async function runStage(io: StageIo): Promise<Record<string, number>> {
  switch (io.job.stage) {
    case 'data':
      await runDataStage(io);
      return {};
    case 'sft':
      await runSftStage(io, 'sft');
      return {};
    case 'rft':
      await runSftStage(io, 'rft');
      return {};
    case 'explore':
      await runExploreStage(io);
      return {};
    case 'estimator':
      await runEstimatorStage(io);
      return {};
    case 'rl':
      await runRlStage(io);
      return {};
    case 'eval':
      return runEvalStage(io);
  }
}
