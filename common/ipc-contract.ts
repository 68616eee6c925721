/**
 * The one contract between the studio's UI and its Node side. Electron IPC (preload bridge),
 * browser mode (HTTP + WebSocket) and the engine's worker messages all derive from it:
 * every request is validated against `request` before a handler runs, and every handler's
 * result has the shape of `response`. Add a channel here and the bridge, the HTTP routes and
 * the fuzz tests pick it up.
 *
 * Pure (no Node, no DOM): the renderer imports it for types and client-side validation.
 */
import { z } from 'zod';
import { ENV_NAMES } from '../envs/core/types';
import { RunConfigSchema, METHODS, PRESETS } from './run-config';
import { AnnotationSchema, CatalogEntrySchema, MetricRecordSchema, RunMetaSchema, RunStatusFileSchema, RunTrajectorySchema } from './run-schema';
import { RUN_ID_PATTERN } from './run-id';

/** The largest file runs.import takes (its text, or the uploaded body in browser mode). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

const RunId = z.string().max(128).regex(RUN_ID_PATTERN, 'not a run id');
/** Byte offset into an append-only file, for tailing (0 = from the start). */
const Offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** One row of the trajectory list: what filters and the list need, not the steps. */
export const TrajectorySummarySchema = z.object({
  /** Position in the run's trajectories file (0-based); stable, since the file is append-only. */
  index: z.number().int().min(0),
  id: z.string(),
  taskId: z.string(),
  taskType: z.string(),
  split: z.enum(['train', 'seen', 'unseen']),
  stage: z.string().nullable(),
  update: z.number().int().nullable(),
  policy: z.string(),
  success: z.boolean(),
  finalReward: z.number(),
  steps: z.number().int(),
  invalidSteps: z.number().int(),
  /** Steps with an annotation. */
  annotated: z.number().int(),
});
export type TrajectorySummary = z.infer<typeof TrajectorySummarySchema>;

