import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJsonl, toJsonl } from '../../../common/jsonl';
import { parseTrajectory } from '../../../common/trajectory';
import { toChat, toSftRecord } from '../../../envs/core/conversation';
import { ICL_EXAMPLES, INSTRUCTIONS } from '../../../envs/core/prompts';
import { rollout, RandomValidPolicy } from '../../../envs/core/rollout';
import { OrderEnforcing, TimeLimit } from '../../../envs/core/wrappers';
import { ToyEnv } from '../../helpers/toy-env';

function sampleTrajectories(n: number) {
  const env = new OrderEnforcing(new TimeLimit(new ToyEnv(), 6));
  return Array.from({ length: n }, (_, i) => rollout(env, new RandomValidPolicy(env, i), { task: `alfworld/v1/train/${i}`, seed: i, policyName: 'random-valid' }));
}

describe('prompts', () => {
  it('equal the SPA-RL resource files byte for byte', () => {
    for (const env of ['alfworld', 'webshop', 'virtualhome'] as const) {
      expect(INSTRUCTIONS[env]).toBe(readFileSync(`resources/spa-rl/${env}_inst.txt`, 'utf8'));
      expect(ICL_EXAMPLES[env]).toEqual(JSON.parse(readFileSync(`resources/spa-rl/${env}_icl.json`, 'utf8'))[0]);
    }
    expect(ICL_EXAMPLES.webshop).toHaveLength(8);
    expect(ICL_EXAMPLES.alfworld).toHaveLength(10);
  });
});

describe('trajectory JSONL', () => {
  it('round-trips exactly', () => {
    const trajs = sampleTrajectories(5);
    const text = toJsonl(trajs);
    const back = parseJsonl(text, parseTrajectory);
    expect(back.skipped).toEqual([]);
    expect(back.records).toEqual(trajs);
    expect(toJsonl(back.records)).toBe(text);
  });
  it('drops a torn last line and says so', () => {
    const text = toJsonl(sampleTrajectories(3));
    const torn = text.slice(0, text.length - 40);
    const back = parseJsonl(torn, parseTrajectory);
    expect(back.records).toHaveLength(2);
    expect(back.skipped).toHaveLength(1);
    expect(back.skipped[0]!.line).toBe(3);
  });
  it('refuses a record with a bad field and names it', () => {
    const [t] = sampleTrajectories(1);
    const bad = { ...t, steps: [{ ...t!.steps[0], valid: 'yes' }] };
    expect(() => parseTrajectory(bad)).toThrow(/steps\.0\.valid/);
  });
});

describe('SPA-RL SFT export', () => {
  it('alternates human/gpt from the instruction, "OK", task message, and ends on the last agent turn', () => {
    const [t] = sampleTrajectories(1);
    const rec = toSftRecord(t!, 7);
    expect(rec.id).toBe(7);
    expect(rec.game_file).toBe(t!.taskId);
    const c = rec.conversations;
    expect(c[0]).toEqual({ from: 'human', value: INSTRUCTIONS.alfworld });
    expect(c[1]).toEqual({ from: 'gpt', value: 'OK' });
    expect(c[2]).toEqual({ from: 'human', value: t!.initialObservation });
    expect(c.length).toBe(3 + 2 * t!.steps.length - 1);
    c.forEach((m, i) => expect(m.from).toBe(i % 2 === 0 ? 'human' : 'gpt'));
    expect(c.at(-1)).toEqual({ from: 'gpt', value: t!.steps.at(-1)!.text });
    // The steps can be read back from the conversation.
    const agentTurns = c.slice(3).filter((m) => m.from === 'gpt').map((m) => m.value);
    expect(agentTurns).toEqual(t!.steps.map((s) => s.text));
  });
  it('the chat with ICL has the 12-message prefix of exploration', () => {
    const [t] = sampleTrajectories(1);
    const chat = toChat(t!);
    expect(chat.slice(2, 12)).toEqual(ICL_EXAMPLES.alfworld);
    expect(chat[12]).toEqual({ role: 'user', content: t!.initialObservation });
  });
});
