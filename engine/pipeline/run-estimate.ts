/**
 * A run's wall time before it starts: the tokens each stage pushes through the model, over the
 * measured throughput of the backend scaled by model size. Token counts come from the run's own
 * step views of a few expert demonstrations (how many tokens SFT trains on per demonstration,
 * and how long a turn's view is), so a longer context or a wordier environment shows up.
 * Rollouts are counted at the environment's step limit: the agents these presets train mostly
 * run out of steps (the standard grid's WebShop evaluations: 9.6 of 10 turns).
 */
import { methodNeedsEstimator, runExplores, type RunConfig } from '../../common/run-config';
import type { StageName } from '../../common/worker-protocol';
import { collectRollouts } from '../../envs/core/rollout';
import { formatTaskId } from '../../envs/core/task-id';
import { ENVIRONMENTS, makeEnv } from '../../envs/registry';
import { buildEnvTokenizer, type Tokenizer } from '../tokenizer';
import { sftSequences } from './sft';

/** Measured training throughput (tokens/s, forward + backward) of the benchmark model per backend; see engine/README.md. */
const TRAIN_TOKENS_PER_SECOND: Record<string, number> = { wasm: 2500, cpu: 300, tensorflow: 20000, 'tensorflow-gpu': 200000 };
const BENCH_PARAMS = 128 * 128 * 12 * 2;
/** A forward pass alone (a prompt's prefill) costs about a third of forward + backward. */
const FORWARD_SPEEDUP = 3;
/**
 * Cached decoding, tokens/s relative to the training rate. Calibrated on the standard WebShop grid
 * (two runs at a time): its 80-episode evaluations took 36–71 s, about 60 ms a turn, most of it prefill.
 */
const DECODE_SPEEDUP = 1.5;
/** Generated turns end at the action's line; the looping ones run to the cap. */
const GENERATED_SHARE = 0.7;
const SAMPLE_DEMOS = 12;
/** Expert play of the training tasks and the tokenizer (quick grid: 6 s). */
const DATA_STAGE_SECONDS = 10;

interface ViewSample {
  /** Tokens SFT trains on per expert demonstration (its packed step views). */
  tokensPerDemo: number;
  turnsPerDemo: number;
  /** Mean tokens of one step view (what a turn's prompt and a PPO update see). */
  tokensPerView: number;
  /** The environment's step limit. */
  maxTurns: number;
}

const samples = new Map<string, ViewSample>();
/**
 * The tokenizer of the first 60 training tasks, not the run's 300: it counts the sample's tokens
 * within 0.5% (WebShop 15,503 against 15,432 over 12 demonstrations; ALFWorld and VirtualHome equal)
 * and builds in 0.2 s instead of 1–2.6 s, which the studio's config form waited for. Once per process.
 */
const ESTIMATE_TOKENIZER_TASKS = 60;
const tokenizers = new Map<RunConfig['env'], Tokenizer>();
const tokenizerOf = (env: RunConfig['env']): Tokenizer =>
  tokenizers.get(env) ?? tokenizers.set(env, buildEnvTokenizer(env, { tasks: ESTIMATE_TOKENIZER_TASKS })).get(env)!;

/** Step-view sizes of the first expert demonstrations on the run's training tasks (deterministic, cached). */
function viewSample(c: RunConfig): ViewSample {
  const key = `${c.env}|${c.model.context}|${c.prompt.maxNewTokens}|${c.prompt.layout}`;
  const hit = samples.get(key);
  if (hit) return hit;
  const def = ENVIRONMENTS[c.env];
  const tasks = Array.from({ length: SAMPLE_DEMOS }, (_, index) => formatTaskId({ env: c.env, version: def.generator.version, split: 'train', index }));
  const { trajectories } = collectRollouts(() => makeEnv(c.env), () => def.createExpert(), tasks, { policyName: 'expert' });
  const seqs = sftSequences(tokenizerOf(c.env), trajectories, { context: c.model.context, reserve: c.prompt.maxNewTokens, layout: c.prompt.layout });
  const tokens = seqs.reduce((a, s) => a + s.tokens.length, 0);
  const episodes = Math.max(1, trajectories.length);
  const sample = {
    tokensPerDemo: tokens / episodes,
    turnsPerDemo: Math.max(1, trajectories.reduce((a, t) => a + t.steps.length, 0) / episodes),
    tokensPerView: tokens / Math.max(1, seqs.length),
    maxTurns: def.createRaw().maxSteps,
  };
  samples.set(key, sample);
  return sample;
}

export type StageSeconds = Partial<Record<StageName, number>>;

/** Seconds of each stage the run's plan holds (main/jobs/plan.ts); null when the backend has no measured throughput. */
export function estimateStageSeconds(c: RunConfig, backendName: string): StageSeconds | null {
  const rate = TRAIN_TOKENS_PER_SECOND[backendName];
  if (!rate) return null;
  const params = c.model.dModel * c.model.dModel * 12 * c.model.nLayers;
  const speed = rate * Math.min(4, BENCH_PARAMS / params);
  const v = viewSample(c);
  const { maxTurns } = v;
  // A rollout runs to the step limit; its packed views hold about as many tokens per turn as a demonstration's.
  const tokensPerRollout = (v.tokensPerDemo * maxTurns) / v.turnsPerDemo;
  const turnSeconds = v.tokensPerView / (speed * FORWARD_SPEEDUP) + (c.prompt.maxNewTokens * GENERATED_SHARE) / (speed * DECODE_SPEEDUP);
  const sftSeconds = (c.data.expertTasks * c.sft.epochs * v.tokensPerDemo) / speed;
  const exploreRollouts = c.explore.tasks * c.explore.rolloutsPerTask;
  const out: StageSeconds = { data: DATA_STAGE_SECONDS, sft: sftSeconds, eval: 2 * c.data.evalTasks * maxTurns * turnSeconds };
  if (runExplores(c)) out.explore = exploreRollouts * maxTurns * turnSeconds;
  // The estimator trains on each exploration rollout's packed views, as SFT does on a demonstration.
  if (methodNeedsEstimator(c.method)) out.estimator = (exploreRollouts * c.estimator.epochs * tokensPerRollout) / speed;
  if (c.method === 'rft') out.rft = sftSeconds;
  // PPO plays its batch, then trains on each rollout's packed views for its epochs, after a forward pass for the old log-probabilities.
  else if (c.method !== 'sft') out.rl = c.ppo.iterations * c.ppo.batchSize * (maxTurns * turnSeconds + (tokensPerRollout * (c.ppo.epochs + 1 / FORWARD_SPEEDUP)) / speed);
  return out;
}

export interface RunEstimate {
  seconds: number | null;
  note: string;
}

/** The whole run, every stage computed (none reused from the stage cache). */
export function estimateRunSeconds(c: RunConfig, backendName: string): RunEstimate {
  const stages = estimateStageSeconds(c, backendName);
  if (!stages) return { seconds: null, note: `no throughput measured for backend "${backendName}"` };
  const seconds = Object.values(stages).reduce((a, b) => a + b, 0);
  const minutes = (Object.entries(stages) as [StageName, number][]).filter(([, sec]) => sec >= 30).map(([stage, sec]) => `${stage} ${Math.round(sec / 60)} min`);
  return { seconds: Math.round(seconds), note: `rough estimate for ${backendName} (±2×): ${minutes.join(', ')}` };
}
