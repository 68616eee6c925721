/**
 * Presets: complete run configs by scale. Every method of a preset gets the same budget (data,
 * model, SFT, RL iterations), so comparisons between methods are fair; methods differ only in
 * their reward and update rule (method.ts).
 *
 *   smoke     seconds per stage: CI and "does it run" (numbers mean nothing)
 *   quick     a few minutes on a 2-core CPU: a first look
 *   standard  the reproduction preset (issue #5) on a 2-core CPU
 *   paper     a GPU workstation: the code's layout (instruction + ICL), bigger model, more data
 */
import type { EnvName } from '../../envs/core/types';
import { parseRunConfig, type Method, type Preset, type RunConfig } from '../../common/run-config';
import { METHOD_DEFAULTS, PPO_DEFAULTS } from '../algo/flags';

/** Rollouts per task in exploration (the code: ALFWorld 10, WebShop 5, VirtualHome 10), scaled per preset. */
const EXPLORE_K: Record<EnvName, number> = { alfworld: 10, webshop: 5, virtualhome: 10 };

interface Scale {
  model: RunConfig['model'];
  layout: RunConfig['prompt']['layout'];
  maxNewTokens: number;
  expertTasks: number;
  evalTasks: number;
  /** One count for every environment, or one per environment (standard: measured per environment). */
  sftEpochs: number | Readonly<Record<EnvName, number>>;
  sftLr: number;
  exploreTasks: number;
  /** Training tasks exploration and online RL play (absent: the demonstrated ones, as the code). */
  rolloutTasks?: RunConfig['data']['rolloutTasks'];
  /** Fraction of the code's K. */
  exploreKScale: number;
  peEpochs: number;
  ppoIterations: number;
  ppoBatch: number;
  ppoMiniBatch: number;
  ppoEpochs: number;
  ppoLr: number;
  groupSize: number;
  /** Sampling temperature of exploration and of the RL rollouts (the code: 1). */
  rolloutTemperature: number;
}

