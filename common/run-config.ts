/**
 * The run configuration: one validated object from which every stage of a run is built
 * (CLI flags, presets and the studio's form all produce it). Each field has a one-line
 * doc; the disputed points of the method (docs: spa-rl-method.md §8) are named flags
 * with the documented defaults.
 */
import { z } from 'zod';
import { parseWith } from './validate';

export const METHODS = ['sft', 'rft', 'ppo', 'grpo', 'spa', 'spa-no-grounding', 'spa-no-progress', 'spa-loo'] as const;
export type Method = (typeof METHODS)[number];

/** Methods whose step rewards come from the progress estimator: they explore, then train it. */
export function methodNeedsEstimator(method: Method): boolean {
  return method === 'spa' || method === 'spa-no-grounding';
}

/** A run explores when RFT, the estimator or offline PPO needs the agent's own rollouts. */
export function runExplores(c: Pick<RunConfig, 'method' | 'ppo'>): boolean {
  return c.method === 'rft' || methodNeedsEstimator(c.method) || (c.ppo.mode === 'offline' && c.method !== 'sft');
}

export const PRESETS = ['smoke', 'quick', 'standard', 'paper'] as const;
export type Preset = (typeof PRESETS)[number];

const ModelConfigSchema = z.object({
  /** Transformer width. */
  dModel: z.number().int().min(8).max(4096),
  nLayers: z.number().int().min(1).max(48),
  nHeads: z.number().int().min(1).max(64),
  /** Feed-forward width (usually 4·dModel). */
  dFF: z.number().int().min(8).max(16384),
  /** Context length in tokens. */
  context: z.number().int().min(32).max(8192),
});

