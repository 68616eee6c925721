/**
 * Trajectories as SPA-RL conversations: the prompt layout of eval_agent/prompt/templates.py
 * (`[instruction, "OK", one ICL example, task message, …]`) and the SFT data format of
 * ETO/SPA-RL (`{id, conversations: [{from: human|gpt, value}]}`, without the ICL example,
 * ending on the agent's last turn).
 */
import type { Trajectory } from '../../common/trajectory';
import { ICL_EXAMPLES, INSTRUCTIONS, type ChatMessage } from './prompts';

export interface SftMessage {
  from: 'human' | 'gpt';
  value: string;
}

export interface SftRecord {
  id: number | string;
  conversations: SftMessage[];
  /** ALFWorld records name their game; ours is the task id. */
  game_file?: string;
  /** VirtualHome records name their program; ours is the task id. */
  path?: string;
  task?: string;
}

/** The turns of the episode itself: task message, then agent turn / observation pairs. */
function episodeMessages(traj: Trajectory): ChatMessage[] {
  const out: ChatMessage[] = [{ role: 'user', content: traj.initialObservation }];
  traj.steps.forEach((step, i) => {
    out.push({ role: 'assistant', content: step.text });
    // The conversation ends on the agent's last turn, as in SPA-RL's data.
    if (i < traj.steps.length - 1) out.push({ role: 'user', content: step.observation });
  });
  return out;
}

/** The full chat a policy is conditioned on: instruction, "OK", ICL example (optional), episode. */
export function toChat(traj: Trajectory, options: { icl?: boolean } = {}): ChatMessage[] {
  const head: ChatMessage[] = [
    { role: 'user', content: INSTRUCTIONS[traj.env] },
    { role: 'assistant', content: 'OK' },
  ];
  const icl = options.icl === false ? [] : ICL_EXAMPLES[traj.env];
  return [...head, ...icl, ...episodeMessages(traj)];
}

/** One trajectory in the SPA-RL SFT format (data/<env>_sft.json records). */
export function toSftRecord(traj: Trajectory, id: number | string): SftRecord {
  const conversations = toChat(traj, { icl: false }).map(
    (m): SftMessage => ({ from: m.role === 'user' ? 'human' : 'gpt', value: m.content }),
  );
  const record: SftRecord = { id, conversations };
  if (traj.env === 'alfworld') record.game_file = traj.taskId;
  if (traj.env === 'virtualhome') {
    record.path = traj.taskId;
    record.task = traj.taskType;
  }
  return record;
}
