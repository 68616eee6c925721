import { describe, expect, it } from 'vitest';
import {
  fuseRewards,
  fusedStepRewards,
  grounding,
  looNormalisedFinal,
  outcomeStepRewards,
  type FusionTrajectory,
} from '../../../engine/algo/reward-fusion';
import { tokenRewards } from '../../../engine/algo/token-rewards';

const step = (observation: string, valid = true) => ({ valid, observation });

// Method doc 4.5: the "OK" step is answered by the task message; step 1 valid; step 2 "Nothing happens."; step 3 last.
const worked: FusionTrajectory = {
  taskId: 'alfworld/v1/train/0',
  finalReward: 1,
  initialObservation: 'Your task is to: put a clean apple in fridge.',
  steps: [step('Observation: You arrive at countertop 1.'), step('Observation: Nothing happens.', false), step('Observation: You put the apple.')],
  contributions: [0.05, 0.2, -0.1, 0.85],
};

describe('grounding', () => {
  it('is the valid flag, with the last step forced to 1', () => {
    const traj = { initialObservation: 'task', steps: [step('a', true), step('b', false), step('c', false)] };
    expect(grounding(traj, { includeAckStep: false })).toEqual([1, 0, 1]);
    expect(grounding(traj, { includeAckStep: true })).toEqual([1, 1, 0, 1]);
  });
  it('code parity reads "Nothing happens" in the next observation and ignores format errors', () => {
    const traj = {
      initialObservation: 'task',
      steps: [step("Observation: Error Input. Your input must contains 'Action: '", false), step('Observation: Nothing happens.', false), step('x')],
    };
    expect(grounding(traj, { source: 'valid', includeAckStep: false })).toEqual([0, 0, 1]);
    expect(grounding(traj, { source: 'observation', includeAckStep: false })).toEqual([1, 0, 1]);
  });
  it('a one-step trajectory is grounded; an empty one has no steps', () => {
    expect(grounding({ initialObservation: 't', steps: [step('Nothing happens', false)] }, { includeAckStep: false })).toEqual([1]);
    expect(grounding({ initialObservation: 't', steps: [] }, { includeAckStep: false })).toEqual([]);
    expect(grounding({ initialObservation: 't', steps: [] }, { includeAckStep: true })).toEqual([1]);
  });
});

describe('fuseRewards', () => {
  it('r = α·c + β·g with α = 1, β = 0.5 by default (method doc 4.5 row "reward")', () => {
    const r = fuseRewards([0.05, 0.2, -0.1, 0.85], [1, 1, 0, 1]);
    [0.55, 0.7, -0.1, 1.35].forEach((x, i) => expect(r[i]).toBeCloseTo(x, 12));
  });
  it('ablations: β = 0 keeps c, α = 0 keeps 0.5·g', () => {
    expect(fuseRewards([0.3, -0.2], [0, 1], { beta: 0 })).toEqual([0.3, -0.2]);
    expect(fuseRewards([0.3, -0.2], [0, 1], { alpha: 0 })).toEqual([0, 0.5]);
    expect(fuseRewards([2], [1], { alpha: 0.5, beta: 2 })).toEqual([3]);
  });
  it('refuses mismatched lengths', () => {
    expect(() => fuseRewards([1, 2], [1])).toThrow(/2 step values but 1/);
  });
});

describe('looNormalisedFinal', () => {
  it('R = [1,0,0,1,1] gives 0.5 for a success and −0.75 for a failure (method doc 4.5)', () => {
    const v = looNormalisedFinal([1, 0, 0, 1, 1].map((finalReward) => ({ taskId: 't', finalReward })));
    expect(v).toEqual([0.5, -0.75, -0.75, 0.5, 0.5]);
  });
  it('groups by task and gives a single rollout R itself', () => {
    const v = looNormalisedFinal([
      { taskId: 'a', finalReward: 0.8 },
      { taskId: 'b', finalReward: 0.25 },
      { taskId: 'a', finalReward: 0.2 },
    ]);
    expect(v[0]).toBeCloseTo(0.6, 12);
    expect(v[1]).toBe(0.25);
    expect(v[2]).toBeCloseTo(-0.6, 12);
  });
});

describe('fusedStepRewards', () => {
  it('PE values with the "OK" step reproduce method doc 4.5, and ×(T−1−j) gives 1.65, 1.40, −0.10, 0', () => {
    const [r] = fusedStepRewards([worked], { stepValueSource: 'pe', includeAckStep: true });
    [0.55, 0.7, -0.1, 1.35].forEach((x, i) => expect(r?.[i]).toBeCloseTo(x, 12));
    const tok = tokenRewards({ kl: [0, 0, 0, 0], klCoef: 0.3, stepEnds: [0, 1, 2, 3], stepRewards: r ?? [], multiplier: 'stepToolRemainingSteps' });
    [1.65, 1.4, -0.1, 0].forEach((x, i) => expect(tok[i]).toBeCloseTo(x, 12));
  });
  it('LOO values are constant across steps; every step gets v + β·g', () => {
    const trajs: FusionTrajectory[] = [1, 0, 0, 1, 1].map((R) => ({ ...worked, finalReward: R, contributions: undefined, taskId: 'same' }));
    const out = fusedStepRewards(trajs, { stepValueSource: 'looNormalisedFinal', includeAckStep: true });
    expect(out[0]).toEqual([1, 1, 0.5, 1]); // 0.5 + 0.5·[1,1,0,1]
    expect(out[1]).toEqual([-0.25, -0.25, -0.75, -0.25]); // −0.75 + 0.5·g
  });
  it('without the "OK" step the PE values must cover the environment steps only', () => {
    expect(() => fusedStepRewards([worked], { includeAckStep: false })).toThrow(/4 PE values for 3 steps/);
    const [r] = fusedStepRewards([{ ...worked, contributions: [0.2, -0.1, 0.85] }], { includeAckStep: false, beta: 0 });
    expect(r).toEqual([0.2, -0.1, 0.85]);
  });
  it('the sparse baseline puts R on the last step only', () => {
    expect(outcomeStepRewards(3, 0.75)).toEqual([0, 0, 0.75]);
    expect(outcomeStepRewards(0, 1)).toEqual([]);
  });
});
