import { describe, expect, it } from 'vitest';
import { METHODS, parseRunConfig } from '../../../common/run-config';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { estimateRunSeconds, estimateStageSeconds } from '../../../engine/pipeline/run-estimate';
import { planStages } from '../../../main/jobs/plan';

describe('estimateStageSeconds', () => {
  it('prices SFT on its packed step views, within 2x of the standard WebShop SFT measured', () => {
    // Measured on the 2-core VM, two runs at a time: 18.9 and 19.0 min (seeds 0 and 1). Counting
    // one 400-token sequence per demonstration, as the first estimate did, gave 5.4 min. Those runs
    // trained 6 epochs (the standard preset's count then); the estimate prices that config.
    const standard = defaultRunConfig('webshop', 'sft', 'standard');
    const sft = estimateStageSeconds({ ...standard, sft: { ...standard.sft, epochs: 6 } }, 'wasm')?.sft as number;
    const measured = 18.95 * 60;
    expect(sft).toBeGreaterThan(measured / 2);
    expect(sft).toBeLessThan(measured * 2);
  });

  it('prices exactly the stages the run plans', () => {
    for (const method of METHODS) {
      const c = defaultRunConfig('virtualhome', method, 'quick');
      expect(Object.keys(estimateStageSeconds(c, 'wasm') ?? {}).sort()).toEqual(planStages(c).map((p) => p.stage).sort());
    }
  });

  it("plays rollouts to the environment's step limit (ALFWorld 40 turns, WebShop 10)", () => {
    const evalOf = (env: 'alfworld' | 'webshop') => estimateStageSeconds(defaultRunConfig(env, 'sft', 'quick'), 'wasm')?.eval as number;
    expect(evalOf('alfworld') / evalOf('webshop')).toBeGreaterThan(3);
  });

  it('sees a longer context in the views it counts', () => {
    const base = defaultRunConfig('webshop', 'sft', 'quick');
    const longer = parseRunConfig({ ...base, model: { ...base.model, context: 512 } });
    const sftOf = (c: typeof base) => estimateStageSeconds(c, 'wasm')?.sft as number;
    expect(sftOf(longer)).toBeGreaterThan(sftOf(base) * 1.2);
  });
});

describe('estimateRunSeconds', () => {
  it('adds the stages up and names the long ones', () => {
    const c = defaultRunConfig('webshop', 'spa', 'standard');
    const stages = estimateStageSeconds(c, 'wasm') ?? {};
    const est = estimateRunSeconds(c, 'wasm');
    expect(est.seconds).toBe(Math.round(Object.values(stages).reduce((a, b) => a + b, 0)));
    expect(est.note).toMatch(/^rough estimate for wasm \(±2×\): sft \d+ min, .*estimator \d+ min, rl \d+ min$/);
  });

  it('says so when the backend has no measured throughput', () => {
    expect(estimateRunSeconds(defaultRunConfig('webshop', 'sft', 'smoke'), 'webgl')).toEqual({ seconds: null, note: 'no throughput measured for backend "webgl"' });
  });
});
