/**
 * Reliability tests #22 (an environment that throws) and #21's in-thread half (a step that
 * returns, but too late), ../shared/docs/reliability.md.
 *
 * Our environments are pure TypeScript in the training worker's own thread, so:
 *   - an exception from reset/step ends that episode only: it is logged with its stack, the
 *     episode is left out of the data (online RL drops its whole group), `charts/env_errors`
 *     counts it, and the stage fails with a clear message once the errors exceed 10 % of its
 *     planned episodes (SPA_MAX_ENV_ERROR_RATE);
 *   - a step slower than the limit (SPA_ENV_STEP_TIMEOUT_MS, default 10 s) ends its episode as
 *     truncated with meta.reason = 'timeout'. A step that never returns is the supervisor's
 *     business (process-faults.test.ts, #21).
 * First with scripted policies over many episodes (envs/core/rollout.ts), then through the real
 * eval and RL stages with a transformer policy, the faults injected into the registry's
 * environments (fixtures/faulty-env.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunTrajectory } from '../../common/run-schema';
import type { StageJob } from '../../common/worker-protocol';
import { initBackend } from '../../engine/backend';
import { TransformerLM } from '../../engine/model/transformer';
import { runEvalStage } from '../../engine/pipeline/stages/eval';
import { runRlStage } from '../../engine/pipeline/stages/rl';
import { saveModel } from '../../engine/pipeline/stages/shared';
import { taskIds } from '../../engine/pipeline/task-ranges';
import { StageIo } from '../../engine/pipeline/stages/stage-io';
import { readLogSync } from '../../engine/storage/append-log';
import { buildEnvTokenizer } from '../../engine/tokenizer';
import { collectRollouts, describeEnvError, EnvErrorBudget, EnvErrorRateExceeded, rollout } from '../../envs/core/rollout';
import { formatTaskId } from '../../envs/core/task-id';
import { ENV_NAMES } from '../../envs/core/types';
import { ENVIRONMENTS, makeEnv } from '../../envs/registry';
import { reportFigure, scale } from './figures';
import { draw, FaultyEnv, installFaults, type Fault, type FaultCall, type FaultPlan } from './fixtures/faulty-env';
import { tinyConfig } from './fixtures/training';

const EPISODES = scale(100, 1000);
const RATE = 0.05;
const dir = mkdtempSync(join(tmpdir(), 'spa-rel-envfaults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** About `rate` of the episodes throw, a third of them in reset, the others in step 1 or 2. */
function flaky(rate: number, salt: string): FaultPlan {
  return (c) => {
    const key = `${salt}#${c.taskId}#${c.seed}`;
    if (draw(key) >= rate) return null;
    const where = draw(`${key}#where`);
    const at = where < 1 / 3 ? null : where < 2 / 3 ? 0 : 1;
    if (at === null ? c.phase === 'reset' : c.phase === 'step' && c.step === at) return { kind: 'throw' };
    return null;
  };
}

