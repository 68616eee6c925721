import { describe, expect, it } from 'vitest';
import type { RunTrajectory } from '../../../common/run-schema';
import { HOUSEHOLD_FORMAT_ERROR } from '../../../envs/core/react';
import { failureProfile } from '../../../main/services/report/failure-modes';

type Turn = 'ok' | 'nothing' | 'no-action';

function episode(stage: string, turns: readonly Turn[], end: { success?: boolean; terminated?: boolean }): RunTrajectory {
  return {
    schema: 'spa-studio/trajectory@1',
    id: `t-${Math.random()}`,
    env: 'alfworld',
    split: 'seen',
    taskId: 'alfworld/v1/seen/0',
    taskType: 'pick',
    goal: 'put a mug in the cabinet',
    policy: 'sft-eval',
    seed: 0,
    initialObservation: 'Your task is to: put a mug in the cabinet.',
    steps: turns.map((turn) => ({
      text: turn === 'no-action' ? 'Thought: the mug the mug the mug' : `Thought: go.\nAction: go to ${turn === 'ok' ? 'shelf 1' : 'moon 1'}`,
      thought: 'go.',
      action: turn === 'no-action' ? null : turn === 'ok' ? 'go to shelf 1' : 'go to moon 1',
      observation: turn === 'no-action' ? HOUSEHOLD_FORMAT_ERROR : turn === 'ok' ? 'Observation: You arrive at shelf 1.' : 'Observation: Nothing happens.',
      valid: turn === 'ok',
      reward: 0,
      progress: 0,
    })),
    finalReward: end.success ? 1 : 0,
    success: end.success ?? false,
    terminated: end.terminated ?? end.success ?? false,
    truncated: !(end.terminated ?? end.success ?? false),
    stage,
  };
}

describe('failureProfile', () => {
  it('sorts evaluation episodes by how they ended and turns by what went wrong', () => {
    const p = failureProfile([
      episode('eval-seen', ['ok', 'ok'], { success: true }),
      episode('eval-seen', ['ok', 'nothing'], { terminated: true }),
      episode('eval-unseen', ['ok', 'no-action', 'no-action', 'no-action'], {}), // stuck: the same turn three times
      episode('eval-unseen', ['nothing', 'ok', 'nothing', 'ok'], {}), // out of steps, but not repeating itself
      episode('train', ['no-action', 'no-action', 'no-action'], {}), // a PPO rollout: not evaluation
    ]);
    expect(p).toEqual({
      episodes: 4,
      solved: 0.25,
      finishedUnsolved: 0.25,
      outOfSteps: 0.5,
      stuck: 0.25,
      turns: 12,
      noAction: 3 / 12,
      notExecutable: 3 / 12,
      // after an executed action: ok, nothing, no-action, nothing (one per episode) → 1 of 4;
      // after a failed turn: no-action, no-action (episode 3), ok, ok (episode 4) → 2 of 4
      noActionAfterSuccess: 1 / 4,
      noActionAfterFailure: 2 / 4,
    });
  });

  it('calls an episode stuck when it retries one action with reworded thoughts', () => {
    const t = episode('eval-seen', ['nothing', 'nothing', 'nothing'], {});
    t.steps.forEach((s, i) => (s.text = `Thought: attempt ${i}.\nAction: ${s.action}`));
    expect(failureProfile([t])?.stuck).toBe(1);
  });

  it('is null for a run without evaluation episodes', () => {
    expect(failureProfile([episode('explore', ['ok'], { success: true })])).toBeNull();
  });

  it('does not call an episode stuck when it has fewer turns than the window', () => {
    expect(failureProfile([episode('eval-seen', ['no-action', 'no-action'], {})])?.stuck).toBe(0);
  });
});
