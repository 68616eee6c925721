import { describe, expect, it } from 'vitest';
import { METHODS, PRESETS, parseRunConfig } from '../../../common/run-config';
import { defaultRunConfig } from '../../../engine/pipeline/presets';

describe("presets: GRPO's stabilisers", () => {
  it('GRPO gets the clamped KL and the gradient clip in every preset; no other method carries them', () => {
    for (const preset of PRESETS) {
      expect(defaultRunConfig('webshop', 'grpo', preset).grpo).toMatchObject({ klEstimator: 'lowVarKl', maxGradNorm: 1 });
      for (const method of METHODS.filter((m) => m !== 'grpo')) {
        const c = defaultRunConfig('webshop', method, preset);
        // A config stored before the fields existed reads the same: a grid still finds those runs.
        const { klEstimator: _k, maxGradNorm: _m, ...older } = c.grpo;
        expect(parseRunConfig({ ...c, grpo: older })).toEqual(c);
      }
    }
  });
});
