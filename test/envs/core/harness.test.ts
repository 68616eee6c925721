import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../../envs/core/checker';
import { HOUSEHOLD_FORMAT_ERROR } from '../../../envs/core/react';
import { rollout, RandomValidPolicy } from '../../../envs/core/rollout';
import { EpisodeOver, ResetNeeded, UnknownTaskError, type TextEnv } from '../../../envs/core/types';
import { OrderEnforcing, TimeLimit, Wrapper } from '../../../envs/core/wrappers';
import { parseTrajectory } from '../../../common/trajectory';
import { ToyEnv } from '../../helpers/toy-env';

const make = (env = new ToyEnv()): TextEnv => new OrderEnforcing(new TimeLimit(env, env.maxSteps));

describe('ReActEnv harness and wrappers', () => {
  it('prefixes observations, parses actions and counts every turn, malformed ones included', () => {
    const env = make();
    const r = env.reset({ task: 'alfworld/v1/train/0' });
    expect(r.observation).toMatch(/^Count to 2\. \(noise \d+\)$/);
    expect(r.info.admissible).toEqual(['inc']);
    const bad = env.step('I think I will increment.');
    expect(bad.observation).toBe(HOUSEHOLD_FORMAT_ERROR);
    expect(bad.info).toMatchObject({ action: null, valid: false, formatError: true, steps: 1 });
    const s = env.step('Thought: up\nAction: inc');
    expect(s.observation).toBe('Observation: Count is 1.');
    expect(s.info).toMatchObject({ action: 'inc', thought: 'up', valid: true, steps: 2 });
    expect(env.step('Thought: x\nAction: done').observation).toBe('Observation: Nothing happens.');
    env.step('Action: inc');
    const end = env.step('Action: done');
    expect(end).toMatchObject({ reward: 1, terminated: true, truncated: false, info: { success: true, steps: 5 } });
  });

  it('TimeLimit truncates at the limit and keeps terminated distinct', () => {
    const env = make();
    env.reset({ task: 'alfworld/v1/unseen/0' }); // target 5: cannot finish in 6 with noise turns
    let last;
    for (let i = 0; i < 6; i++) last = env.step('Action: look');
    expect(last).toMatchObject({ terminated: false, truncated: true, info: { timeLimit: true } });
  });

  it('OrderEnforcing: step before reset and after the end throw typed errors', () => {
    const env = make();
    expect(() => env.step('Action: inc')).toThrow(ResetNeeded);
    env.reset({ task: 'alfworld/v1/train/0' });
    env.step('Action: inc');
    env.step('Action: inc');
    env.step('Action: done');
    expect(() => env.step('Action: inc')).toThrow(EpisodeOver);
    env.close();
    env.close();
  });

  it('resolves task ids strictly', () => {
    const env = make();
    expect(() => env.reset({ task: 'alfworld/v2/train/0' })).toThrow(/generator v2/);
    expect(() => env.reset({ task: 'webshop/v1/train/0' })).toThrow(UnknownTaskError);
    expect(() => env.reset({ task: 'nonsense' })).toThrow(/Not a task id/);
    expect(() => env.reset({ task: 'alfworld/v1/test/0' })).toThrow(/Unknown split/);
    // The toy's seen split has 5 tasks: #4 is its last, #5 is past it (not a task of the split).
    expect(() => env.reset({ task: 'alfworld/v1/seen/4' })).not.toThrow();
    expect(() => env.reset({ task: 'alfworld/v1/seen/5' })).toThrow("is past the end of alfworld's seen split (5 tasks: 0–4)");
  });

  it('the same seed gives the same episode; another seed another one', () => {
    const a = make().reset({ seed: 5 });
    const b = make().reset({ seed: 5 });
    expect(b).toEqual(a);
    expect(make().reset({ seed: 6, task: 'alfworld/v1/train/0' }).observation).not.toBe(make().reset({ seed: 5, task: 'alfworld/v1/train/0' }).observation);
  });

  it('rollout records a schema-valid trajectory', () => {
    const env = make();
    const t = rollout(env, new RandomValidPolicy(env, 1), { task: 'alfworld/v1/train/1', policyName: 'random-valid' });
    expect(parseTrajectory(JSON.parse(JSON.stringify(t)))).toEqual(t);
    expect(t).toMatchObject({ success: true, terminated: true, finalReward: 1, taskId: 'alfworld/v1/train/1' });
    expect(t.steps.map((s) => s.action)).toEqual(['inc', 'inc', 'inc', 'done']);
  });
});

describe('checkEnv (Gymnasium env checker port)', () => {
  it('passes a well-behaved environment with 0 violations', () => {
    const report = checkEnv({ make: () => make(), steps: 300 });
    expect(report.violations).toEqual([]);
    expect(report.stepsChecked).toBe(300);
  });
  it('catches a non-finite reward, out-of-range progress and a nonsense action counted as valid', () => {
    const broken = () =>
      make(new ToyEnv({ execute: (a) => (a.startsWith('fly') ? { text: 'ok', valid: true, reward: Number.NaN, terminated: false, success: false } : undefined) }));
    const report = checkEnv({ make: broken, steps: 300 });
    expect(report.violations.some((v) => v.includes('reward is not a finite number'))).toBe(true);
    expect(report.violations.some((v) => v.includes('nonsense action counted as valid'))).toBe(true);
  });
  it('catches an environment that answers a step before reset', () => {
    class Lenient extends Wrapper {
      override step(text: string) {
        try {
          return super.step(text);
        } catch {
          return { observation: '', reward: 0, terminated: false, truncated: false, info: { action: null, thought: '', valid: false, formatError: true, progress: 0, success: false, steps: 0 } };
        }
      }
    }
    const report = checkEnv({ make: () => new Lenient(new ToyEnv()), steps: 50 });
    expect(report.violations[0]).toBe('step() before reset() did not throw');
  });
  it('the bare harness already refuses a step before reset', () => {
    expect(() => new ToyEnv().step('Action: inc')).toThrow(ResetNeeded);
  });
  it('catches nondeterminism under a seed', () => {
    let calls = 0;
    const report = checkEnv({
      make: () => {
        const id = ++calls; // each instance answers differently: not a function of the seed
        return make(new ToyEnv({ execute: (a) => (a === 'inc' ? { text: `call ${id}`, valid: true, reward: 0, terminated: false, success: false } : undefined) }));
      },
      steps: 20,
    });
    expect(report.violations.some((v) => v.includes('differed'))).toBe(true);
  });
});
