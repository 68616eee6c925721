/**
 * The method's switchable settings (method doc section 8, "Settings to expose as explicit flags")
 * and the numeric defaults of the released pipeline. Pure data: the pipeline's Args embed these.
 * Where code and paper may differ, the default is the method; code parity is one flag away.
 */

/** Where each step's value v_t comes from before fusion. */
export const STEP_VALUE_SOURCES = ['pe', 'looNormalisedFinal'] as const;
export type StepValueSource = (typeof STEP_VALUE_SOURCES)[number];

/** StepTool's `×(T−1−j)` weight on step j's reward in `compute_rewards` (code parity). */
export const STEP_REWARD_MULTIPLIERS = ['none', 'stepToolRemainingSteps'] as const;
export type StepRewardMultiplier = (typeof STEP_REWARD_MULTIPLIERS)[number];

/** GAE over every token position (code: observation tokens decay the recursion) or over agent steps. */
export const GAE_GRANULARITIES = ['token', 'step'] as const;
export type GaeGranularity = (typeof GAE_GRANULARITIES)[number];

/** PPO on the fixed exploration trajectories (code) or on fresh rollouts of the current policy. */
export const PPO_DATA_MODES = ['offlineExploration', 'onlineRollouts'] as const;
export type PpoDataMode = (typeof PPO_DATA_MODES)[number];

/** g_t from the environment's `valid` flag, or the code's string match on the next observation. */
export const GROUNDING_SOURCES = ['valid', 'observation'] as const;
export type GroundingSource = (typeof GROUNDING_SOURCES)[number];

export interface MethodFlags {
  /** `pe`: v_t = c_t (the method, issue #7); `looNormalisedFinal`: released code at ed20087. */
  stepValueSource: StepValueSource;
  /** `none` for the method; `stepToolRemainingSteps` for code parity. */
  stepRewardMultiplier: StepRewardMultiplier;
  /** The "OK" acknowledgement counts as step 0 (code: true). */
  includeAckStep: boolean;
  /** `token` (code) or `step`. */
  gaeGranularity: GaeGranularity;
  /** `offlineExploration` (code) or `onlineRollouts`. */
  ppoDataMode: PpoDataMode;
  /** A BOS token before every prompt/response segment in PPO sequences (code parity only). */
  bosPerSegment: boolean;
  /** How g_t is read; `valid` also penalises format errors, `observation` does not (quirk 7). */
  groundingSource: GroundingSource;
  /** Weight of the progress term in r_t = α·v_t + β·g_t (0 = "no progress" ablation). */
  alpha: number;
  /** Weight of the grounding term (0 = "no grounding" ablation). */
  beta: number;
}

export const METHOD_DEFAULTS: Readonly<MethodFlags> = Object.freeze({
  stepValueSource: 'pe',
  stepRewardMultiplier: 'none',
  includeAckStep: true,
  gaeGranularity: 'token',
  // Online is the studio's default (issue #3): fresh rollouts give the live curves users watch.
  ppoDataMode: 'onlineRollouts',
  bosPerSegment: false,
  groundingSource: 'valid',
  alpha: 1,
  beta: 0.5,
});

/** Flag values that reproduce the released code at ed20087 (with the StepTool config). */
export const CODE_PARITY_FLAGS: Readonly<MethodFlags> = Object.freeze({
  ...METHOD_DEFAULTS,
  stepValueSource: 'looNormalisedFinal',
  stepRewardMultiplier: 'stepToolRemainingSteps',
  bosPerSegment: true,
  groundingSource: 'observation',
});

/** PPO numbers of the pipeline: StepTool config over TRL 0.10.1 defaults (method doc 3.7). */
export const PPO_DEFAULTS = Object.freeze({
  /** GAE discount (StepTool cfg; TRL's own default is 1). */
  gamma: 0.99,
  /** GAE λ (TRL default). */
  lam: 0.95,
  /** Policy ratio clip ε. */
  clip: 0.2,
  /** Value clip around the rollout values. */
  clipValue: 0.2,
  /** Weight of the value loss in the total. */
  vfCoef: 0.1,
  /** Minibatches whose mean ratio exceeds this are zeroed (TRL `ratio_threshold`). */
  ratioThreshold: 10,
  /** Optimisation epochs over each PPO batch. */
  ppoEpochs: 4,
  /** Adam learning rate on LoRA + value head. */
  learningRate: 1e-5,
  /** Initial KL coefficient β₀ (StepTool cfg; TRL default is 0.2). */
  initKlCoef: 0.3,
  /** AdaptiveKLController target KL per sequence. */
  klTarget: 6,
  /** AdaptiveKLController horizon. */
  klHorizon: 10000,
});
