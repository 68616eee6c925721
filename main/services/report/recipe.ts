/**
 * Where the grid's recipe departs from the authors' code, read from the configs it ran, so the
 * report cannot claim a recipe its runs did not use.
 */
import type { RunConfig } from '../../../common/run-config';

const list = (xs: readonly (number | string)[]) => [...new Set(xs)].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)))).join(' and ');

/** "Exploration and RL rollouts are sampled at temperature 0.3 (the code: 1)." */
function samplingLine(configs: readonly RunConfig[]): string {
  const explore = list(configs.map((c) => c.explore.temperature));
  const rl = list(configs.map((c) => c.ppo.temperature));
  return explore === rl
    ? `Exploration and RL rollouts are sampled at temperature ${explore} (the code: 1).`
    : `Exploration is sampled at temperature ${explore}, RL rollouts at ${rl} (the code: 1 for both).`;
}

/** GRPO is not in the authors' code: say which KL estimate and gradient clip it ran with. */
function grpoLine(configs: readonly RunConfig[]): string[] {
  const grpo = configs.filter((c) => c.method === 'grpo');
  if (!grpo.length) return [];
  const kl = list(grpo.map((c) => (c.grpo.klEstimator === 'lowVarKl' ? "verl's clamped k3 (low_var_kl)" : "DeepSeekMath's k3")));
  const clip = list(grpo.map((c) => (c.grpo.maxGradNorm === null ? 'no gradient clipping' : `a gradient-norm clip of ${c.grpo.maxGradNorm}`)));
  return [`GRPO (not in the authors' code) takes its KL term to the SFT policy as ${kl}, with ${clip}.`];
}

export function recipeLines(configs: readonly RunConfig[]): string[] {
  return [samplingLine(configs), ...grpoLine(configs)];
}
