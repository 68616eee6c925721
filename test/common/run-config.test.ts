import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig } from '../../common/run-config';

const valid: RunConfig = {
  env: 'alfworld',
  method: 'spa',
  preset: 'smoke',
  seed: 1,
  backend: 'auto',
  model: { dModel: 64, nLayers: 2, nHeads: 4, dFF: 256, context: 512 },
  prompt: { layout: 'compact', maxNewTokens: 48 },
  data: { expertTasks: 50, evalTasks: 20 },
  sft: { epochs: 2, lr: 1e-3, batchSize: 8 },
  explore: { tasks: 20, rolloutsPerTask: 4, temperature: 1 },
  estimator: { epochs: 2, lr: 1e-3, batchSize: 16, clipNorm: 1, warmup: 1 },
  reward: { alpha: 1, beta: 0.5, stepValueSource: 'pe', stepRewardMultiplier: 'none', includeAckStep: true },
  ppo: {
    mode: 'online',
    iterations: 4,
    batchSize: 16,
    miniBatchSize: 4,
    miniBatchUnit: 'trajectory',
    epochs: 4,
    lr: 1e-4,
    clip: 0.2,
    clipValue: 0.2,
    vfCoef: 0.1,
    gamma: 0.99,
    lambda: 0.95,
    gaeGranularity: 'token',
    temperature: 1,
    klInit: 0.3,
    klTarget: 6,
    klHorizon: 10000,
    adaptiveKl: true,
  },
  grpo: { groupSize: 4, klEstimator: 'lowVarKl', maxGradNorm: 1 },
  envFaults: { stepTimeoutMs: 10_000, maxErrorRate: 0.1 },
};

describe('run config', () => {
  it('accepts a complete config', () => {
    expect(parseRunConfig(structuredClone(valid))).toEqual(valid);
  });
  it('reads a config from before envFaults with the documented limits, and refuses a bad limit naming it', () => {
    const { envFaults: _, ...older } = structuredClone(valid);
    expect(parseRunConfig(older).envFaults).toEqual({ stepTimeoutMs: 10_000, maxErrorRate: 0.1 });
    expect(() => parseRunConfig({ ...valid, envFaults: { stepTimeoutMs: 10_000, maxErrorRate: 2 } })).toThrow(/envFaults\.maxErrorRate/);
  });
  it('names the offending field', () => {
    expect(() => parseRunConfig({ ...valid, model: { ...valid.model, nHeads: 3 } })).toThrow('Invalid run config at model.nHeads: dModel (64) must be divisible by nHeads (3)');
    expect(() => parseRunConfig({ ...valid, reward: { ...valid.reward, stepValueSource: 'oracle' } })).toThrow(/^Invalid run config at reward\.stepValueSource: /);
    expect(() => parseRunConfig({ ...valid, explore: { ...valid.explore, rolloutsPerTask: 1 } })).toThrow(/explore\.rolloutsPerTask/);
    expect(() => parseRunConfig({ ...valid, ppo: { ...valid.ppo, miniBatchSize: 32 } })).toThrow(/ppo\.miniBatchSize/);
    expect(() => parseRunConfig(null)).toThrow(/^Invalid run config at \(root\)/);
  });
});

describe('run config: fields added later', () => {
  it('a config written before estimator clipping and warmup existed still parses, with the code defaults', () => {
    const { clipNorm: _c, warmup: _w, ...oldEstimator } = valid.estimator;
    const parsed = parseRunConfig({ ...valid, estimator: oldEstimator });
    expect(parsed.estimator).toMatchObject({ clipNorm: 1, warmup: 1 });
  });
  it('a config written before the RL rollout temperature existed parses at temperature 1, as those runs sampled', () => {
    const { temperature: _t, ...oldPpo } = valid.ppo;
    expect(parseRunConfig({ ...valid, ppo: { ...oldPpo } }).ppo.temperature).toBe(1);
    expect(() => parseRunConfig({ ...valid, ppo: { ...valid.ppo, temperature: 0 } })).toThrow(/ppo\.temperature/);
  });
  it('estimator.schedule is absent unless set, so older configs keep their stage-cache keys (plan slices hash the estimator section)', () => {
    const parsed = parseRunConfig(valid);
    expect('schedule' in parsed.estimator).toBe(false);
    expect(JSON.stringify(parsed.estimator)).toBe(JSON.stringify(valid.estimator));
    expect(parseRunConfig({ ...valid, estimator: { ...valid.estimator, schedule: 'cosine' } }).estimator.schedule).toBe('cosine');
    expect(() => parseRunConfig({ ...valid, estimator: { ...valid.estimator, schedule: 'linear' } })).toThrow(/estimator\.schedule/);
  });

  it('a config written before ppo.miniBatchUnit existed parses as those runs trained: minibatches of rows', () => {
    const { miniBatchUnit: _u, ...oldPpo } = valid.ppo;
    expect(parseRunConfig({ ...valid, ppo: oldPpo }).ppo.miniBatchUnit).toBe('row');
    expect(() => parseRunConfig({ ...valid, ppo: { ...valid.ppo, miniBatchUnit: 'token' } })).toThrow(/ppo\.miniBatchUnit/);
  });
  it("a config written before GRPO's KL clamp and gradient clip existed parses as those runs trained: plain k3, no clipping", () => {
    const older = parseRunConfig({ ...valid, grpo: { groupSize: 4 } });
    expect(older.grpo).toEqual({ groupSize: 4, klEstimator: 'k3', maxGradNorm: null });
    expect(() => parseRunConfig({ ...valid, grpo: { ...valid.grpo, maxGradNorm: 0 } })).toThrow(/grpo\.maxGradNorm/);
    expect(() => parseRunConfig({ ...valid, grpo: { ...valid.grpo, klEstimator: 'k2' } })).toThrow(/grpo\.klEstimator/);
  });
});
