/**
 * The SPA-RL on-disk formats (docs: spa-rl-method.md §4) as zod schemas, and the two-way
 * mapping between their records and our trajectories:
 *
 *   §4.1 SFT         {id, conversations: [{from: human|gpt, value}]}  (instruction, "OK", task, a1, o1, …, aT)
 *                    §4.3 PE training data is the same shape plus agent_final_reward/iteration/success
 *   §4.2 exploration {id, iteration, agent_conversations: [{role, content}], agent_final_reward, success?}
 *                    (instruction, "OK", the ICL example, task, a1, o1, …, possibly the final observation)
 *   §4.4 inference   §4.3 record plus turn_values (c_t per gpt turn, "OK" first), prediction, ground_truth, loss
 *
 * These formats keep only the conversation, so an import cannot recover what they never had:
 * oracle progress is 0 (meta.oracleProgress = false says so), the task type is read from the
 * task message where the environment writes it, and step rewards are 0 except the last.
 */
import { z } from 'zod';
import { parseGoal } from '../../envs/alfworld/goals';
import { toChat, toSftRecord, type SftRecord } from '../../envs/core/conversation';
import { ICL_EXAMPLES, INSTRUCTIONS, type ChatMessage } from '../../envs/core/prompts';
import { HOUSEHOLD_FORMAT_ERROR, NOTHING_HAPPENS, parseTurn, WEBSHOP_FORMAT_ERROR } from '../../envs/core/react';
import { parseTaskId } from '../../envs/core/task-id';
import { ENV_NAMES, type EnvName, type Split } from '../../envs/core/types';
import { TRAJECTORY_SCHEMA, type StepRecord, type Trajectory } from '../../common/trajectory';

const Id = z.union([z.number(), z.string()]);
const Reward = z.union([z.number(), z.boolean()]);

export const SftMessageSchema = z.object({ from: z.enum(['human', 'gpt']), value: z.string() });
export const ChatMessageSchema = z.object({ role: z.enum(['user', 'assistant']), content: z.string() });

/** §4.1 (and §4.3, which adds the reward keys). Unknown keys are kept by the parser, ignored here. */
export const SftRecordSchema = z.looseObject({
  id: Id.optional(),
  conversations: z.array(SftMessageSchema).min(3, 'needs at least the instruction, "OK" and the task message'),
  game_file: z.string().optional(),
  path: z.string().optional(),
  task: z.string().optional(),
  iteration: z.number().int().min(0).optional(),
  agent_final_reward: Reward.optional(),
  success: z.boolean().optional(),
});
export type SftImportRecord = z.infer<typeof SftRecordSchema>;

export const ExplorationRecordSchema = z.looseObject({
  id: Id,
  iteration: z.number().int().min(0).optional(),
  agent_conversations: z.array(ChatMessageSchema).min(3, 'needs at least the instruction, "OK" and the task message'),
  agent_final_reward: Reward,
  time: z.number().optional(),
  success: z.boolean().optional(),
  game_file: z.string().optional(),
  path: z.string().optional(),
  task: z.string().optional(),
});
export type ExplorationRecord = z.infer<typeof ExplorationRecordSchema>;

export const InferenceRecordSchema = SftRecordSchema.extend({
  sample_id: z.number().int().optional(),
  prediction: z.number().optional(),
  ground_truth: z.number().optional(),
  loss: z.number().optional(),
  turn_values: z.array(z.number()),
});
export type InferenceRecord = z.infer<typeof InferenceRecordSchema>;

export type SpaRlFormat = 'spa-rl-sft' | 'spa-rl-exploration' | 'spa-rl-inference';

/** A record that parsed but does not make a trajectory; `path` names the field. */
export class RecordError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`at ${path}: ${message}`);
  }
}

// ---------- environment and task details from the conversation ----------

/**
 * Which environment wrote a record: the key only one environment writes, else the instruction
 * (verbatim, or by its telltale lines), else WebShop's "[SEP]" pages.
 */
export function detectEnv(instruction: string, taskMessage: string, keys: { game_file?: unknown; path?: unknown }): EnvName | null {
  for (const env of ENV_NAMES) if (instruction === INSTRUCTIONS[env]) return env;
  if (typeof keys.game_file === 'string') return 'alfworld';
  if (typeof keys.path === 'string') return 'virtualhome';
  if (instruction.startsWith('You are web shopping')) return 'webshop';
  if (instruction.includes('walk to {obj}')) return 'virtualhome';
  if (instruction.includes('go to {recep}')) return 'alfworld';
  if (taskMessage.includes('[SEP]')) return 'webshop';
  return null;
}