describe('environments that throw, with scripted policies (reliability #22)', () => {
  const figures: { env: string; episodes: number; thrown: number; captured: number; kept: number }[] = [];

  it.each(ENV_NAMES)('%s: reset/step exceptions in 5 percent of episodes are captured with their stack, the episodes left out, the run goes on', (name) => {
    const def = ENVIRONMENTS[name];
    const tasks = Array.from({ length: EPISODES }, (_, i) => formatTaskId({ env: name, version: def.generator.version, split: 'train', index: i }));
    const thrown: FaultCall[] = [];
    let instance = 0;
    const logged: string[] = [];
    const { trajectories, errors } = collectRollouts(() => new FaultyEnv(makeEnv(name), flaky(RATE, name), ++instance, (c) => thrown.push(c)), () => def.createExpert(), tasks, {
      policyName: 'expert',
      onError: (e) => logged.push(describeEnvError(e)),
    });
    // 100 % captured, each with where it happened and the stack that threw.
    expect(errors).toHaveLength(thrown.length);
    expect(errors.map((e) => `${e.phase} ${e.taskId} ${e.step}`)).toEqual(thrown.map((c) => `${c.phase} ${c.taskId} ${c.step}`));
    expect(logged.every((l) => /environment error in (reset|step \d+) of .+; episode excluded: InjectedEnvError: injected/.test(l) && /\n\s+at FaultyEnv\.apply/.test(l))).toBe(true);
    // Errored episodes are not in the data; every kept one is a whole episode.
    const failed = new Set(errors.map((e) => e.taskId));
    expect(trajectories).toHaveLength(EPISODES - errors.length);
    expect(trajectories.filter((t) => failed.has(t.taskId))).toEqual([]);
    expect(trajectories.every((t) => (t.terminated || t.truncated) && t.steps.length > 0)).toBe(true);
    expect(errors.length / EPISODES).toBeLessThanOrEqual(0.1); // ≈ 5 %: under the limit, so the run went on
    expect(errors.length).toBeGreaterThan(0);
    figures.push({ env: name, episodes: EPISODES, thrown: thrown.length, captured: errors.length, kept: trajectories.length });
  });

  it('above the limit (20 % of episodes throwing) the collection fails with a clear message at the first error too many', () => {
    const name = 'alfworld';
    const def = ENVIRONMENTS[name];
    const tasks = Array.from({ length: EPISODES }, (_, i) => formatTaskId({ env: name, version: def.generator.version, split: 'train', index: i }));
    let instance = 0;
    const seen: string[] = [];
    const budget = new EnvErrorBudget(tasks.length); // default: 10 %
    expect(() =>
      collectRollouts(() => new FaultyEnv(makeEnv(name), flaky(0.2, 'over'), ++instance), () => def.createExpert(), tasks, { policyName: 'expert', budget, onError: (e) => seen.push(e.taskId) }),
    ).toThrow(EnvErrorRateExceeded);
    expect(budget.errors).toBe(budget.allowed + 1);
    expect(seen).toHaveLength(budget.allowed + 1);
    const pct = (((budget.allowed + 1) / EPISODES) * 100).toFixed(1).replace(/\.0$/, '');
    expect(() => new EnvErrorBudget(EPISODES, 0.1, budget.allowed).record({ episode: 0, taskId: 'x', seed: 0, phase: 'step', step: 2, name: 'Error', message: 'boom' })).toThrow(
      `too many environment errors: ${budget.allowed + 1} of ${EPISODES} planned episodes failed (${pct} %, the limit is 10 %). Last: step 3 of x threw Error: boom`,
    );
    const thrown = figures.reduce((a, f) => a + f.thrown, 0);
    const captured = figures.reduce((a, f) => a + f.captured, 0);
    const episodes = figures.reduce((a, f) => a + f.episodes, 0);
    reportFigure(
      22,
      'environment exceptions, scripted policies',
      `${captured}/${thrown} injected reset/step exceptions captured with their stack (${(100 * (thrown / episodes)).toFixed(1)} % of ${episodes} expert episodes over ${figures.length} environments), ` +
        `0 partial trajectories kept, the collection went on; at a 20 % rate it failed at error ${budget.allowed + 1} (> 10 % of ${EPISODES}) with "too many environment errors: …"`,
      { episodes, thrown, captured, failedAt: budget.allowed + 1 },
    );
  });
});

describe('a step that returns too late (reliability #21, in-thread)', () => {
  it('ends the episode as truncated with meta.reason = timeout; the next episode plays normally', () => {
    const name = 'alfworld';
    const def = ENVIRONMENTS[name];
    const task = formatTaskId({ env: name, version: def.generator.version, split: 'train', index: 0 });
    const slowAt: FaultPlan = (c) => (c.phase === 'step' && c.step === 1 ? { kind: 'slow', ms: 150 } : null);
    const t = rollout(new FaultyEnv(makeEnv(name), slowAt, 1), def.createExpert(), { task, seed: 0, policyName: 'expert', stepTimeoutMs: 100 });
    expect({ steps: t.steps.length, terminated: t.terminated, truncated: t.truncated, reason: t.meta?.reason, step: t.meta?.step }).toEqual({ steps: 2, terminated: false, truncated: true, reason: 'timeout', step: 2 });
    expect(t.meta?.stepMs as number).toBeGreaterThanOrEqual(150);
    // Under the limit nothing changes; and the next episode, in a fresh environment, is whole.
    const slowButOk: FaultPlan = (c) => (c.phase === 'step' && c.step === 1 ? { kind: 'slow', ms: 20 } : null);
    const ok = rollout(new FaultyEnv(makeEnv(name), slowButOk, 2), def.createExpert(), { task, seed: 0, policyName: 'expert', stepTimeoutMs: 100 });
    const next = rollout(makeEnv(name), def.createExpert(), { task, seed: 0, policyName: 'expert', stepTimeoutMs: 100 });
    expect(ok).toEqual(next);
    expect({ success: next.success, meta: next.meta }).toEqual({ success: true, meta: undefined });
  });
});