const SCALES: Record<Preset, Scale> = {
  smoke: {
    model: { dModel: 32, nLayers: 1, nHeads: 2, dFF: 64, context: 160 },
    layout: 'compact',
    maxNewTokens: 40,
    expertTasks: 6,
    evalTasks: 3,
    sftEpochs: 1,
    sftLr: 3e-3,
    exploreTasks: 3,
    exploreKScale: 0.2,
    peEpochs: 1,
    ppoIterations: 2,
    ppoBatch: 4,
    ppoMiniBatch: 4,
    ppoEpochs: 1,
    ppoLr: 1e-4,
    groupSize: 2,
    rolloutTemperature: 1,
  },
  quick: {
    model: { dModel: 64, nLayers: 2, nHeads: 4, dFF: 256, context: 256 },
    layout: 'compact',
    maxNewTokens: 48,
    expertTasks: 60,
    evalTasks: 20,
    // Measured (at a constant learning rate, before the cosine schedule): VirtualHome SFT at 12 epochs
    // (loss 0.75) solves 0%, at 30 epochs (loss 0.11) 15–20%.
    sftEpochs: 25,
    sftLr: 3e-3,
    exploreTasks: 16,
    exploreKScale: 0.4,
    peEpochs: 3,
    ppoIterations: 6,
    ppoBatch: 16,
    ppoMiniBatch: 8,
    ppoEpochs: 2,
    ppoLr: 5e-5,
    groupSize: 4,
    rolloutTemperature: 1,
  },
  standard: {
    // Context 512: a WebShop results page (p90 387 tokens) fits whole in a step's view, and an
    // ALFWorld view keeps about ten earlier turns. 400 demonstrations: at quick's 60, SFT memorises
    // them (loss 0.08) and solves no test task on ALFWorld or WebShop. 64-token turns: the longest
    // expert WebShop turn is 49 tokens. Exploration of 120 tasks (240 WebShop, 480 ALFWorld and
    // VirtualHome rollouts): with 30 tasks, 0 of 60 WebShop rollouts succeeded, leaving the estimator
    // nothing to attribute; rollouts cost little beside SFT (47 s for those 60, 18 min for SFT).
    model: { dModel: 96, nLayers: 3, nHeads: 4, dFF: 384, context: 512 },
    layout: 'compact',
    maxNewTokens: 64,
    expertTasks: 400,
    evalTasks: 40,
    // Measured per environment (docs/RESULTS-NOTES.md, "Why WebShop and VirtualHome started again"). At 6
    // epochs (the grid archived in docs/results/grid-sft6/) VirtualHome's and WebShop's SFT loss was still
    // 0.32–0.39 and falling. VirtualHome's SFT solved 25.0 ± 7.0% of both splits, and 6 more epochs on the
    // demonstrations alone took it to 50.8 ± 1.4% (3 seeds): nearly all of RFT's gain (52.1 ± 4.4%). From
    // scratch, seeds 0 / 1: 12 epochs 60.0 / 57.5%, 18 epochs 68.8 / 67.5%, 24 epochs 75.0 / 67.5% (loss
    // 0.005), and 24 more on the demonstrations after those (seed 0): 73.8%. WebShop fits its demonstrations at
    // VirtualHome's pace (loss 0.36 against 0.32 at epoch 6), and 6 more epochs on them more than doubled
    // its average reward (seed 0, both splits: 0.044 → 0.103), so it gets the same 24 (about 75 min a seed
    // here, from 19 for 6). ALFWorld, seed 0: 6 epochs 0.0% (loss 0.27), 12 epochs 3.8% (loss 0.050; grounding
    // 17.7%), 24 epochs 3.8% (loss 0.003; grounding 12.1%): 12, as many tasks as 24 at half the time
    // (docs/results/probes/sft-epochs/).
    sftEpochs: { alfworld: 12, webshop: 24, virtualhome: 24 },
    sftLr: 3e-3,
    exploreTasks: 120,
    // Not the demonstrated tasks, as the code explores: at 24 epochs SFT has memorised them. On
    // VirtualHome (seed 0) 474 of 480 exploration rollouts of demonstrated tasks succeeded, and PPO's
    // training rollouts succeeded every time in 8 of its 10 iterations, leaving the estimator and the
    // RL methods nothing to learn from. On the 120 tasks after the demonstrations, 328 of 480 (68%)
    // succeeded, about its test success (75.0% greedy): 76 tasks always, 31 never, 13 sometimes.
    rolloutTasks: 'undemonstrated',
    exploreKScale: 0.4,
    peEpochs: 2,
    ppoIterations: 10,
    ppoBatch: 16,
    ppoMiniBatch: 8,
    ppoEpochs: 2,
    // How far one iteration's update moves the policy: ½·mean (Δ log π)² over the action tokens
    // of seed 0's first PPO batch, after one update from SFT (scripts/probe-update-size.ts; a few
    // tokens, the top 1%, carry 48–77% of it; another value-head init gave 0.26–0.95 times these):
    //
    //                                           1e-4    2e-4    3e-4
    //   WebShop, a step per 8 trajectories      0.022   0.095   0.259
    //   VirtualHome, a step per 8 trajectories  0.051   0.384   2.360
    //   WebShop, a step per 8 rows (before)     0.100
    //   VirtualHome, a step per 8 rows (before) 2.902
    //
    // With row minibatches (30 WebShop, 86 VirtualHome Adam steps an iteration) 1e-4 was right
    // for WebShop (KL to SFT 1.8–2.6 nats per row at the end) and wrecked VirtualHome (PPO 7.5%
    // seen success against SFT's 30%). 2e-4 with a step per 8 trajectories moves WebShop as far
    // as that, VirtualHome a seventh as far; at 3e-4 Adam's first, sign-like steps drove tokens
    // VirtualHome's SFT policy was sure of (log π ≈ 0) to log π ≈ −16; at 1e-4 ten iterations
    // barely leave SFT. Before that, at 3e-4 with row minibatches, WebShop's KL to SFT reached
    // 4–774 nats per row (docs/results/superseded/rl-lr-3e-4/; docs/RESULTS-NOTES.md).
    ppoLr: 2e-4,
    groupSize: 4,
    // 0.3, where the code samples at 1: a 3B LLM at temperature 1 still writes coherent actions,
    // this 0.4–0.8M-parameter model does not. Its SFT policy on 40 training tasks (seed 0; see
    // docs/RESULTS-NOTES.md): VirtualHome solves 30% greedy, 25% at 0.3, 22.5% at 0.5, 2.5% at 1;
    // WebShop scores 0.14 greedy, 0.24 at 0.3, 0.09 at 0.5, 0 at 1. At 1 the VirtualHome estimator
    // had 0 successes in 480 rollouts to learn from, and WebShop's RL rollouts succeeded 0.2% of
    // the time. At 0.3, 94% of the 4 rollouts of a WebShop task still differ.
    rolloutTemperature: 0.3,
  },
  paper: {
    model: { dModel: 512, nLayers: 8, nHeads: 8, dFF: 2048, context: 2048 },
    layout: 'full',
    maxNewTokens: 96,
    expertTasks: 1000,
    evalTasks: 200,
    sftEpochs: 3,
    sftLr: 5e-4,
    exploreTasks: 500,
    exploreKScale: 1,
    peEpochs: 1,
    ppoIterations: 100,
    ppoBatch: 64,
    ppoMiniBatch: 8,
    ppoEpochs: 4,
    ppoLr: PPO_DEFAULTS.learningRate * 10,
    groupSize: 4,
    rolloutTemperature: 1,
  },
};