export const RunConfigSchema = z
  .object({
    env: z.enum(['alfworld', 'webshop', 'virtualhome']),
    method: z.enum(METHODS),
    preset: z.enum(PRESETS),
    seed: z.number().int().min(0),
    /** Compute backend preference; 'auto' walks the ladder tfjs-node-gpu → tfjs-node → wasm → cpu. */
    backend: z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
    model: ModelConfigSchema,
    prompt: z.object({
      /** 'full' (the code's layout: instruction, "OK", ICL example, task) or 'compact' (task message only; CPU presets). */
      layout: z.enum(['full', 'compact']),
      /** Tokens an agent turn may generate (and the room kept free for it in every view). */
      maxNewTokens: z.number().int().min(8).max(1024),
    }),
    data: z.object({
      /** Training tasks with expert demonstrations (SFT data). */
      expertTasks: z.number().int().min(1),
      /** Evaluation tasks per test split (seen, unseen); a split with fewer is evaluated whole. */
      evalTasks: z.number().int().min(1),
      /**
       * Training tasks that exploration and online RL play: 'demonstrated' (the code: those of the
       * SFT data; omitted means this, so older configs and their stage-cache keys stay as they were)
       * or 'undemonstrated' (those after them, which SFT has not seen solved).
       */
      rolloutTasks: z.enum(['demonstrated', 'undemonstrated']).optional(),
    }),
    sft: z.object({
      epochs: z.number().min(0),
      lr: z.number().positive(),
      batchSize: z.number().int().min(1),
    }),
    explore: z.object({
      /** Training tasks explored by the SFT policy. */
      tasks: z.number().int().min(1),
      /** K rollouts per task (the code: ALFWorld 10, WebShop 5, VirtualHome 10); successes and failures are kept. */
      rolloutsPerTask: z.number().int().min(2),
      temperature: z.number().positive(),
    }),
    estimator: z.object({
      epochs: z.number().min(0),
      lr: z.number().positive(),
      /** Trajectories per update (the code: 16). */
      batchSize: z.number().int().min(1),
      /** Gradient clipping by global norm (the code: 1.0). */
      clipNorm: z.number().positive().default(1),
      /**
       * Share of the stage's updates over which the learning rate warms up, log-shaped
       * (the code: DeepSpeed WarmupLR over 500 steps ≈ its whole single epoch, so 1).
       */
      warmup: z.number().min(0).max(1).default(1),
      /**
       * The rate after the warm-up: constant (the code's WarmupLR; omitted means this, so older
       * configs and their stage-cache keys stay as they were) or half a cosine toward 0 at the
       * last update.
       */
      schedule: z.enum(['constant', 'cosine']).optional(),
    }),
    reward: z.object({
      /** Weight of the progress term c_t. */
      alpha: z.number(),
      /** Weight of the grounding term g_t. */
      beta: z.number(),
      /** 'pe' (the method) or 'looNormalisedFinal' (the released code at ed20087). */
      stepValueSource: z.enum(['pe', 'looNormalisedFinal']),
      /** 'none' (the method) or 'stepToolRemainingSteps' (×(T−1−j), code parity). */
      stepRewardMultiplier: z.enum(['none', 'stepToolRemainingSteps']),
      /** Whether the "OK" acknowledgement counts as step 0 (code: true). */
      includeAckStep: z.boolean(),
    }),
    ppo: z.object({
      /** 'online' (fresh rollouts each iteration, scored by the estimator; default) or 'offline' (the code: the stored exploration). */
      mode: z.enum(['online', 'offline']),
      iterations: z.number().int().min(0),
      /** Trajectories per PPO batch (online: batchSize / grpo.groupSize tasks × groupSize rollouts). */
      batchSize: z.number().int().min(1),
      miniBatchSize: z.number().int().min(1),
      /**
       * What miniBatchSize counts: 'trajectory' (the code: one optimizer step per miniBatchSize
       * trajectories, their rows accumulated) or 'row' (a step's view; how runs before this field
       * trained, so that one optimizer step took miniBatchSize rows and a 40-turn episode's rows
       * made many more steps per iteration than a 10-turn one's).
       */
      miniBatchUnit: z.enum(['trajectory', 'row']).default('row'),
      epochs: z.number().int().min(1),
      lr: z.number().positive(),
      clip: z.number().positive(),
      clipValue: z.number().positive(),
      vfCoef: z.number().min(0),
      gamma: z.number().min(0).max(1),
      lambda: z.number().min(0).max(1),
      /** 'token' (the code: GAE runs across observation tokens) or 'step'. */
      gaeGranularity: z.enum(['token', 'step']),
      /**
       * Sampling temperature of the online rollouts; PPO's and GRPO's log-probs (policy and
       * reference) are taken at it too, so ratio and KL are those of the distribution that sampled.
       */
      temperature: z.number().positive().default(1),
      klInit: z.number().min(0),
      klTarget: z.number().positive(),
      klHorizon: z.number().positive(),
      adaptiveKl: z.boolean(),
    }),
    grpo: z.object({
      /** Rollouts per task in a group. */
      groupSize: z.number().int().min(2),
      /**
       * KL(π‖π_ref) estimator of the loss: 'k3' (DeepSeekMath: e^d − d − 1, d = logπ_ref − logπ)
       * or 'lowVarKl' (verl's low_var_kl: d clamped to ±20, the estimate to ≤ 10, so one token
       * whose log-prob fell far below the reference cannot dominate the loss and its gradient).
       */
      klEstimator: z.enum(['k3', 'lowVarKl']).default('k3'),
      /** Clip each update's gradient to this global norm (TRL's GRPOTrainer and verl: 1.0); null: no clipping. */
      maxGradNorm: z.number().positive().nullable().default(null),
    }),
    /** Misbehaving environments: how long a step may take, and how many episodes may fail, before a stage gives up. */
    envFaults: z
      .object({
        /** Wall-time limit of one environment step (ms): a slower step is abandoned and its episode recorded as an environment error. */
        stepTimeoutMs: z.number().int().min(10).max(3_600_000).default(10_000),
        /** Share of a stage's planned episodes whose environment may fail (throw, hang) before the stage fails. */
        maxErrorRate: z.number().min(0).max(1).default(0.1),
      })
      .default({ stepTimeoutMs: 10_000, maxErrorRate: 0.1 }),
  })
  .superRefine((c, ctx) => {
    if (c.model.dModel % c.model.nHeads !== 0) {
      ctx.addIssue({ code: 'custom', path: ['model', 'nHeads'], message: `dModel (${c.model.dModel}) must be divisible by nHeads (${c.model.nHeads})` });
    }
    if (c.prompt.maxNewTokens >= c.model.context / 2) {
      ctx.addIssue({ code: 'custom', path: ['prompt', 'maxNewTokens'], message: `maxNewTokens (${c.prompt.maxNewTokens}) must be under half the context (${c.model.context})` });
    }
    if (c.ppo.batchSize % c.grpo.groupSize !== 0) {
      ctx.addIssue({ code: 'custom', path: ['ppo', 'batchSize'], message: `batchSize (${c.ppo.batchSize}) must be a multiple of grpo.groupSize (${c.grpo.groupSize}): online batches are whole groups` });
    }
    if (c.ppo.miniBatchSize > c.ppo.batchSize) {
      ctx.addIssue({ code: 'custom', path: ['ppo', 'miniBatchSize'], message: `miniBatchSize (${c.ppo.miniBatchSize}) cannot exceed batchSize (${c.ppo.batchSize})` });
    }
  });

export type RunConfig = z.infer<typeof RunConfigSchema>;

/** Validates a config; the error names the first offending field. */
export function parseRunConfig(value: unknown): RunConfig {
  return parseWith(RunConfigSchema, 'run config', value);
}
