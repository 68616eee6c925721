/**
 * Reads an imported file into trajectories (and, for studio files, their annotations).
 *
 * The format is told from the content, not the file name: a JSON array is SPA-RL data whose
 * first record's keys say which kind (turn_values → §4.4 inference, agent_conversations →
 * §4.2 exploration, conversations → §4.1/§4.3 SFT); JSON Lines are studio trajectories
 * (schema "spa-studio/trajectory@1") or SPA-RL records one per line (VirtualHome's SFT data).
 * Every record is schema-checked; a bad one is skipped with a warning naming the record and the
 * field, and the import goes on. The run's environment is the first valid record's; records of
 * another one are skipped. A trajectory may have at most MAX_IMPORT_STEPS steps.
 *
 * The text is read record by record, never parsed whole: JSONL line by line, a JSON array
 * element by element (json-slices.ts). `importTextSliced` gives the event loop a turn every few
 * milliseconds, so importing a 100 MB file does not freeze the app (the Electron main process
 * runs the window's UI thread; browser mode's server has one thread for every request);
 * `importText` is the same work in one go.
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
import { arrayElements, runSliced, runToEnd } from './json-slices';

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

/**
 * Steps one imported trajectory may have. The environments stop episodes at 10 to 40 steps and
 * an annotation names a step up to 10,000 (AnnotationSchema); a million-step record would
 * only make a run the studio cannot show. Checked on the raw record, before the schema walks it.
 */
export const MAX_IMPORT_STEPS = 10_000;

/** A value quoted in a message, cut short: an id can be 10 MB, a warning must not be. */
function quote(value: string): string {
  return value.length > 80 ? `${JSON.stringify(value.slice(0, 80))}… (${value.length} characters)` : JSON.stringify(value);
}

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

type Read = Located | { where: string; error: string };

/**
 * The records of a JSON array, element by element. The first object element says the format;
 * elements before it are held back and handed on after it. A broken array (a truncated file,
 * a missing comma) refuses the whole file: past the break, element boundaries mean nothing.
 */
function* arrayRecords(body: string): Generator<void, { format: ImportFormat; records: Iterable<Read> }> {
  const elements = arrayElements(body, 0);
  const parse = (el: { index: number; start: number; end: number }): unknown => {
    try {
      return JSON.parse(body.slice(el.start, el.end)) as unknown;
    } catch (e) {
      throw new ImportRefused(`the file starts like a JSON array but is not valid JSON: record [${el.index}]: ${(e as Error).message.slice(0, 160)}`);
    }
  };
  const next = () => {
    try {
      return elements.next();
    } catch (e) {
      throw new ImportRefused(`the file starts like a JSON array but is not valid JSON (${(e as Error).message.slice(0, 160)})`);
    }
  };
  const before: Read[] = [];
  let format: ImportFormat | null = null;
  for (let step = next(); !step.done; step = next()) {
    const value = parse(step.value);
    before.push({ value, where: `record [${step.value.index}]` });
    yield;
    if (isObject(value)) {
      format = formatOfRecord(value);
      if (!format) throw new ImportRefused(`no record in the array has conversations, agent_conversations or turn_values; ${EXPECTED}`);
      break;
    }
  }
  if (!format) {
    throw new ImportRefused(before.length ? `no record in the array has conversations, agent_conversations or turn_values; ${EXPECTED}` : 'the file is an empty JSON array');
  }
  if (format === 'studio') throw new ImportRefused('studio trajectories are JSON Lines (one per line), not a JSON array');
  function* records(): Generator<Read> {
    yield* before;
    for (let step = next(); !step.done; step = next()) yield { value: parse(step.value), where: `record [${step.value.index}]` };
  }
  return { format, records: records() };
}

/** Detects the format and yields the raw records with where they are. */
function* recordsOf(text: string): Generator<void, { format: ImportFormat; records: Iterable<Read> }> {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') throw new ImportRefused('the file is empty');
  if (body.startsWith('[')) return yield* arrayRecords(body.trimEnd());
  if (body.startsWith('{')) {
    let first: unknown;
    try {
      first = JSON.parse(firstLine(body));
    } catch (e) {
      // Say why (a truncated or damaged line reads differently from a pretty-printed object).
      throw new ImportRefused(`line 1 is not a JSON object: ${(e as Error).message.slice(0, 160)} (a single pretty-printed object is not a supported format); ${EXPECTED}`);
    }
    const format = formatOfRecord(first);
    if (!format) throw new ImportRefused(`the first record has no schema "${TRAJECTORY_SCHEMA}", conversations, agent_conversations or turn_values; ${EXPECTED}`);
    return { format, records: jsonLines(body) };
  }
  throw new ImportRefused(`not JSON; ${EXPECTED}`);
}

