import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../../../common/run-config';
import { defaultRunConfig } from '../../../../engine/pipeline/presets';
import { recipeLines } from '../../../../main/services/report/recipe';

describe('report: the recipe line, read from the configs', () => {
  it('states the sampling temperatures, and GRPO\'s KL estimate and clip only when the grid has GRPO runs', () => {
    const spa = defaultRunConfig('webshop', 'spa', 'standard');
    const grpo = defaultRunConfig('webshop', 'grpo', 'standard');
    expect(recipeLines([spa])).toEqual(['Exploration and RL rollouts are sampled at temperature 0.3 (the code: 1).']);
    expect(recipeLines([spa, grpo])).toEqual([
      'Exploration and RL rollouts are sampled at temperature 0.3 (the code: 1).',
      "GRPO (not in the authors' code) takes its KL term to the SFT policy as verl's clamped k3 (low_var_kl), with a gradient-norm clip of 1.",
    ]);
  });

  it('names every variant a mixed grid ran, in order', () => {
    const grpo = defaultRunConfig('webshop', 'grpo', 'standard');
    const older = parseRunConfig({ ...grpo, ppo: { ...grpo.ppo, temperature: 10 }, grpo: { groupSize: grpo.grpo.groupSize } });
    expect(recipeLines([grpo, older])).toEqual([
      'Exploration is sampled at temperature 0.3, RL rollouts at 0.3 and 10 (the code: 1 for both).',
      "GRPO (not in the authors' code) takes its KL term to the SFT policy as DeepSeekMath's k3 and verl's clamped k3 (low_var_kl), with a gradient-norm clip of 1 and no gradient clipping.",
    ]);
  });
});
