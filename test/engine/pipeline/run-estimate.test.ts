import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../../common/run-config';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { estimateRunSeconds } from '../../../engine/pipeline/run-estimate';

/** "… 1234k training tokens, 560 agent turns" → its two counts. */
function counts(note: string): { trainK: number; turns: number } {
  const m = /(\d+)k training tokens, (\d+) agent turns/.exec(note);
  if (!m) throw new Error(`unexpected note: ${note}`);
  return { trainK: Number(m[1]), turns: Number(m[2]) };
}

describe('estimateRunSeconds', () => {
  it('counts SFT on the packed step views, not one context per demonstration', () => {
    // The standard WebShop SFT (400 demonstrations × 6 epochs) measured about 19 min; counting one
    // 400-token sequence per demonstration (960k tokens) put it at 8 min. Its step views hold about
    // 1,500 tokens per demonstration.
    const c = defaultRunConfig('webshop', 'sft', 'standard');
    const { trainK } = counts(estimateRunSeconds(c, 'wasm').note);
    expect(trainK).toBeGreaterThan((c.data.expertTasks * c.sft.epochs * 1000) / 1000);
    expect(trainK).toBeLessThan((c.data.expertTasks * c.sft.epochs * c.model.context * 6) / 1000);
  });

  it("plays every rollout to the environment's step limit", () => {
    for (const [env, limit] of [['webshop', 10], ['alfworld', 40], ['virtualhome', 40]] as const) {
      const c = defaultRunConfig(env, 'spa', 'quick');
      const rollouts = c.explore.tasks * c.explore.rolloutsPerTask + c.ppo.iterations * c.ppo.batchSize + 2 * c.data.evalTasks;
      expect(counts(estimateRunSeconds(c, 'wasm').note).turns).toBe(rollouts * limit);
    }
  });

  it('grows with the work a method adds on top of SFT', () => {
    const s = (m: 'sft' | 'rft' | 'ppo' | 'spa') => estimateRunSeconds(defaultRunConfig('alfworld', m, 'quick'), 'wasm').seconds as number;
    expect(s('rft')).toBeGreaterThan(s('sft'));
    expect(s('ppo')).toBeGreaterThan(s('sft'));
    expect(s('spa')).toBeGreaterThan(s('ppo')); // exploration and the estimator come first
  });

  it('sees a longer context in the views it counts', () => {
    const base = defaultRunConfig('webshop', 'sft', 'quick');
    const longer = parseRunConfig({ ...base, model: { ...base.model, context: 512 } });
    expect(counts(estimateRunSeconds(longer, 'wasm').note).trainK).toBeGreaterThan(counts(estimateRunSeconds(base, 'wasm').note).trainK);
  });

  it('says so when the backend has no measured throughput', () => {
    expect(estimateRunSeconds(defaultRunConfig('webshop', 'sft', 'smoke'), 'webgl')).toEqual({ seconds: null, note: 'no throughput measured for backend "webgl"' });
  });
});