/** Refuses a record with more than MAX_IMPORT_STEPS steps before its schema is checked. */
function checkSize(format: ImportFormat, value: unknown): void {
  if (!isObject(value)) return;
  const field = format === 'studio' ? 'steps' : format === 'spa-rl-exploration' ? 'agent_conversations' : 'conversations';
  const list = value[field];
  if (!Array.isArray(list)) return;
  // A conversation has two messages per step, plus the instruction, "OK", the ICL example and the task.
  const limit = format === 'studio' ? MAX_IMPORT_STEPS : 2 * MAX_IMPORT_STEPS + 32;
  if (list.length > limit) {
    throw new RecordError(field, `has ${list.length} ${format === 'studio' ? 'steps' : 'messages'}; an imported trajectory may have at most ${MAX_IMPORT_STEPS} steps`);
  }
}

interface Converted {
  trajectory: RunTrajectory;
  annotations: Annotation[];
}

/** One raw record → a trajectory in the new run, or a thrown message naming the field. */
function convert(format: ImportFormat, value: unknown, index: number, env: EnvName | null, notes: Set<string>): Converted {
  checkSize(format, value);
  if (format === 'studio') {
    const parsed = StudioRecordSchema.safeParse(value);
    if (!parsed.success) throw new Error(issueText(parsed.error));
    const { annotations = [], update: _update, stage: _stage, ...rest } = parsed.data;
    const trajectory: RunTrajectory = { ...rest, stage: 'import' };
    annotations.forEach((a, i) => {
      if (a.trajectoryId !== trajectory.id) throw new RecordError(`annotations.${i}.trajectoryId`, `names ${quote(a.trajectoryId)}, not this trajectory (${quote(trajectory.id)})`);
      if (a.step >= trajectory.steps.length) throw new RecordError(`annotations.${i}.step`, `step ${a.step} is past the trajectory's ${trajectory.steps.length} steps`);
    });
    return { trajectory, annotations };
  }
  if (format === 'spa-rl-exploration') {
    const parsed = ExplorationRecordSchema.safeParse(value);
    if (!parsed.success) throw new Error(issueText(parsed.error));
    const r = parsed.data;
    const ep = readConversation({ messages: r.agent_conversations, field: 'agent_conversations', roleField: 'role' }, r, true, env);
    if (ep.turns.length > MAX_IMPORT_STEPS) throw new RecordError('agent_conversations', `has ${ep.turns.length} agent turns; an imported trajectory may have at most ${MAX_IMPORT_STEPS} steps`);
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
  if (ep.turns.length > MAX_IMPORT_STEPS) throw new RecordError('conversations', `has ${ep.turns.length} agent turns; an imported trajectory may have at most ${MAX_IMPORT_STEPS} steps`);
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

/** The import as a sliced job: it yields after every record (see json-slices.ts). */
function* importJob(text: string): Generator<void, ImportedFile> {
  const { format, records } = yield* recordsOf(text);
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
      yield;
      continue;
    }
    try {
      const { trajectory, annotations: notesOf } = convert(format, rec.value, i, env, notes);
      if (env && trajectory.env !== env) throw new RecordError('env', `is ${trajectory.env}; this import's environment is ${env} (the first record's)`);
      if (seen.has(trajectory.id)) throw new RecordError('id', `${quote(trajectory.id)} appears twice`);
      env ??= trajectory.env;
      seen.add(trajectory.id);
      trajectories.push(trajectory);
      annotations.push(...notesOf);
    } catch (e) {
      problems.push(`${rec.where}: ${(e as Error).message}`);
    }
    yield;
  }
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  if (problems.length > listed.length) listed.push(`… and ${problems.length - listed.length} more records skipped`);
  if (!env || trajectories.length === 0) {
    throw new ImportRefused(`no valid record (read as ${format}; ${problems.length} refused)${listed.length ? `: ${listed.join('; ')}` : ''}`);
  }
  return { format, env, trajectories, annotations, skipped: problems.length, warnings: [...listed, ...notes] };
}

/** Parses a whole file in one go. Throws ImportRefused when the format is unknown or no record is valid. */
export function importText(text: string): ImportedFile {
  return runToEnd(importJob(text));
}

/** importText that gives the event loop a turn every few milliseconds (what the studio uses). */
export function importTextSliced(text: string): Promise<ImportedFile> {
  return runSliced(importJob(text));
}
