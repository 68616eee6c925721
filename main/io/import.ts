/**
 * Reads an imported file into trajectories (and, for studio files, their annotations).
 *
 * The format is told from the content, not the file name: a JSON array is SPA-RL data whose
 * first record's keys say which kind (turn_values → §4.4 inference, agent_conversations →
 * §4.2 exploration, conversations → §4.1/§4.3 SFT); JSON Lines are studio trajectories
 * (schema "spa-studio/trajectory@1") or SPA-RL records one per line (VirtualHome's SFT data).
 * JSONL is read line by line without splitting the whole text. Every record is schema-checked;
 * a bad one is skipped with a warning naming the record and the field, and the import goes
 * on. The run's environment is the first valid record's; records of another one are skipped.
 */
import { z } from 'zod';
import type { ExportFormat } from '../../common/ipc-contract';
import { AnnotationSchema, RunTrajectorySchema, type Annotation, type RunTrajectory } from '../../common/run-schema';
import { TRAJECTORY_SCHEMA } from '../../common/trajectory';
import type { EnvName } from '../../envs/core/types';
import {
  episodeToTrajectory,
  ExplorationRecordSchema,
  InferenceRecordSchema,
  outcomeOf,
  readConversation,
  RecordError,
  SftRecordSchema,
  sftMessages,
  taskIdOf,
} from './spa-rl-formats';

export type ImportFormat = ExportFormat;

export interface ImportedFile {
  format: ImportFormat;
  env: EnvName;
  trajectories: RunTrajectory[];
  /** Studio files carry annotations; they are kept with the trajectories. */
  annotations: Annotation[];
  skipped: number;
  warnings: string[];
}

/** The file could not be imported at all (nothing is created). */
export class ImportRefused extends Error {}

const MAX_LISTED_PROBLEMS = 20;

export const StudioRecordSchema = RunTrajectorySchema.extend({
  annotations: z.array(AnnotationSchema).optional(),
});

interface Located {
  value: unknown;
  /** "line 4" or "record [3]". */
  where: string;
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `at ${issue && issue.path.length ? issue.path.join('.') : '(root)'}: ${issue?.message ?? 'invalid'}`;
}

/** Each non-blank line of a JSONL text, parsed; a line that is not JSON is reported, not thrown. */
function* jsonLines(text: string): Generator<Located | { where: string; error: string }> {
  let line = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '') continue;
    try {
      yield { value: JSON.parse(raw) as unknown, where: `line ${line}` };
    } catch (e) {
      yield { where: `line ${line}`, error: `not valid JSON (${(e as Error).message.slice(0, 120)})` };
    }
  }
}

function firstLine(text: string): string {
  for (const l of text.split('\n', 50)) if (l.trim() !== '') return l.trim();
  return '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function formatOfRecord(v: unknown): ImportFormat | null {
  if (!isObject(v)) return null;
  if (v.schema === TRAJECTORY_SCHEMA) return 'studio';
  if ('turn_values' in v) return 'spa-rl-inference';
  if ('agent_conversations' in v) return 'spa-rl-exploration';
  if ('conversations' in v) return 'spa-rl-sft';
  return null;
}

const EXPECTED =
  'expected studio trajectories (JSON Lines), SPA-RL SFT data (§4.1, a JSON array or JSON Lines of {id, conversations}), an exploration shard (§4.2, agent_conversations) or inference results (§4.4, turn_values)';

/** Detects the format and yields the raw records with where they are. */
function recordsOf(text: string): { format: ImportFormat; records: Iterable<Located | { where: string; error: string }> } {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') throw new ImportRefused('the file is empty');
  if (body.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw new ImportRefused(`the file starts like a JSON array but is not valid JSON (${(e as Error).message.slice(0, 160)})`);
    }
    if (!Array.isArray(parsed)) throw new ImportRefused(`not a JSON array; ${EXPECTED}`);
    const format = formatOfRecord(parsed.find(isObject));
    if (!format) throw new ImportRefused(`no record in the array has conversations, agent_conversations or turn_values; ${EXPECTED}`);
    if (format === 'studio') throw new ImportRefused('studio trajectories are JSON Lines (one per line), not a JSON array');
    return { format, records: parsed.map((value, i) => ({ value, where: `record [${i}]` })) };
  }
  if (body.startsWith('{')) {
    let first: unknown;
    try {
      first = JSON.parse(firstLine(body));
    } catch {
      throw new ImportRefused(`the first line is not a JSON object (a single pretty-printed object is not a supported format); ${EXPECTED}`);
    }
    const format = formatOfRecord(first);
    if (!format) throw new ImportRefused(`the first record has no schema "${TRAJECTORY_SCHEMA}", conversations, agent_conversations or turn_values; ${EXPECTED}`);
    return { format, records: jsonLines(body) };
  }
  throw new ImportRefused(`not JSON; ${EXPECTED}`);
}

interface Converted {
  trajectory: RunTrajectory;
  annotations: Annotation[];
}