export const TrajectoryFilterSchema = z.strictObject({
  outcome: z.enum(['any', 'success', 'failure']).default('any'),
  taskType: z.string().max(200).optional(),
  split: z.enum(['train', 'seen', 'unseen']).optional(),
  stage: z.string().max(64).optional(),
  update: z.number().int().min(0).optional(),
  /** Free-text search over task id, goal and actions. */
  query: z.string().max(500).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type TrajectoryFilter = z.input<typeof TrajectoryFilterSchema>;

export const BackendReportSchema = z.object({
  name: z.string(),
  /** Why this backend: the ladder's attempts, in words. */
  reason: z.string(),
});

/** What the New-run form needs: defaults per preset, and a time estimate. */
export const ConfigDefaultsSchema = z.object({ config: RunConfigSchema, estimateSeconds: z.number().nullable(), estimateNote: z.string() });

export const ImportResultSchema = z.object({
  runId: RunId,
  format: z.string(),
  trajectories: z.number().int(),
  skipped: z.number().int(),
  warnings: z.array(z.string()),
});

export const ExportFormatSchema = z.enum(['studio', 'spa-rl-sft', 'spa-rl-exploration', 'spa-rl-inference']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

function channel<Req extends z.ZodType, Res extends z.ZodType>(doc: string, request: Req, response: Res) {
  return { doc, request, response };
}

const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });

export const CHANNELS = {
  'app.info': channel('Version, backend, data folder and the mode (electron/browser).', Empty, z.object({ version: z.string(), dataDir: z.string(), mode: z.enum(['electron', 'browser', 'cli']), backend: BackendReportSchema.nullable() })),
  'runs.list': channel('Every run in the catalog, newest first.', Empty, z.object({ runs: z.array(CatalogEntrySchema), warnings: z.array(z.string()) })),
  'runs.get': channel('One run: its config and status.', z.strictObject({ id: RunId }), z.object({ meta: RunMetaSchema, status: RunStatusFileSchema })),
  'runs.metrics': channel(
    'Metric records from a byte offset (tail with the returned endOffset).',
    z.strictObject({ id: RunId, from: Offset.default(0) }),
    z.object({ records: z.array(MetricRecordSchema), endOffset: Offset, skipped: z.number().int() }),
  ),
  'runs.log': channel('log.txt from a byte offset.', z.strictObject({ id: RunId, from: Offset.default(0) }), z.object({ text: z.string(), endOffset: Offset })),
  'runs.trajectories': channel(
    'A filtered page of trajectory summaries, plus the facets filters offer.',
    z.strictObject({ id: RunId, filter: TrajectoryFilterSchema.default({ outcome: 'any', offset: 0, limit: 200 }) }),
    z.object({ total: z.number().int(), items: z.array(TrajectorySummarySchema), taskTypes: z.array(z.string()), stages: z.array(z.string()), updates: z.array(z.number().int()) }),
  ),
  'runs.trajectory': channel(
    'One trajectory by its index in the run, with its annotations.',
    z.strictObject({ id: RunId, index: z.number().int().min(0) }),
    z.object({ trajectory: RunTrajectorySchema, annotations: z.array(AnnotationSchema) }),
  ),
  'runs.annotate': channel(
    'Saves one step annotation (durably, before answering).',
    z.strictObject({ id: RunId, annotation: AnnotationSchema.omit({ at: true }) }),
    z.object({ annotation: AnnotationSchema }),
  ),
  'runs.start': channel('Creates a run from a config and starts it.', z.strictObject({ config: RunConfigSchema, name: z.string().max(200).optional() }), z.object({ id: RunId })),
  'runs.cancel': channel('Stops a running run (status "cancelled"; resumable).', z.strictObject({ id: RunId }), Ok),
  'runs.resume': channel('Resumes a crashed, failed or cancelled run from its last checkpoint.', z.strictObject({ id: RunId }), Ok),
  'runs.delete': channel('Deletes a run folder (not while it runs).', z.strictObject({ id: RunId, confirm: z.literal(true) }), Ok),
  'runs.archive': channel('Archives or unarchives a run (hidden from the default list).', z.strictObject({ id: RunId, archived: z.boolean() }), Ok),
  'runs.export': channel(
    'Trajectories (with annotations) as text in a studio or SPA-RL format.',
    z.strictObject({ id: RunId, format: ExportFormatSchema }),
    z.object({ fileName: z.string(), text: z.string() }),
  ),
  'runs.import': channel(
    'Imports a file (studio trajectories JSONL, SPA-RL SFT JSON, exploration shard, inference results) as a new run.',
    z.strictObject({ fileName: z.string().min(1).max(255), text: z.string().max(MAX_IMPORT_BYTES) }),
    ImportResultSchema,
  ),
  'config.defaults': channel(
    'The full config for an environment, method and preset, with a time estimate on this backend.',
    z.strictObject({ env: z.enum(ENV_NAMES), method: z.enum(METHODS), preset: z.enum(PRESETS), seed: z.number().int().min(0).default(0) }),
    ConfigDefaultsSchema,
  ),
  'config.validate': channel('Validates a config; errors name the field.', z.strictObject({ config: z.unknown() }), z.object({ ok: z.boolean(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
} as const;

export type ChannelName = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as ChannelName[];
export type Request<C extends ChannelName> = z.input<(typeof CHANNELS)[C]['request']>;
export type ParsedRequest<C extends ChannelName> = z.output<(typeof CHANNELS)[C]['request']>;
export type Response<C extends ChannelName> = z.output<(typeof CHANNELS)[C]['response']>;

/** The service layer: one implementation serves Electron IPC, browser mode and the CLI. */
export type StudioApi = { [C in ChannelName]: (request: ParsedRequest<C>) => Promise<Response<C>> };
/** What the renderer calls (requests before defaults are applied). */
export type StudioClient = { [C in ChannelName]: (request: Request<C>) => Promise<Response<C>> };

/** Pushed from main to every window/socket. Throttled per run by the supervisor. */
export const StudioEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run.status'), id: RunId, status: RunStatusFileSchema }),
  /** New lines were appended to a run's metrics, trajectories or log: re-read from your offset. */
  z.object({ type: z.literal('run.appended'), id: RunId, files: z.array(z.enum(['metrics', 'trajectories', 'log'])) }),
  z.object({
    type: z.literal('run.progress'),
    id: RunId,
    stage: z.string(),
    done: z.number(),
    total: z.number(),
    /** Seconds left for this stage, when the worker can tell. */
    etaSeconds: z.number().nullable(),
  }),
  z.object({ type: z.literal('catalog.changed') }),
]);
export type StudioEvent = z.infer<typeof StudioEventSchema>;

export class ContractError extends Error {
  constructor(
    readonly channel: string,
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

/** Validates a request for `name`; unknown channels and bad payloads throw ContractError naming the field. */
export function parseRequest<C extends ChannelName>(name: string, payload: unknown): { channel: C; request: ParsedRequest<C> } {
  if (!Object.hasOwn(CHANNELS, name)) throw new ContractError(name, `unknown channel ${JSON.stringify(name).slice(0, 80)}`);
  const spec = CHANNELS[name as C];
  const parsed = spec.request.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContractError(name, `invalid request for ${name} at ${issue && issue.path.length ? issue.path.join('.') : '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return { channel: name as C, request: parsed.data as ParsedRequest<C> };
}