/** The complete, validated config of `method` on `env` at `preset`. */
export function defaultRunConfig(env: EnvName, method: Method, preset: Preset, seed = 0): RunConfig {
  const s = SCALES[preset];
  const alpha = method === 'spa-no-progress' ? 0 : METHOD_DEFAULTS.alpha;
  const beta = method === 'spa-no-grounding' ? 0 : METHOD_DEFAULTS.beta;
  return parseRunConfig({
    env,
    method,
    preset,
    seed,
    backend: 'auto',
    model: s.model,
    prompt: { layout: s.layout, maxNewTokens: s.maxNewTokens },
    data: { expertTasks: s.expertTasks, evalTasks: s.evalTasks, rolloutTasks: s.rolloutTasks },
    sft: { epochs: typeof s.sftEpochs === 'number' ? s.sftEpochs : s.sftEpochs[env], lr: s.sftLr, batchSize: 8 },
    explore: { tasks: s.exploreTasks, rolloutsPerTask: Math.max(2, Math.round(EXPLORE_K[env] * s.exploreKScale)), temperature: s.rolloutTemperature },
    // The paper's PE/SFT learning-rate ratio (3e-6 / 2e-5): at sftLr / 2 the estimator overshoots
    // (quick VirtualHome set: loss 0.06 → 0.49 in two updates; at 0.15 × it falls to 0.012).
    estimator: { epochs: s.peEpochs, lr: s.sftLr * 0.15, batchSize: 16, clipNorm: 1, warmup: 1 },
    reward: {
      alpha,
      beta,
      stepValueSource: method === 'spa-loo' ? 'looNormalisedFinal' : METHOD_DEFAULTS.stepValueSource,
      stepRewardMultiplier: METHOD_DEFAULTS.stepRewardMultiplier,
      includeAckStep: METHOD_DEFAULTS.includeAckStep,
    },
    ppo: {
      mode: 'online',
      iterations: s.ppoIterations,
      batchSize: s.ppoBatch,
      miniBatchSize: s.ppoMiniBatch,
      miniBatchUnit: 'trajectory',
      epochs: s.ppoEpochs,
      lr: s.ppoLr,
      clip: PPO_DEFAULTS.clip,
      clipValue: PPO_DEFAULTS.clipValue,
      vfCoef: PPO_DEFAULTS.vfCoef,
      gamma: PPO_DEFAULTS.gamma,
      lambda: PPO_DEFAULTS.lam,
      gaeGranularity: METHOD_DEFAULTS.gaeGranularity,
      temperature: s.rolloutTemperature,
      // Small models drift fast; the adaptive controller starts from the StepTool β₀ and
      // targets a per-sequence KL scaled to our shorter turns.
      klInit: PPO_DEFAULTS.initKlCoef,
      klTarget: preset === 'paper' ? PPO_DEFAULTS.klTarget : 1,
      klHorizon: PPO_DEFAULTS.klHorizon,
      adaptiveKl: true,
    },
    // GRPO is not in the authors' code; ours is stabilised as the maintained implementations
    // are: verl's clamped k3 and a gradient-norm clip of 1 (TRL, verl). Unclamped, at rollout
    // temperature 0.3, WebShop seed 1's k3 reached 4787 nats/token at iteration 4 and the agent
    // never produced a valid action again (docs/RESULTS-NOTES.md). Only GRPO reads the two
    // fields; the other methods keep the schema's defaults, so their configs, and with them
    // the runs a grid finds as already done, stay what they were.
    grpo: method === 'grpo' ? { groupSize: s.groupSize, klEstimator: 'lowVarKl', maxGradNorm: 1 } : { groupSize: s.groupSize, klEstimator: 'k3', maxGradNorm: null },
  });
}
