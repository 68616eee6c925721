/**
 * Messages between the job supervisor (main) and a stage worker (a child process running one
 * pipeline stage). Both sides validate what they receive: a worker is our code, but a crashed
 * or half-written message must not take the supervisor down.
 */
import { z } from 'zod';
import { RunConfigSchema } from './run-config';

export const STAGES = ['data', 'sft', 'explore', 'estimator', 'rft', 'rl', 'eval'] as const;
export type StageName = (typeof STAGES)[number];

export const StageJobSchema = z.object({
  stage: z.enum(STAGES),
  runId: z.string(),
  runDir: z.string(),
  /** Where this stage writes its outputs (a stage-cache folder, or a folder in the run). */
  outDir: z.string(),
  /** Output folders of the stages it reads, by stage name. */
  inputs: z.record(z.string(), z.string()),
  config: RunConfigSchema,
  /** The run-wide update counter before this stage: metric `step` = stepOffset + the stage's own update. */
  stepOffset: z.number().int().min(0),
  /** Metric/trajectory records of this stage already in the run's logs from a cached copy are replayed, not recomputed. */
  resume: z.boolean(),
});
export type StageJob = z.infer<typeof StageJobSchema>;

export const StageSummarySchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]));

export const ParentMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    job: StageJobSchema,
    /** Send `heartbeat` this often (ms) while alive; the supervisor kills a worker that goes quiet. Absent: no heartbeats. */
    heartbeatMs: z.number().int().positive().optional(),
  }),
  z.object({ type: z.literal('cancel') }),
]);
export type ParentMessage = z.infer<typeof ParentMessageSchema>;

export const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), backend: z.object({ name: z.string(), reason: z.string() }) }),
  z.object({ type: z.literal('progress'), stage: z.enum(STAGES), done: z.number(), total: z.number(), etaSeconds: z.number().nullable() }),
  z.object({ type: z.literal('appended'), files: z.array(z.enum(['metrics', 'trajectories', 'log'])) }),
  z.object({ type: z.literal('log'), message: z.string() }),
  /** The stage finished: `lastStep` is the run-wide step of its last metric record (stepOffset when it wrote none). */
  z.object({ type: z.literal('done'), lastStep: z.number().int().min(0), summary: StageSummarySchema }),
  z.object({ type: z.literal('error'), message: z.string(), stack: z.string().optional() }),
  /** Alive (sent every heartbeatMs, also from inside long synchronous loops; see engine/worker/heartbeat.ts). */
  z.object({ type: z.literal('heartbeat') }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessageSchema>;
