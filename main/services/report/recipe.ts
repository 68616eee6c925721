/**
 * Where the grid's recipe departs from the authors' code, read from the configs it ran, so the
 * report cannot claim a recipe its runs did not use.
 */
import type { RunConfig } from '../../../common/run-config';
import { PPO_DEFAULTS } from '../../../engine/algo/flags';

const list = (xs: readonly (number | string)[]) => [...new Set(xs)].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)))).join(' and ');

/** "Exploration and RL rollouts are sampled at temperature 0.3 (the code: 1)." */
function samplingLine(configs: readonly RunConfig[]): string {
  const explore = list(configs.map((c) => c.explore.temperature));
  const rl = list(configs.map((c) => c.ppo.temperature));
  return explore === rl
    ? `Exploration and RL rollouts are sampled at temperature ${explore} (the code: 1).`
    : `Exploration is sampled at temperature ${explore}, RL rollouts at ${rl} (the code: 1 for both).`;
}

/** SFT's epochs per environment (they are measured per environment) and what RFT adds to them. */
function sftLine(configs: readonly RunConfig[]): string {
  const byEpochs = new Map<number, Set<string>>();
  for (const c of configs) byEpochs.set(c.sft.epochs, (byEpochs.get(c.sft.epochs) ?? new Set()).add(c.env));
  const epochs = [...byEpochs]
    .sort(([a], [b]) => b - a)
    .map(([n, envs]) => `${n} epoch${n === 1 ? '' : 's'} on ${list([...envs])}`)
    .join(', ');
  const demos = list(configs.map((c) => c.data.expertTasks));
  const rft = configs.some((c) => c.method === 'rft') ? '; RFT continues the SFT model for as many epochs on them plus its own successful explorations' : '';
  return `SFT: ${demos} expert demonstrations, ${epochs}${rft}.`;
}

/** GRPO is not in the authors' code: say which KL estimate and gradient clip it ran with. */
function grpoLine(configs: readonly RunConfig[]): string[] {
  const grpo = configs.filter((c) => c.method === 'grpo');
  if (!grpo.length) return [];
  const kl = list(grpo.map((c) => (c.grpo.klEstimator === 'lowVarKl' ? "verl's clamped k3 (low_var_kl)" : "DeepSeekMath's k3")));
  const clip = list(grpo.map((c) => (c.grpo.maxGradNorm === null ? 'no gradient clipping' : `a gradient-norm clip of ${c.grpo.maxGradNorm}`)));
  return [`GRPO (not in the authors' code) takes its KL term to the SFT policy as ${kl}, with ${clip}.`];
}

/** The RL update: learning rate, minibatch (and what it counts), epochs, batch; the code's values beside them. */
function rlLine(configs: readonly RunConfig[]): string[] {
  const rl = configs.filter((c) => c.method !== 'sft' && c.method !== 'rft');
  if (!rl.length) return [];
  const lr = [...new Set(rl.map((c) => c.ppo.lr))].sort((a, b) => a - b).map((x) => x.toExponential()).join(' and '); // 2e-4, not 0.0002
  const step = list(rl.map((c) => `${c.ppo.miniBatchSize} ${c.ppo.miniBatchUnit === 'row' ? 'rows (step views)' : 'trajectories'}`));
  const epochs = list(rl.map((c) => c.ppo.epochs));
  const batch = list(rl.map((c) => c.ppo.batchSize));
  return [`RL updates: Adam at learning rate ${lr} (the code: ${PPO_DEFAULTS.learningRate.toExponential()}), one optimizer step per ${step} (the code: 8 trajectories), ${epochs} epoch(s) (the code: ${PPO_DEFAULTS.ppoEpochs}) over each batch of ${batch} rollouts.`];
}

/** Which training tasks exploration and online RL play (the code: those it fine-tuned on). */
function rolloutLine(configs: readonly RunConfig[]): string[] {
  const playing = configs.filter((c) => c.method !== 'sft');
  if (!playing.length) return [];
  const kinds = new Set(playing.map((c) => c.data.rolloutTasks ?? 'demonstrated'));
  if (!kinds.has('undemonstrated')) return ['Exploration and RL rollouts play the demonstrated training tasks, as the code does.'];
  const all = kinds.size === 1 ? '' : ' (in some runs; the others, the demonstrated ones)';
  return [`Exploration and RL rollouts play the training tasks after the ${list(playing.map((c) => c.data.expertTasks))} demonstrated ones${all}, which SFT never saw solved (the code: the demonstrated tasks).`];
}

export function recipeLines(configs: readonly RunConfig[]): string[] {
  return [sftLine(configs), samplingLine(configs), ...rlLine(configs), ...grpoLine(configs), ...rolloutLine(configs)];
}
