import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrajectory } from '../../../common/trajectory';
import { initBackend } from '../../../engine/backend';
import { createProgressHead } from '../../../engine/model/heads';
import { TransformerLM } from '../../../engine/model/transformer';
import { scoreAndFuse } from '../../../engine/pipeline/fusion';
import { ProgressEstimator } from '../../../engine/pipeline/progress';
import { buildEnvTokenizer } from '../../../engine/tokenizer';
import { RandomValidPolicy, rollout } from '../../../envs/core/rollout';
import { ENVIRONMENTS, makeEnv } from '../../../envs/registry';

const tok = buildEnvTokenizer('alfworld', { tasks: 20 });
const env = makeEnv('alfworld');
const TASK = 'alfworld/v1/train/40';
const trajs = [
  rollout(env, ENVIRONMENTS.alfworld.createExpert(), { task: TASK, policyName: 'expert' }),
  rollout(env, new RandomValidPolicy(env, 2), { task: TASK, policyName: 'random', maxSteps: 6 }),
];
trajs[1]!.steps[2]!.valid = false; // one ungrounded step
const config = { vocabSize: tok.vocabSize, dModel: 32, nLayers: 1, nHeads: 2, dFF: 64, context: 2048 };

beforeAll(async () => {
  await initBackend('wasm');
});

describe('per-step inference and reward fusion', () => {
  it('r_t = c_t + 0.5·g_t with the last step grounded; c_t stored on the steps; the "OK" step first in the full layout', () => {
    const pe = new ProgressEstimator(new TransformerLM(config, { seed: 1 }), createProgressHead(config, { seed: 1 }));
    const full = scoreAndFuse(pe, tok, trajs, { context: 2048, reserve: 48, layout: 'full', includeAckStep: true }, { alpha: 1, beta: 0.5, stepValueSource: 'pe' });
    const [expert, random] = full.trajectories;
    expect(full.stepRewards[0]).toHaveLength(expert!.steps.length + 1);
    expect(full.stepRewards[0]![0]).toBeCloseTo(expert!.ackContribution! + 0.5, 6); // "OK" is scored against the task message: grounded
    random!.steps.forEach((s, j) => {
      const g = j === random!.steps.length - 1 || s.valid ? 1 : 0;
      expect(s.fusedReward).toBeCloseTo(s.contribution! + 0.5 * g, 6);
    });
    expect(random!.steps[2]!.fusedReward).toBeCloseTo(random!.steps[2]!.contribution!, 6);
    for (const t of full.trajectories) expect(parseTrajectory(JSON.parse(JSON.stringify(t)))).toEqual(t);
    const compact = scoreAndFuse(pe, tok, trajs, { context: 2048, reserve: 48, layout: 'compact', includeAckStep: true }, { alpha: 1, beta: 0.5, stepValueSource: 'pe' });
    expect(compact.stepRewards[0]).toHaveLength(expert!.steps.length);
    expect(compact.trajectories[0]!.ackContribution).toBeUndefined();
  });

  it('the LOO variant needs no estimator: every step of a rollout gets R_i − mean of the other rollouts of its task', () => {
    const loo = scoreAndFuse(null, tok, trajs, { context: 2048, reserve: 48, layout: 'compact', includeAckStep: false }, { alpha: 1, beta: 0, stepValueSource: 'looNormalisedFinal' });
    expect(new Set(loo.stepRewards[0])).toEqual(new Set([1 - 0]));
    expect(new Set(loo.stepRewards[1])).toEqual(new Set([0 - 1]));
    expect(() => scoreAndFuse(null, tok, trajs, { context: 2048, reserve: 48, layout: 'compact', includeAckStep: false }, { alpha: 1, beta: 0.5, stepValueSource: 'pe' })).toThrow(/needs a progress estimator/);
  });
});