/** One raw record → a trajectory in the new run, or a thrown message naming the field. */
function convert(format: ImportFormat, value: unknown, index: number, env: EnvName | null, notes: Set<string>): Converted {
  if (format === 'studio') {
    const parsed = StudioRecordSchema.safeParse(value);
    if (!parsed.success) throw new Error(issueText(parsed.error));
    const { annotations = [], update: _update, stage: _stage, ...rest } = parsed.data;
    const trajectory: RunTrajectory = { ...rest, stage: 'import' };
    annotations.forEach((a, i) => {
      if (a.trajectoryId !== trajectory.id) throw new RecordError(`annotations.${i}.trajectoryId`, `names ${JSON.stringify(a.trajectoryId)}, not this trajectory (${JSON.stringify(trajectory.id)})`);
      if (a.step >= trajectory.steps.length) throw new RecordError(`annotations.${i}.step`, `step ${a.step} is past the trajectory's ${trajectory.steps.length} steps`);
    });
    return { trajectory, annotations };
  }
  if (format === 'spa-rl-exploration') {
    const parsed = ExplorationRecordSchema.safeParse(value);
    if (!parsed.success) throw new Error(issueText(parsed.error));
    const r = parsed.data;
    const ep = readConversation({ messages: r.agent_conversations, field: 'agent_conversations', roleField: 'role' }, r, true, env);
    const outcome = outcomeOf(r.agent_final_reward, r.success) as { finalReward: number; success: boolean };
    const taskId = taskIdOf(r, index);
    const meta = { importedFrom: format, sourceId: r.id, oracleProgress: false, ...(r.time !== undefined ? { seconds: r.time } : {}) };
    const trajectory = episodeToTrajectory(ep, { taskId, taskType: r.task ?? null, policy: 'exploration', seed: r.iteration ?? 0, ...outcome, meta }, `${taskId}#import#${index}`);
    return { trajectory: { ...trajectory, stage: 'import' }, annotations: [] };
  }
  const inference = format === 'spa-rl-inference';
  const parsed = (inference ? InferenceRecordSchema : SftRecordSchema).safeParse(value);
  if (!parsed.success) throw new Error(issueText(parsed.error));
  const r = parsed.data;
  const ep = readConversation({ messages: sftMessages(r.conversations), field: 'conversations', roleField: 'from' }, r, false, env);
  let outcome = outcomeOf(r.agent_final_reward, r.success);
  let turnValues: number[] | undefined;
  if (inference) {
    const ir = r as z.infer<typeof InferenceRecordSchema>;
    turnValues = ir.turn_values;
    // "OK" is turn 0, so a trajectory of T steps has T + 1 gpt turns; fewer values = truncated (§3.5).
    if (turnValues.length > ep.turns.length + 1) throw new RecordError('turn_values', `has ${turnValues.length} values for ${ep.turns.length + 1} gpt turns ("OK" included)`);
    if (turnValues.length < ep.turns.length + 1) notes.add('some inference records have fewer turn_values than gpt turns (truncated at the context limit); their last steps have no c_t');
    outcome ??= ir.ground_truth !== undefined ? { finalReward: ir.ground_truth, success: ir.ground_truth >= 1 } : null;
  }
  if (!outcome) {
    notes.add('SFT records carry no reward: they were imported as successful expert demonstrations (final reward 1)');
    outcome = { finalReward: 1, success: true };
  }
  const taskId = taskIdOf(r, index);
  const meta = { importedFrom: format, ...(r.id !== undefined ? { sourceId: r.id } : {}), oracleProgress: false };
  const trajectory = episodeToTrajectory(
    ep,
    { taskId, taskType: r.task ?? null, policy: inference || r.agent_final_reward !== undefined ? 'exploration' : 'expert', seed: r.iteration ?? 0, ...outcome, turnValues, meta },
    `${taskId}#import#${index}`,
  );
  return { trajectory: { ...trajectory, stage: 'import' }, annotations: [] };
}

/** Parses a whole file. Throws ImportRefused when the format is unknown or no record is valid. */
export function importText(text: string): ImportedFile {
  const { format, records } = recordsOf(text);
  const trajectories: RunTrajectory[] = [];
  const annotations: Annotation[] = [];
  const problems: string[] = [];
  const notes = new Set<string>();
  const seen = new Set<string>();
  let env: EnvName | null = null;
  let index = 0;
  for (const rec of records) {
    const i = index++;
    if ('error' in rec) {
      problems.push(`${rec.where}: ${rec.error}`);
      continue;
    }
    try {
      const { trajectory, annotations: notesOf } = convert(format, rec.value, i, env, notes);
      if (env && trajectory.env !== env) throw new RecordError('env', `is ${trajectory.env}; this import's environment is ${env} (the first record's)`);
      if (seen.has(trajectory.id)) throw new RecordError('id', `${JSON.stringify(trajectory.id)} appears twice`);
      env ??= trajectory.env;
      seen.add(trajectory.id);
      trajectories.push(trajectory);
      annotations.push(...notesOf);
    } catch (e) {
      problems.push(`${rec.where}: ${(e as Error).message}`);
    }
  }
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  if (problems.length > listed.length) listed.push(`… and ${problems.length - listed.length} more records skipped`);
  if (!env || trajectories.length === 0) {
    throw new ImportRefused(`no valid record (read as ${format}; ${problems.length} refused)${listed.length ? `: ${listed.join('; ')}` : ''}`);
  }
  return { format, env, trajectories, annotations, skipped: problems.length, warnings: [...listed, ...notes] };
}
