/**
 * Reliability test #28 (../shared/docs/reliability.md), CleanRL style: the real RL stage
 * (engine/pipeline/stages/rl.ts: rollouts, rewards, GAE, PPO, checkpoints) on a 2-state text
 * environment for ≥ 200 environment steps finishes in < 30 s and writes the CleanRL metric keys
 * on every update (and, #26, hands back every tensor it made); and GAE matches a hand-computed
 * 3-step example exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepGae, tokenGae } from '../../engine/algo/gae';
import { initBackend } from '../../engine/backend';
import { TransformerLM } from '../../engine/model/transformer';
import { runRlStage } from '../../engine/pipeline/stages/rl';
import { saveModel } from '../../engine/pipeline/stages/shared';
import { StageIo } from '../../engine/pipeline/stages/stage-io';
import { readLogSync } from '../../engine/storage/append-log';
import { Tokenizer } from '../../engine/tokenizer';
import { ReActEnv, type ActionOutcome } from '../../envs/core/base-env';
import { NOTHING_HAPPENS } from '../../envs/core/react';
import { formatTaskId } from '../../envs/core/task-id';
import type { Split, TaskBase, TaskGenerator, TextEnv } from '../../envs/core/types';
import { ENVIRONMENTS } from '../../envs/registry';
import { reportFigure } from './figures';
import { tinyConfig } from './fixtures/training';

/** Two states: at the start "go" reaches the goal, at the goal "stop" ends it with reward 1. */
const twoStateGenerator: TaskGenerator = {
  env: 'alfworld',
  version: 1,
  sizes: { train: 4, seen: 2, unseen: 2 },
  task: (split: Split, index: number): TaskBase => ({ id: formatTaskId({ env: 'alfworld', version: 1, split, index }), env: 'alfworld', split, index, taskType: 'walk', goal: 'reach the goal and stop' }),
};

class TwoStateEnv extends ReActEnv<TaskBase> {
  readonly name = 'alfworld' as const;
  readonly maxSteps = 4;
  readonly maxObservationLength = 200;
  protected readonly reportsAdmissible = true;
  protected readonly style = 'household' as const;
  private atGoal = false;
  constructor() {
    super(twoStateGenerator);
  }
  protected begin(): string {
    this.atGoal = false;
    return 'You are at the start. Your task is to: reach the goal and stop.';
  }
  protected execute(action: string): ActionOutcome {
    if (!this.atGoal && action === 'go') {
      this.atGoal = true;
      return { text: 'You are at the goal.', valid: true, reward: 0, terminated: false, success: false };
    }
    if (this.atGoal && action === 'stop') return { text: 'You stopped at the goal.', valid: true, reward: 1, terminated: true, success: true };
    return { text: NOTHING_HAPPENS, valid: false, reward: 0, terminated: false, success: false };
  }
  protected progress(): number {
    return this.atGoal ? 0.5 : 0;
  }
  admissibleActions(): string[] {
    return [this.atGoal ? 'stop' : 'go'];
  }
}

const CLEANRL_KEYS = [
  'charts/episodic_return',
  'charts/episode_length',
  'losses/policy_loss',
  'losses/value_loss',
  'losses/approx_kl',
  'losses/clipfrac',
  'losses/explained_variance',
  'charts/SPS',
] as const;

const dir = mkdtempSync(join(tmpdir(), 'spa-rel-smoke-'));
const saved = { generator: ENVIRONMENTS.alfworld.generator, createRaw: ENVIRONMENTS.alfworld.createRaw };
beforeAll(async () => {
  await initBackend('wasm');
  ENVIRONMENTS.alfworld.generator = twoStateGenerator;
  ENVIRONMENTS.alfworld.createRaw = () => new TwoStateEnv() as unknown as TextEnv;
});
afterAll(() => {
  Object.assign(ENVIRONMENTS.alfworld, saved);
  rmSync(dir, { recursive: true, force: true });
});

