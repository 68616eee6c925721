/**
 * Reliability test #25 (../shared/docs/reliability.md): replay determinism. Expert and
 * random-valid trajectories of every environment are saved in a run's trajectory log (the
 * CRC-checked JSONL the studio reads), read back, and re-simulated from their task id, seed and
 * the agent's recorded text: every step must reproduce the recorded observation and reward
 * (and validity and oracle progress), which is what the studio's replay and annotation views
 * rely on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunTrajectory } from '../../common/run-schema';
import { parseTrajectory, type Trajectory } from '../../common/trajectory';
import { RandomValidPolicy, rollout } from '../../envs/core/rollout';
import { formatTaskId } from '../../envs/core/task-id';
import { ENV_NAMES } from '../../envs/core/types';
import { ENVIRONMENTS, makeEnv } from '../../envs/registry';
import { readLogSync } from '../../engine/storage/append-log';
import { openTrajectoryLog, RUN_FILES } from '../../engine/storage/run-logs';
import { reportFigure, scale } from './figures';

const TASKS = scale(20, 200);
const dir = mkdtempSync(join(tmpdir(), 'spa-rel-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Re-simulates a trajectory; returns how many of its steps (reset included) reproduced exactly. */
function replay(t: Trajectory): { steps: number; reproduced: number; firstMismatch: string | null } {
  const env = makeEnv(t.env);
  let reproduced = 0;
  let firstMismatch: string | null = null;
  const miss = (what: string) => (firstMismatch ??= `${t.id}: ${what}`);
  const reset = env.reset({ task: t.taskId, seed: t.seed });
  if (reset.observation === t.initialObservation) reproduced++;
  else miss('reset observation');
  t.steps.forEach((s, i) => {
    const r = env.step(s.text);
    const same = r.observation === s.observation && r.reward === s.reward && r.info.valid === s.valid && r.info.progress === s.progress && r.info.action === s.action;
    if (same) reproduced++;
    else miss(`step ${i + 1}`);
    if (i === t.steps.length - 1 && (r.terminated !== t.terminated || (r.truncated || r.terminated) !== (t.truncated || t.terminated))) miss('episode end');
  });
  env.close();
  return { steps: t.steps.length + 1, reproduced, firstMismatch };
}

describe('replay determinism (reliability #25)', () => {
  it('re-simulating saved expert and random-valid trajectories reproduces 100 % of observations and rewards', () => {
    const log = openTrajectoryLog(dir);
    let written = 0;
    for (const name of ENV_NAMES) {
      const def = ENVIRONMENTS[name];
      const trajs: RunTrajectory[] = [];
      for (let i = 0; i < TASKS; i++) {
        const task = formatTaskId({ env: name, version: def.generator.version, split: i % 2 ? 'seen' : 'train', index: i });
        trajs.push({ ...rollout(makeEnv(name), def.createExpert(), { task, seed: i, policyName: 'expert' }), update: 1, stage: 'expert' });
        const env = makeEnv(name);
        trajs.push({ ...rollout(env, new RandomValidPolicy(env, i), { task, seed: 7 * i + 1, policyName: 'random-valid' }), update: 1, stage: 'random' });
      }
      log.appendMany(trajs);
      written += trajs.length;
    }
    log.close();

    const read = readLogSync<RunTrajectory>(join(dir, RUN_FILES.trajectories));
    expect(read.records).toHaveLength(written);
    let steps = 0;
    let reproduced = 0;
    const mismatches: string[] = [];
    for (const record of read.records) {
      const r = replay(parseTrajectory(record));
      steps += r.steps;
      reproduced += r.reproduced;
      if (r.firstMismatch) mismatches.push(r.firstMismatch);
    }
    expect(mismatches).toEqual([]);
    expect(reproduced).toBe(steps);
    // The check can fail: one altered observation or reward is caught.
    const sample = parseTrajectory(read.records[0]);
    const altered = { ...sample, steps: sample.steps.map((s, i) => (i === 1 ? { ...s, observation: `${s.observation} ` } : i === 2 ? { ...s, reward: s.reward + 1 } : s)) };
    expect(replay(altered).reproduced).toBe(replay(sample).reproduced - 2);
    reportFigure(
      25,
      'replay determinism',
      `${reproduced}/${steps} steps (resets included) of ${written} saved trajectories (expert and random-valid, ${TASKS} tasks × ${ENV_NAMES.length} environments) ` +
        `reproduced exactly on re-simulation: observation, reward, validity, progress (100 %)`,
      { trajectories: written, steps, reproduced },
    );
  });
});