const ALFWORLD_GOAL = /Your task is to:\s*(.+?)\.?\s*$/m;
const WEBSHOP_GOAL = /Instruction:\s*\[SEP\]\s*(.+?)\s*\[SEP\]/;
const VH_TASK = /The task is (.+?) \((.+)\)\.?\s*$/;

/** Goal and task type as far as the task message tells them. */
export function taskDetails(env: EnvName, taskMessage: string): { goal: string; taskType: string | null } {
  const m = env === 'alfworld' ? ALFWORLD_GOAL.exec(taskMessage) : env === 'webshop' ? WEBSHOP_GOAL.exec(taskMessage) : VH_TASK.exec(taskMessage.trim());
  if (env === 'virtualhome' && m) return { goal: (m[2] ?? '').trim(), taskType: (m[1] ?? '').trim() || null };
  // ALFWorld goal sentences come from six templates, one family per task type.
  if (env === 'alfworld' && m) return { goal: (m[1] ?? '').trim(), taskType: parseGoal((m[1] ?? '').trim())?.taskType ?? null };
  if (m) return { goal: (m[1] ?? '').trim(), taskType: null };
  return { goal: taskMessage.trim().split('\n')[0]?.slice(0, 300) ?? '', taskType: null };
}

function splitOf(taskId: string): Split {
  try {
    return parseTaskId(taskId).split;
  } catch {
    return 'train'; // SPA-RL's SFT and exploration data are training tasks
  }
}

/** An action the environment did not execute, as its reply says. */
function invalidReply(observation: string): boolean {
  return observation.includes(NOTHING_HAPPENS) || observation.includes('Nothing happens') || observation === HOUSEHOLD_FORMAT_ERROR || observation === WEBSHOP_FORMAT_ERROR || observation.includes('Invalid action!');
}

// ---------- conversation → trajectory ----------

export interface Conversation {
  /** Messages as {role, content}, from the instruction on. */
  messages: ChatMessage[];
  /** Field holding the messages ("conversations" or "agent_conversations"), for error paths. */
  field: string;
  /** Name of the role field in error paths ("from" or "role"). */
  roleField: string;
}

export interface ImportedEpisode {
  env: EnvName;
  taskMessage: string;
  /** Agent turns with the user turn that answered each ('' when the record ends on the turn). */
  turns: { text: string; observation: string }[];
}

/**
 * Splits a conversation into instruction, task message and turns. The ICL example is dropped
 * when it is there: verbatim, or (exploration only, `iclAlways`) by its documented length.
 */
export function readConversation(conv: Conversation, keys: { game_file?: unknown; path?: unknown }, iclAlways: boolean, fallbackEnv: EnvName | null): ImportedEpisode {
  const { messages, field, roleField } = conv;
  const expect = (i: number, role: ChatMessage['role']) => {
    if (messages[i]?.role !== role) throw new RecordError(`${field}.${i}.${roleField}`, `expected a ${role === 'user' ? 'human/user' : 'gpt/assistant'} message (turns alternate, starting with the instruction)`);
  };
  expect(0, 'user');
  expect(1, 'assistant');
  const instruction = messages[0]?.content ?? '';
  let start = 2;
  const guess = detectEnv(instruction, messages[2]?.content ?? '', keys);
  // What the record says wins; the import's environment only fills in when it says nothing.
  const env = guess ?? fallbackEnv;
  if (!env) throw new RecordError(`${field}.0`, 'cannot tell the environment: no game_file or path key, and the instruction is not one of alfworld, webshop, virtualhome');
  const icl = ICL_EXAMPLES[env];
  const hasIcl = icl.every((m, i) => messages[2 + i]?.role === m.role && messages[2 + i]?.content === m.content);
  if (hasIcl || (iclAlways && messages.length > 2 + icl.length)) start = 2 + icl.length;
  expect(start, 'user');
  const turns: ImportedEpisode['turns'] = [];
  for (let i = start + 1; i < messages.length; i += 2) {
    expect(i, 'assistant');
    if (i + 1 < messages.length) expect(i + 1, 'user');
    turns.push({ text: messages[i]?.content ?? '', observation: messages[i + 1]?.content ?? '' });
  }
  return { env, taskMessage: messages[start]?.content ?? '', turns };
}

export interface EpisodeOutcome {
  taskId: string;
  taskType: string | null;
  policy: string;
  seed: number;
  finalReward: number;
  success: boolean;
  /** c_t of the "OK" turn, then one per agent turn (inference records). */
  turnValues?: number[];
  meta: Record<string, unknown>;
}

