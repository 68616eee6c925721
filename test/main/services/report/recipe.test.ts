import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../../../common/run-config';
import { defaultRunConfig } from '../../../../engine/pipeline/presets';
import { recipeLines } from '../../../../main/services/report/recipe';

describe('report: the recipe line, read from the configs', () => {
  it('states the sampling temperatures, and GRPO\'s KL estimate and clip only when the grid has GRPO runs', () => {
    const spa = defaultRunConfig('webshop', 'spa', 'standard');
    const grpo = defaultRunConfig('webshop', 'grpo', 'standard');
    const rl = 'RL updates: Adam at learning rate 2e-4 (the code: 1e-5), one optimizer step per 8 trajectories (the code: 8 trajectories), 2 epoch(s) (the code: 4) over each batch of 16 rollouts.';
    expect(recipeLines([defaultRunConfig('webshop', 'sft', 'standard')]).slice(1)).toEqual(['Exploration and RL rollouts are sampled at temperature 0.3 (the code: 1).']);
    const tasks = 'Exploration and RL rollouts play the training tasks after the 400 demonstrated ones, which SFT never saw solved (the code: the demonstrated tasks).';
    expect(recipeLines([spa]).slice(1)).toEqual(['Exploration and RL rollouts are sampled at temperature 0.3 (the code: 1).', rl, tasks]);
    expect(recipeLines([spa, grpo]).slice(1)).toEqual([
      'Exploration and RL rollouts are sampled at temperature 0.3 (the code: 1).',
      rl,
      "GRPO (not in the authors' code) takes its KL term to the SFT policy as verl's clamped k3 (low_var_kl), with a gradient-norm clip of 1.",
      tasks,
    ]);
  });

  it('names every variant a mixed grid ran, in order', () => {
    const grpo = defaultRunConfig('webshop', 'grpo', 'standard');
    const { miniBatchUnit: _u, ...olderPpo } = grpo.ppo;
    const older = parseRunConfig({ ...grpo, data: { ...grpo.data, rolloutTasks: undefined }, ppo: { ...olderPpo, temperature: 10, lr: 1e-4 }, grpo: { groupSize: grpo.grpo.groupSize } });
    expect(recipeLines([grpo, older]).slice(1)).toEqual([
      'Exploration is sampled at temperature 0.3, RL rollouts at 0.3 and 10 (the code: 1 for both).',
      'RL updates: Adam at learning rate 1e-4 and 2e-4 (the code: 1e-5), one optimizer step per 8 rows (step views) and 8 trajectories (the code: 8 trajectories), 2 epoch(s) (the code: 4) over each batch of 16 rollouts.',
      "GRPO (not in the authors' code) takes its KL term to the SFT policy as DeepSeekMath's k3 and verl's clamped k3 (low_var_kl), with a gradient-norm clip of 1 and no gradient clipping.",
      'Exploration and RL rollouts play the training tasks after the 400 demonstrated ones (in some runs; the others, the demonstrated ones), which SFT never saw solved (the code: the demonstrated tasks).',
    ]);
    expect(recipeLines([older]).at(-1)).toBe('Exploration and RL rollouts play the demonstrated training tasks, as the code does.');
  });

  it('states SFT\'s epochs per environment, and what RFT adds only when the grid has RFT runs', () => {
    const configs = (['alfworld', 'webshop', 'virtualhome'] as const).map((env) => defaultRunConfig(env, 'sft', 'standard'));
    expect(recipeLines(configs)[0]).toBe('SFT: 400 expert demonstrations, 24 epochs on virtualhome and webshop, 12 epochs on alfworld.');
    expect(recipeLines([defaultRunConfig('virtualhome', 'rft', 'standard')])[0]).toBe(
      'SFT: 400 expert demonstrations, 24 epochs on virtualhome; RFT continues the SFT model for as many epochs on them plus its own successful explorations.',
    );
  });
});
