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
 * The file is read as it streams in, record by record (record-splitter.ts): JSONL line by line,
 * a JSON array element by element, each record parsed, checked and handed on before the next is
 * read, so memory holds one record and the event loop gets a turn every few milliseconds — a
 * 100 MB import must not freeze the app (the Electron main process runs the window's UI thread;
 * browser mode's server has one thread for every request). `importStream` is what the studio
 * uses; `importText` is the same work on a whole text in one go (tests, small inputs).
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
import { nextTurn, SLICE_MS } from './json-slices';
import { RecordSplitter, StructureError, type SplitItem } from './record-splitter';

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

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `at ${issue && issue.path.length ? issue.path.join('.') : '(root)'}: ${issue?.message ?? 'invalid'}`;
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

export interface Converted {
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

/** What an import found, without the trajectories (they went to the sink one by one). */
export interface ImportSummary {
  format: ImportFormat;
  env: EnvName;
  trajectories: number;
  successes: number;
  /** Studio files carry annotations; they are kept with the trajectories. */
  annotations: Annotation[];
  skipped: number;
  warnings: string[];
}

/**
 * Turns the splitter's raw records into checked trajectories, one at a time, and keeps what the
 * whole file decides: its format (the first record's), its environment, the ids seen, the
 * records refused. Throws ImportRefused where the whole file must be refused.
 */
class ImportReader {
  format: ImportFormat | null = null;
  private env: EnvName | null = null;
  private index = 0;
  private trajectories = 0;
  private successes = 0;
  private readonly annotations: Annotation[] = [];
  /** The first MAX_LISTED_PROBLEMS refusals (a hostile file may have millions) and how many in all. */
  private readonly problems: string[] = [];
  private refused = 0;
  private readonly notes = new Set<string>();
  private readonly seen = new Set<string>();
  /** Array elements before the first object (the format is not known yet). */
  private held: { value: unknown; where: string; index: number }[] = [];

  constructor(private readonly splitter: RecordSplitter) {}

  /** The splitter's records of one chunk (or of the file's end), checked and converted. */
  read(split: () => SplitItem[]): Converted[] {
    let items: SplitItem[];
    try {
      items = split();
    } catch (e) {
      if (!(e instanceof StructureError)) throw e;
      if (e.kind === 'not-json') throw new ImportRefused(`not JSON; ${EXPECTED}`);
      throw new ImportRefused(`the file starts like a JSON array but is not valid JSON (${e.message.slice(0, 160)})`);
    }
    const out: Converted[] = [];
    for (const item of items) this.readItem(item, out);
    return out;
  }

  private readItem(item: SplitItem, out: Converted[]): void {
    const index = this.index++;
    const lines = this.splitter.kind === 'lines';
    if ('error' in item) {
      if (lines && !this.format) throw new ImportRefused(`${item.where} is ${item.error}; ${EXPECTED}`);
      this.refuse(`${item.where}: ${item.error}`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(item.text) as unknown;
    } catch (e) {
      const message = (e as Error).message.slice(0, 160);
      // Past a broken element, array boundaries mean nothing: refuse the whole file.
      if (!lines) throw new ImportRefused(`the file starts like a JSON array but is not valid JSON: ${item.where}: ${message}`);
      // Say why (a truncated or damaged line reads differently from a pretty-printed object).
      if (!this.format) throw new ImportRefused(`${item.where} is not a JSON object: ${message} (a single pretty-printed object is not a supported format); ${EXPECTED}`);
      this.refuse(`${item.where}: not valid JSON (${message.slice(0, 120)})`);
      return;
    }
    if (!this.format) {
      if (lines) {
        this.format = formatOfRecord(value);
        if (!this.format) throw new ImportRefused(`the first record has no schema "${TRAJECTORY_SCHEMA}", conversations, agent_conversations or turn_values; ${EXPECTED}`);
      } else {
        this.held.push({ value, where: item.where, index });
        if (!isObject(value)) return;
        this.format = formatOfRecord(value);
        if (!this.format) throw new ImportRefused(`no record in the array has conversations, agent_conversations or turn_values; ${EXPECTED}`);
        if (this.format === 'studio') throw new ImportRefused('studio trajectories are JSON Lines (one per line), not a JSON array');
        const held = this.held;
        this.held = [];
        for (const h of held) this.accept(h.value, h.where, h.index, out);
        return;
      }
    }
    this.accept(value, item.where, index, out);
  }

  private accept(value: unknown, where: string, index: number, out: Converted[]): void {
    try {
      const converted = convert(this.format!, value, index, this.env, this.notes);
      const { trajectory } = converted;
      if (this.env && trajectory.env !== this.env) throw new RecordError('env', `is ${trajectory.env}; this import's environment is ${this.env} (the first record's)`);
      if (this.seen.has(trajectory.id)) throw new RecordError('id', `${quote(trajectory.id)} appears twice`);
      this.env ??= trajectory.env;
      this.seen.add(trajectory.id);
      this.trajectories++;
      if (trajectory.success) this.successes++;
      this.annotations.push(...converted.annotations);
      out.push(converted);
    } catch (e) {
      this.refuse(`${where}: ${(e as Error).message}`);
    }
  }

  private refuse(problem: string): void {
    if (this.refused++ < MAX_LISTED_PROBLEMS) this.problems.push(problem);
  }

  /** The summary, or ImportRefused when the file held no valid record. */
  finish(): ImportSummary {
    if (!this.splitter.kind) throw new ImportRefused('the file is empty');
    const listed = [...this.problems];
    if (this.refused > listed.length) listed.push(`… and ${this.refused - listed.length} more records skipped`);
    if (!this.format) {
      if (this.held.length) throw new ImportRefused(`no record in the array has conversations, agent_conversations or turn_values; ${EXPECTED}`);
      // Only records too long to read (an array's are skipped one by one, not refused at once).
      if (this.refused) throw new ImportRefused(`no record could be read: ${listed.join('; ')}`);
      throw new ImportRefused('the file is an empty JSON array');
    }
    if (!this.env || this.trajectories === 0) {
      throw new ImportRefused(`no valid record (read as ${this.format}; ${this.refused} refused)${listed.length ? `: ${listed.join('; ')}` : ''}`);
    }
    return {
      format: this.format,
      env: this.env,
      trajectories: this.trajectories,
      successes: this.successes,
      annotations: this.annotations,
      skipped: this.refused,
      warnings: [...listed, ...this.notes],
    };
  }
}

/**
 * Imports a file that arrives in chunks of text (a request body as it is received, a text cut
 * in pieces): each checked trajectory goes to `sink` as soon as its record has been read, and
 * the event loop gets a turn at least every SLICE_MS. Throws ImportRefused when the format is
 * unknown, the structure broken, or no record valid — possibly after the sink has taken some
 * records, so the caller keeps them somewhere it can throw away.
 */
export async function importStream(source: AsyncIterable<string> | Iterable<string>, sink: (converted: Converted) => void | Promise<void>): Promise<ImportSummary> {
  const splitter = new RecordSplitter();
  const reader = new ImportReader(splitter);
  let sliceStart = performance.now();
  const take = async (converted: Converted[]) => {
    for (const c of converted) {
      await sink(c);
      if (performance.now() - sliceStart >= SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
  };
  for await (const chunk of source) await take(reader.read(() => splitter.push(chunk)));
  await take(reader.read(() => splitter.end()));
  return reader.finish();
}

/** A whole text in one go. Throws ImportRefused when the format is unknown or no record is valid. */
export function importText(text: string): ImportedFile {
  const splitter = new RecordSplitter();
  const reader = new ImportReader(splitter);
  const converted = [...reader.read(() => splitter.push(text)), ...reader.read(() => splitter.end())];
  const { format, env, annotations, skipped, warnings } = reader.finish();
  return { format, env, trajectories: converted.map((c) => c.trajectory), annotations, skipped, warnings };
}

/** Pieces of a text for importStream (slices of a flat string share its memory). */
export function* textChunks(text: string, size = 256 * 1024): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
