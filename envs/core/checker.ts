/**
 * A port of Gymnasium's env checker for text environments: determinism under a seed,
 * the types and ranges of what `step` returns, call-order errors and idempotent close.
 * Returns violations instead of throwing so a test (or `spa envs check`) can report all.
 */
import { Rng } from './rng';
import { ResetNeeded, type StepResult, type TextEnv } from './types';

export interface CheckOptions {
  seed?: number;
  /** Random-valid steps to take while checking returned values. */
  steps?: number;
  /** Fresh environments built by the same factory (used for determinism and order checks). */
  make: () => TextEnv;
}

export interface CheckReport {
  stepsChecked: number;
  episodes: number;
  violations: string[];
}

function stepViolations(env: TextEnv, r: StepResult, where: string): string[] {
  const v: string[] = [];
  if (typeof r.observation !== 'string') v.push(`${where}: observation is not a string`);
  else if (r.observation.length > env.maxObservationLength) v.push(`${where}: observation longer than ${env.maxObservationLength} chars (${r.observation.length})`);
  if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) v.push(`${where}: reward is not a finite number`);
  if (typeof r.terminated !== 'boolean') v.push(`${where}: terminated is not a boolean`);
  if (typeof r.truncated !== 'boolean') v.push(`${where}: truncated is not a boolean`);
  const info = r.info;
  if (!info || typeof info !== 'object') return [...v, `${where}: info is not an object`];
  if (typeof info.valid !== 'boolean') v.push(`${where}: info.valid is not a boolean`);
  if (typeof info.success !== 'boolean') v.push(`${where}: info.success is not a boolean`);
  if (!(info.progress >= 0 && info.progress <= 1)) v.push(`${where}: info.progress ${info.progress} outside [0,1]`);
  if (info.formatError && info.valid) v.push(`${where}: a format error counted as valid`);
  if (info.success && !r.terminated && env.name !== 'webshop') v.push(`${where}: success without termination`);
  return v;
}

export function checkEnv(options: CheckOptions): CheckReport {
  const seed = options.seed ?? 123;
  const stepsWanted = options.steps ?? 1000;
  const violations: string[] = [];

  // Step before reset must throw ResetNeeded.
  const fresh = options.make();
  try {
    fresh.step('Thought: x\nAction: look');
    violations.push('step() before reset() did not throw');
  } catch (e) {
    if (!(e instanceof ResetNeeded)) violations.push(`step() before reset() threw ${(e as Error).name}, not ResetNeeded`);
  }
  fresh.close();

  // Two seeded resets, then the same actions, must agree.
  const a = options.make();
  const b = options.make();
  const ra = a.reset({ seed });
  const rb = b.reset({ seed });
  if (JSON.stringify(ra) !== JSON.stringify(rb)) violations.push('reset({seed}) twice gave different observations or info');
  const rng = new Rng(`check#${seed}`);
  for (let t = 0; t < 8; t++) {
    const actions = a.admissibleActions();
    const text = `Thought: check\nAction: ${actions.length ? rng.pick(actions) : 'look'}`;
    const sa = a.step(text);
    const sb = b.step(text);
    if (JSON.stringify(sa) !== JSON.stringify(sb)) {
      violations.push(`step ${t + 1} after equal seeds differed`);
      break;
    }
    if (sa.terminated || sa.truncated) break;
  }
  a.close();
  b.close();

  // Random-valid steps with type checks, plus a format error and an invalid action now and then.
  const env = options.make();
  let stepsChecked = 0;
  let episodes = 0;
  while (stepsChecked < stepsWanted) {
    const reset = env.reset({ seed: seed + episodes });
    episodes++;
    if (typeof reset.observation !== 'string' || reset.observation.length === 0) violations.push(`episode ${episodes}: empty reset observation`);
    for (;;) {
      const roll = rng.next();
      const actions = env.admissibleActions();
      const text =
        roll < 0.05 ? 'I am not sure what to do.' : roll < 0.1 ? 'Thought: hmm\nAction: fly to the moon 7' : `Thought: go\nAction: ${actions.length ? rng.pick(actions) : 'look'}`;
      const r = env.step(text);
      stepsChecked++;
      violations.push(...stepViolations(env, r, `episode ${episodes} step ${r.info?.steps}`));
      if (roll < 0.05 && !r.info.formatError) violations.push(`episode ${episodes}: a turn without Action: was not a format error`);
      if (roll >= 0.05 && roll < 0.1 && r.info.valid) violations.push(`episode ${episodes}: a nonsense action counted as valid`);
      if (r.terminated || r.truncated || stepsChecked >= stepsWanted) break;
    }
    if (violations.length > 50) break;
  }
  env.close();
  try {
    env.close();
  } catch {
    violations.push('close() twice threw');
  }
  return { stepsChecked, episodes, violations };
}
