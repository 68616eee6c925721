/**
 * What a run folder's JSON files and the catalog hold, as zod schemas (validated on every
 * read, because these files outlive the code that wrote them and can be damaged).
 */
import { z } from 'zod';
import { ENV_NAMES } from '../envs/core/types';
import { TrajectorySchema } from './trajectory';
import { RUN_ID_PATTERN } from './run-id';

export const RUN_SCHEMA = 'spa-studio/run@1' as const;
export const RUN_STATUS_SCHEMA = 'spa-studio/run-status@1' as const;
export const CATALOG_SCHEMA = 'spa-studio/catalog@1' as const;

export const RUN_STATUSES = ['created', 'running', 'completed', 'failed', 'crashed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses a run never leaves on its own. */
export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'crashed', 'cancelled'];

const RunId = z.string().regex(RUN_ID_PATTERN);
const IsoTime = z.iso.datetime();

/** config.json: written once when the run is created, never changed. */
export const RunMetaSchema = z.object({
  schema: z.literal(RUN_SCHEMA),
  id: RunId,
  name: z.string(),
  env: z.enum(ENV_NAMES),
  /** "sft", "spa", "ppo", "grpo", … (the pipeline defines the list). */
  method: z.string().min(1),
  preset: z.string().nullable(),
  seed: z.number().int().nonnegative(),
  createdAt: IsoTime,
  /** The full run configuration, as the pipeline defines it. */
  config: z.record(z.string(), z.unknown()),
});
export type RunMeta = z.infer<typeof RunMetaSchema>;

/** Where a run's inputs came from: runs that produced them and the stage cache keys used. */
export const LineageSchema = z.strictObject({
  sftRun: RunId.optional(),
  explorationRun: RunId.optional(),
  estimatorRun: RunId.optional(),
  /** stage name → stage cache key (see stage-cache.ts). */
  stageKeys: z.record(z.string(), z.string()).optional(),
});
export type Lineage = z.infer<typeof LineageSchema>;

/** Summary metrics are scalars only: the catalog never holds per-step data. */
export const SummarySchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]));
export type Summary = z.infer<typeof SummarySchema>;

/** status.json: rewritten atomically as the run progresses. */
export const RunStatusFileSchema = z.object({
  schema: z.literal(RUN_STATUS_SCHEMA),
  status: z.enum(RUN_STATUSES),
  updatedAt: IsoTime,
  /** TF.js backend the run trains on ("wasm", "cpu", "tensorflow"…), once known. */
  backend: z.string().nullable(),
  /** Last completed update, once training has started. */
  step: z.number().int().nonnegative().nullable(),
  /** Why it failed/crashed, or what it is doing. */
  message: z.string().nullable(),
  lineage: LineageSchema,
  summary: SummarySchema,
  /** Hidden from the default run list (the folder stays). */
  archived: z.boolean().optional(),
  /**
   * The process supervising the run while it is running (a studio, or `spa run` in a terminal on
   * the same data folder): another process must not mark it crashed or resume it while that one lives.
   */
  owner: z.object({ pid: z.number().int().positive(), host: z.string() }).nullable().optional(),
});
export type RunStatusFile = z.infer<typeof RunStatusFileSchema>;

export const CatalogEntrySchema = z.strictObject({
  id: RunId,
  name: z.string(),
  env: z.enum(ENV_NAMES),
  method: z.string(),
  preset: z.string().nullable(),
  seed: z.number().int().nonnegative(),
  status: z.enum(RUN_STATUSES),
  backend: z.string().nullable(),
  step: z.number().int().nonnegative().nullable(),
  message: z.string().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  lineage: LineageSchema,
  summary: SummarySchema,
  archived: z.boolean().optional(),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const CatalogSchema = z.strictObject({
  schema: z.literal(CATALOG_SCHEMA),
  runs: z.array(CatalogEntrySchema),
});
export type CatalogData = z.infer<typeof CatalogSchema>;

/** One metrics.jsonl record: `{step, ...metrics, t}`; t is wall-clock ms since the epoch. */
export const MetricRecordSchema = z.looseObject({
  step: z.number().int().nonnegative(),
  t: z.number(),
});
export type MetricValue = number | string | boolean | null;
export type MetricRecord = { step: number; t: number } & Record<string, MetricValue>;

/** One trajectories.jsonl record: a Trajectory, tagged with the update that produced or scored it. */
export const RunTrajectorySchema = TrajectorySchema.extend({
  update: z.number().int().nonnegative().optional(),
  /** Which stage wrote it: "explore", "train" (PPO/GRPO rollouts), "eval-seen", "eval-unseen", "import". */
  stage: z.string().optional(),
});
export type RunTrajectory = z.infer<typeof RunTrajectorySchema>;

export const ANNOTATION_LABELS = ['helps', 'neutral', 'hurts'] as const;
export type AnnotationLabel = (typeof ANNOTATION_LABELS)[number];

/**
 * One annotations.jsonl record: a person's judgement of one step. The file is append-only;
 * the latest record for (trajectoryId, step) wins, and `label: null` with no comment clears it.
 */
export const AnnotationSchema = z.strictObject({
  trajectoryId: z.string().min(1).max(512),
  /** Env step index (0-based); −1 is the "OK" acknowledgement turn. */
  step: z.number().int().min(-1).max(10_000),
  label: z.enum(ANNOTATION_LABELS).nullable(),
  /** The annotator's corrected c_t, if they disagree with the estimator. */
  correctedContribution: z.number().finite().min(-100).max(100).nullable(),
  comment: z.string().max(10_000),
  /** ISO time it was saved. */
  at: IsoTime,
});
export type Annotation = z.infer<typeof AnnotationSchema>;

/** zod's first issue as "at <path>: <message>". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `at ${issue && issue.path.length ? issue.path.join('.') : '(root)'}: ${issue?.message ?? 'invalid'}`;
}