describe('PPO smoke test, CleanRL style (reliability #28)', () => {
  it('the RL stage on a 2-state text env for ≥ 200 steps finishes in < 30 s and writes the CleanRL metric keys', async () => {
    const base = tinyConfig(3, 13);
    // 13 updates × 8 episodes × 2 to 4 steps: 208 to 416 environment steps.
    const config = { ...base, ppo: { ...base.ppo, batchSize: 8, miniBatchSize: 4, epochs: 2, lr: 1e-3 }, grpo: { ...base.grpo, groupSize: 2 } };
    const texts = ['You are at the start. Your task is to: reach the goal and stop.', 'Observation: You are at the goal.', 'Observation: You stopped at the goal.', `Observation: ${NOTHING_HAPPENS}`];
    const tok = Tokenizer.build([...texts, 'Thought: I go.\nAction: go', 'Thought: I stop.\nAction: stop']);
    const policyDir = join(dir, 'policy');
    mkdirSync(policyDir, { recursive: true });
    const model = new TransformerLM({ ...config.model, vocabSize: tok.vocabSize }, { seed: 'smoke' });
    await saveModel({ dir: policyDir, step: 0, model, tok, trainerState: {} });
    model.dispose();

    const stage = async (name: string, c: typeof config) => {
      const runDir = join(dir, name);
      mkdirSync(join(runDir, 'rl'), { recursive: true });
      const io = new StageIo({ stage: 'rl', runId: name, runDir, outDir: join(runDir, 'rl'), inputs: { sft: policyDir }, config: c, stepOffset: 0, resume: false }, () => undefined, false);
      await runRlStage(io); // "exits 0": resolves, no throw
      io.close();
      return runDir;
    };
    await stage('warm-up', { ...config, ppo: { ...config.ppo, iterations: 1 } }); // one-time backend state
    const tensors = tf.memory().numTensors;
    const started = performance.now();
    const runDir = await stage('run', config);
    const seconds = (performance.now() - started) / 1000;
    // The whole stage (load, 13 updates, 13 checkpoints, release) hands back every tensor it made (#26).
    const leaked = tf.memory().numTensors - tensors;
    expect(leaked).toBe(0);

    const rows = readLogSync<Record<string, number>>(join(runDir, 'metrics.jsonl')).records;
    expect(rows).toHaveLength(13);
    const missing = rows.flatMap((r) => CLEANRL_KEYS.filter((k) => typeof r[k] !== 'number' || !Number.isFinite(r[k])).map((k) => `${r.step}:${k}`));
    expect(missing).toEqual([]);
    const steps = rows.at(-1)?.global_step as number;
    expect(steps).toBeGreaterThanOrEqual(200);
    expect(seconds).toBeLessThan(30);
    reportFigure(
      28,
      'PPO smoke test (CleanRL style)',
      `the RL stage ran ${rows.length} PPO updates, ${steps} environment steps on a 2-state text env in ${seconds.toFixed(1)} s (< 30 s), ` +
        `all ${CLEANRL_KEYS.length} CleanRL keys (${CLEANRL_KEYS.join(', ')}) finite on ${rows.length}/${rows.length} rows; success rate ${rows[0]?.['charts/success_rate']} → ${rows.at(-1)?.['charts/success_rate']}`,
      { updates: rows.length, steps, seconds, keys: CLEANRL_KEYS.length },
    );
    reportFigure(26, 'no tensor leaks per RL stage', `a whole RL stage (load, ${rows.length} updates with rollouts, ${rows.length} checkpoints, release) leaves numTensors unchanged (delta ${leaked})`, { leaked });
  }, 120_000);

  it('GAE matches a hand-computed 3-step example exactly', () => {
    // γ = λ = 0.5 (γλ = 0.25), r = [1, 0, 2], V = [0.5, 0.25, 1]; every number is a dyadic fraction, so exact in floating point.
    //   t=2: δ = 2 − 1 = 1                            A2 = 1
    //   t=1: δ = 0 + 0.5·1 − 0.25 = 0.25              A1 = 0.25 + 0.25·1 = 0.5
    //   t=0: δ = 1 + 0.5·0.25 − 0.5 = 0.625           A0 = 0.625 + 0.25·0.5 = 0.75
    //   returns = A + V = [1.25, 0.75, 2]
    const opts = { gamma: 0.5, lam: 0.5, whiten: false };
    expect(stepGae([[1, 0, 2]], [[0.5, 0.25, 1]], opts)).toEqual({ advantages: [[0.75, 0.5, 1]], returns: [[1.25, 0.75, 2]] });
    // Per token (every position an action token): the same numbers.
    const token = tokenGae([[1, 0, 2]], [[0.5, 0.25, 1]], [[1, 1, 1]], opts);
    expect({ advantages: token.advantages, returns: token.returns }).toEqual({ advantages: [[0.75, 0.5, 1]], returns: [[1.25, 0.75, 2]] });
    // Truncated after t=2 with V(s3) = 0.5: δ2 = 2 + 0.25 − 1 = 1.25, A1 = 0.25 + 0.3125 = 0.5625, A0 = 0.625 + 0.140625 = 0.765625.
    const cut = stepGae([[1, 0, 2]], [[0.5, 0.25, 1]], { ...opts, ends: [{ terminated: false, truncated: true, lastValue: 0.5 }] });
    expect(cut.advantages).toEqual([[0.765625, 0.5625, 1.25]]);
    reportFigure(28, 'GAE hand-computed example', 'GAE on a hand-computed 3-step example (terminated and truncated, per step and per token): exact match (bitwise)', { cases: 3 });
  });
});