export function episodeToTrajectory(ep: ImportedEpisode, out: EpisodeOutcome, id: string): Trajectory {
  const style = ep.env === 'webshop' ? 'webshop' : 'household';
  const last = ep.turns.length - 1;
  const steps = ep.turns.map((turn, i): StepRecord => {
    const parsed = parseTurn(turn.text, style);
    const step: StepRecord = {
      text: turn.text,
      thought: parsed.thought,
      action: parsed.action,
      observation: turn.observation,
      valid: parsed.action !== null && !invalidReply(turn.observation),
      reward: i === last ? out.finalReward : 0,
      progress: 0,
    };
    const c = out.turnValues?.[i + 1];
    if (c !== undefined) step.contribution = c;
    return step;
  });
  const details = taskDetails(ep.env, ep.taskMessage);
  const traj: Trajectory = {
    schema: TRAJECTORY_SCHEMA,
    id,
    env: ep.env,
    split: splitOf(out.taskId),
    taskId: out.taskId,
    taskType: out.taskType ?? details.taskType ?? 'unknown',
    goal: details.goal,
    policy: out.policy,
    seed: out.seed,
    initialObservation: ep.taskMessage,
    steps,
    finalReward: out.finalReward,
    success: out.success,
    terminated: out.success,
    truncated: false,
    meta: out.meta,
  };
  if (out.turnValues && out.turnValues.length > 0) traj.ackContribution = out.turnValues[0] as number;
  return traj;
}

/** Success and final reward from SPA-RL's keys (bool for ALFWorld/VirtualHome, a score for WebShop). */
export function outcomeOf(reward: number | boolean | undefined, success: boolean | undefined): { finalReward: number; success: boolean } | null {
  if (reward === undefined && success === undefined) return null;
  const finalReward = typeof reward === 'boolean' ? (reward ? 1 : 0) : (reward ?? (success ? 1 : 0));
  return { finalReward, success: success ?? (typeof reward === 'boolean' ? reward : finalReward >= 1) };
}

export function taskIdOf(record: { game_file?: string; path?: string; id?: number | string }, index: number): string {
  const id = record.game_file ?? record.path ?? (record.id !== undefined ? String(record.id) : '');
  return id.trim() === '' ? `record-${index}` : id;
}

export function sftMessages(conversations: readonly { from: 'human' | 'gpt'; value: string }[]): ChatMessage[] {
  return conversations.map((m) => ({ role: m.from === 'human' ? 'user' : 'assistant', content: m.value }));
}

// ---------- trajectory → SPA-RL records ----------

/** agent_final_reward as SPA-RL writes it: the score for WebShop, success for the others. */
function finalRewardKey(t: Trajectory): number | boolean {
  return t.env === 'webshop' ? t.finalReward : t.success;
}

function taskKeys(t: Trajectory): { game_file?: string; path?: string; task?: string } {
  if (t.env === 'alfworld') return { game_file: t.taskId };
  if (t.env === 'virtualhome') return { path: t.taskId, task: t.taskType };
  return {};
}

/** §4.1: instruction, "OK", task, then the agent's turns and the observations between them. */
export function toSftExport(t: Trajectory, index: number): SftRecord {
  return toSftRecord(t, index);
}

/** §4.2: the full exploration prompt (with the ICL example) and the final observation. */
export function toExplorationRecord(t: Trajectory, iteration: number): ExplorationRecord {
  const chat = toChat(t, { icl: true });
  const lastStep = t.steps.at(-1);
  if (lastStep) chat.push({ role: 'user', content: lastStep.observation });
  return {
    id: t.taskId,
    iteration,
    agent_conversations: chat,
    agent_final_reward: finalRewardKey(t),
    ...(t.env === 'webshop' ? { success: t.success } : {}),
    ...taskKeys(t),
  };
}

/**
 * §4.4: the §4.3 conversation with c_t per gpt turn ("OK" first). Only the scored prefix of
 * the steps is written (the original truncates the same way); null when nothing is scored.
 */
export function toInferenceRecord(t: Trajectory, sampleId: number, iteration: number): InferenceRecord | null {
  const values: number[] = [];
  for (const s of t.steps) {
    if (s.contribution === undefined) break;
    values.push(s.contribution);
  }
  if (values.length === 0) return null;
  // Without includeAckStep the "OK" turn has no c_0; 0 keeps Σ c_t the estimator's prediction.
  const turnValues = [t.ackContribution ?? 0, ...values];
  const prediction = turnValues.reduce((a, b) => a + b, 0);
  const groundTruth = t.env === 'webshop' ? t.finalReward : t.success ? 1 : 0;
  const sft = toSftRecord(t, t.taskId);
  return {
    sample_id: sampleId,
    prediction,
    ground_truth: groundTruth,
    loss: (prediction - groundTruth) ** 2,
    turn_values: turnValues,
    conversations: sft.conversations,
    id: t.taskId,
    iteration,
    agent_final_reward: finalRewardKey(t),
    ...(t.env === 'webshop' ? { success: t.success } : {}),
    ...taskKeys(t),
  };
}