// ---------------------------------------------------------------------------------------------
// The real stages, in this process, on a small untrained policy (faults need no skill).

const config = { ...tinyConfig(5, 2), data: { expertTasks: 4, evalTasks: 10 }, ppo: { ...tinyConfig(5, 2).ppo, batchSize: 4, miniBatchSize: 4 } };
const policyDir = join(dir, 'policy');
let restoreFaults: (() => void) | null = null;
const savedEnv = { rate: process.env.SPA_MAX_ENV_ERROR_RATE, timeout: process.env.SPA_ENV_STEP_TIMEOUT_MS };

beforeAll(async () => {
  await initBackend('wasm');
  const tok = buildEnvTokenizer(config.env);
  const model = new TransformerLM({ ...config.model, vocabSize: tok.vocabSize }, { seed: 'faults' });
  mkdirSync(policyDir, { recursive: true });
  await saveModel({ dir: policyDir, step: 0, model, tok, trainerState: {} });
  model.dispose();
}, 120_000);

afterEach(() => {
  restoreFaults?.();
  restoreFaults = null;
  for (const [k, v] of [['SPA_MAX_ENV_ERROR_RATE', savedEnv.rate] as const, ['SPA_ENV_STEP_TIMEOUT_MS', savedEnv.timeout] as const]) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function stageIo(stage: 'eval' | 'rl', name: string, inputs: Record<string, string>): { io: StageIo; runDir: string } {
  const runDir = join(dir, name);
  const outDir = join(runDir, 'stages', stage);
  mkdirSync(outDir, { recursive: true });
  const job: StageJob = { stage, runId: name, runDir, outDir, inputs, config, stepOffset: 0, resume: false };
  return { io: new StageIo(job, () => undefined, false), runDir };
}

const records = <T>(runDir: string, file: string) => readLogSync<T>(join(runDir, file)).records;

describe('environments that throw, through the real stages (reliability #22, #21)', () => {
  it('eval: 2 of 20 episodes throw (= 10 %) and one step is slow: logged with stacks, left out, counted; the stage completes', async () => {
    const [seen, unseen] = [taskIds(config.env, 'seen', 10), taskIds(config.env, 'unseen', 10)];
    const failing = new Map<string, Fault & { at: 'reset' | number }>([
      [seen[1] as string, { kind: 'throw', at: 2 }],
      [unseen[3] as string, { kind: 'throw', at: 'reset' }],
      [seen[4] as string, { kind: 'slow', ms: 400, at: 1 }],
    ]);
    restoreFaults = installFaults((c) => {
      const f = failing.get(c.taskId);
      if (!f || (f.at === 'reset' ? c.phase !== 'reset' : c.phase !== 'step' || c.step !== f.at)) return null;
      return f.kind === 'slow' ? { kind: 'slow', ms: f.ms } : { kind: 'throw' };
    });
    process.env.SPA_ENV_STEP_TIMEOUT_MS = '150';
    const { io, runDir } = stageIo('eval', 'eval-ok', { policy: policyDir });
    await runEvalStage(io);
    io.close();
    const [metric] = records<Record<string, number>>(runDir, 'metrics.jsonl');
    const trajs = records<RunTrajectory>(runDir, 'trajectories.jsonl');
    const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
    expect(metric?.['charts/env_errors']).toBe(2);
    expect(trajs).toHaveLength(18);
    expect(trajs.map((t) => t.taskId)).not.toContain(seen[1]);
    expect(trajs.map((t) => t.taskId)).not.toContain(unseen[3]);
    expect(log).toMatch(new RegExp(`environment error in step 3 of ${seen[1]} \\(seed 0\\); episode excluded: InjectedEnvError`));
    expect(log).toMatch(new RegExp(`environment error in reset of ${unseen[3]} \\(seed 0\\); episode excluded: InjectedEnvError`));
    expect(log).toMatch(/\n\s+at FaultyEnv\.apply/); // the stack, in the run log
    const slow = trajs.find((t) => t.taskId === seen[4]);
    expect({ truncated: slow?.truncated, terminated: slow?.terminated, steps: slow?.steps.length, reason: slow?.meta?.reason }).toEqual({ truncated: true, terminated: false, steps: 2, reason: 'timeout' });
    expect(trajs.filter((t) => t.taskId !== seen[4]).every((t) => !t.meta && t.steps.length === 40)).toBe(true); // the others ran to the step limit as usual
  }, 300_000);

  it('eval: 3 of 20 episodes throw (15 % > 10 %): the stage fails with a clear message', async () => {
    const seen = taskIds(config.env, 'seen', 10);
    const bad = new Set([seen[0], seen[5], seen[9]]);
    restoreFaults = installFaults((c) => (bad.has(c.taskId) && c.phase === 'step' && c.step === 0 ? { kind: 'throw' } : null));
    const { io } = stageIo('eval', 'eval-over', { policy: policyDir });
    await expect(runEvalStage(io)).rejects.toThrow(/^too many environment errors: 3 of 20 planned episodes failed \(15 %, the limit is 10 %\)\. Last: step 1 of alfworld\/v\d+\/seen\/9 threw InjectedEnvError/);
    io.close();
  }, 300_000);

  it('online RL: an episode that throws drops its whole group from the PPO batch and is counted; training goes on', async () => {
    process.env.SPA_MAX_ENV_ERROR_RATE = '0.25'; // 1 of 8 planned episodes
    let fired: FaultCall | null = null;
    restoreFaults = installFaults(
      (c) => (c.instance === 1 && c.phase === 'step' && c.step === 1 ? { kind: 'throw' } : null), // the first rollout of iteration 1, at its 2nd step
      (c) => (fired = c),
    );
    const { io, runDir } = stageIo('rl', 'rl-faults', { sft: policyDir });
    await runRlStage(io);
    io.close();
    expect(fired).not.toBeNull();
    const badTask = (fired as unknown as FaultCall).taskId;
    const rows = records<Record<string, number>>(runDir, 'metrics.jsonl');
    const train = records<RunTrajectory>(runDir, 'trajectories.jsonl').filter((t) => t.stage === 'train');
    const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
    expect(rows.map((r) => r['charts/env_errors'])).toEqual([1, 0]);
    expect(rows.every((r) => Number.isFinite(r['losses/policy_loss']))).toBe(true); // both iterations trained
    const first = train.filter((t) => t.update === 1);
    expect(first).toHaveLength(config.ppo.batchSize - config.grpo.groupSize); // the failed episode's group left out
    expect(first.map((t) => t.taskId)).not.toContain(badTask);
    expect(new Set(first.map((t) => t.taskId)).size).toBe(1);
    expect(first.map((t) => t.id.replace(/^.*#/, '')).sort()).toEqual(['g0', 'g1']); // a whole group
    expect(train.filter((t) => t.update === 2)).toHaveLength(config.ppo.batchSize);
    expect(train.every((t) => (t.terminated || t.truncated) && t.steps.length > 0)).toBe(true); // 0 partial trajectories trained on
    expect(log).toMatch(new RegExp(`environment error in step 2 of ${badTask} \\(seed \\d+\\); episode excluded: InjectedEnvError[^\\n]*\\n\\s+InjectedEnvError[^\\n]*\\n\\s+at FaultyEnv\\.apply`));
    expect(log).toMatch(/iteration 1: 1 of 2 groups left out after environment errors/);
    reportFigure(
      22,
      'environment exceptions, real stages',
      `eval stage: 2/20 episodes throwing (10 %) → logged with stacks, left out (18 kept), charts/env_errors = 2, stage completed; 3/20 (15 %) → stage failed "too many environment errors: 3 of 20 planned episodes failed"; ` +
        `online PPO: 1 throwing rollout → its group of ${config.grpo.groupSize} dropped (0 partial trajectories or groups trained on), charts/env_errors = 1, training went on`,
      { evalErrors: 2, evalKept: 18, rlDropped: config.grpo.groupSize },
    );
    reportFigure(
      21,
      'slow environment step (in-thread limit)',
      'a step slower than the limit (150 ms on a 100 ms limit in rollout(); 400 ms on 150 ms in the eval stage) ends its episode as truncated with meta.reason = "timeout"; the other episodes ran unchanged',
      { limitMs: 150, slowMs: 400 },
    );
  }, 300_000);
});
