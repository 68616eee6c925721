/**
 * Reliability test #20 (../shared/docs/reliability.md): the environment contract, checked with
 * our port of Gymnasium's env checker (envs/core/checker.ts) and, independently, by counting
 * conforming steps, for every built-in environment as agents meet it (makeEnv: TimeLimit +
 * OrderEnforcing).
 */
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../envs/core/checker';
import { RandomValidPolicy } from '../../envs/core/rollout';
import { ENV_NAMES, ResetNeeded, type StepResult, type TextEnv } from '../../envs/core/types';
import { makeEnv } from '../../envs/registry';
import { reportFigure, scale } from './figures';

const STEPS = scale(1000, 10_000);

/** Why a step result breaks the contract (empty when it does not). */
function problems(env: TextEnv, r: StepResult): string[] {
  const p: string[] = [];
  if (typeof r.observation !== 'string' || r.observation.length > env.maxObservationLength) p.push('observation');
  if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) p.push('reward');
  if (typeof r.terminated !== 'boolean') p.push('terminated');
  if (typeof r.truncated !== 'boolean') p.push('truncated');
  if (!r.info || typeof r.info !== 'object' || typeof r.info.valid !== 'boolean' || !(r.info.progress >= 0 && r.info.progress <= 1)) p.push('info');
  return p;
}

describe('env contract checker for every environment (reliability #20)', () => {
  const results: Record<string, { steps: number; conforming: number; episodes: number; violations: number }> = {};

  it.each(ENV_NAMES)('%s: seeded reset is deterministic, every random-valid step returns the 5 fields in range, ResetNeeded, double close', (name) => {
    // reset({seed: 123}) twice, on two instances and on one: identical observation and info.
    const a = makeEnv(name);
    const b = makeEnv(name);
    const first = JSON.stringify(a.reset({ seed: 123 }));
    expect(JSON.stringify(b.reset({ seed: 123 }))).toBe(first);
    expect(JSON.stringify(a.reset({ seed: 123 }))).toBe(first);
    a.close();
    b.close();

    // step before reset: ResetNeeded.
    const fresh = makeEnv(name);
    expect(() => fresh.step('Thought: x\nAction: look')).toThrow(ResetNeeded);
    fresh.close();

    // Random-valid steps, episode after episode: count the ones that keep the contract.
    const env = makeEnv(name);
    let steps = 0;
    let conforming = 0;
    let episodes = 0;
    const bad: string[] = [];
    while (steps < STEPS) {
      const reset = env.reset({ seed: 1000 + episodes });
      const policy = new RandomValidPolicy(env, episodes);
      policy.begin(reset.observation, reset.info);
      episodes++;
      let info = null;
      let observation = reset.observation;
      for (;;) {
        const r = env.step(policy.act(observation, info));
        steps++;
        const p = problems(env, r);
        if (p.length === 0) conforming++;
        else if (bad.length < 10) bad.push(`episode ${episodes} step ${r.info?.steps}: ${p.join(', ')}`);
        if (r.terminated || r.truncated || steps >= STEPS) break;
        observation = r.observation;
        info = r.info;
      }
    }
    env.close();
    expect(() => env.close()).not.toThrow(); // close() twice
    expect(bad).toEqual([]);
    expect(conforming).toBe(STEPS);

    // The checker itself (its own mix of valid, nonsense and malformed turns): 0 violations.
    const report = checkEnv({ make: () => makeEnv(name), steps: STEPS, seed: 123 });
    expect(report.violations).toEqual([]);
    expect(report.stepsChecked).toBe(STEPS);
    results[name] = { steps, conforming, episodes, violations: report.violations.length };
  });

  it('reports the figure', () => {
    expect(Object.keys(results).sort()).toEqual([...ENV_NAMES].sort());
    const total = Object.values(results).reduce((a, r) => a + r.steps, 0);
    const conforming = Object.values(results).reduce((a, r) => a + r.conforming, 0);
    const violations = Object.values(results).reduce((a, r) => a + r.violations, 0);
    reportFigure(
      20,
      'env contract checker, every environment',
      `${ENV_NAMES.length}/${ENV_NAMES.length} environments: ${conforming}/${total} random-valid steps (${STEPS} each) return the 5 fields in range, ` +
        `${violations} checker violations over another ${STEPS} steps each; seeded reset identical, step before reset → ResetNeeded, close() twice → no throw`,
      { envs: ENV_NAMES.length, stepsPerEnv: STEPS, conforming, total, violations },
    );
  });
});
