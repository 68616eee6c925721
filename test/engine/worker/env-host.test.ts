/**
 * Environments in their own thread (engine/worker/env-host.ts): they play exactly as in the
 * stage's thread; a step that hangs is abandoned at the time limit while the other episodes of
 * the thread are rebuilt by replay and finish as if nothing happened; an environment's own
 * exception crosses the thread with its name and stack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EnvName, StepInfo, TextEnv } from '../../../envs/core/types';
import { ENVIRONMENTS, makeEnv } from '../../../envs/registry';
import { taskIds } from '../../../engine/pipeline/task-ranges';
import { createEnv, EnvHost, EnvStepTimeout, isolateEnvironments } from '../../../engine/worker/env-host';

const PRELOAD = fileURLToPath(new URL('../../reliability/fixtures/env-thread-faults.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'spa-env-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hosts: EnvHost[] = [];
let faults = 0;
function host(stepTimeoutMs: number, fault: object | null = null): EnvHost {
  if (fault) {
    process.env.SPA_FAULT = JSON.stringify(fault);
    process.env.SPA_FAULT_MARKER = join(dir, `fired-${++faults}`);
  } else delete process.env.SPA_FAULT;
  const h = new EnvHost({ stepTimeoutMs, preload: fault ? PRELOAD : null });
  hosts.push(h);
  return h;
}
afterEach(() => {
  delete process.env.SPA_FAULT;
  delete process.env.SPA_FAULT_MARKER;
  for (const h of hosts.splice(0)) h.close();
});

type Played = { observations: string[]; rewards: number[]; done: boolean } | { error: Error; afterSteps: number };

/** Plays the experts of `tasks` side by side, one step of each per round, as the stages do. */
function lockstep(envName: EnvName, make: () => TextEnv, tasks: string[]): Played[] {
  const eps = tasks.map((task) => {
    const env = make();
    const expert = ENVIRONMENTS[envName].createExpert();
    const r = env.reset({ task, seed: 7 });
    expert.begin(r.observation, r.info);
    return { env, expert, obs: r.observation, info: null as StepInfo | null, played: { observations: [r.observation], rewards: [] as number[], done: false } as Played };
  });
  for (let round = 0; eps.some((e) => 'done' in e.played && !e.played.done); round++) {
    for (const e of eps) {
      const p = e.played;
      if (!('done' in p) || p.done) continue;
      try {
        const s = e.env.step(e.expert.act(e.obs, e.info));
        e.obs = s.observation;
        e.info = s.info;
        p.observations.push(s.observation);
        p.rewards.push(s.reward);
        p.done = s.terminated || s.truncated;
      } catch (error) {
        e.played = { error: error as Error, afterSteps: p.rewards.length };
      }
    }
  }
  for (const e of eps) e.env.close();
  return eps.map((e) => e.played);
}

describe('environments in their own thread', () => {
  it('play exactly as in the stage thread (every environment, expert episodes side by side)', () => {
    const h = host(10_000);
    for (const name of ['alfworld', 'webshop', 'virtualhome'] as const) {
      const tasks = taskIds(name, 'train', 4);
      expect(lockstep(name, () => h.create(name), tasks)).toEqual(lockstep(name, () => makeEnv(name), tasks));
    }
    expect(h.stats.restarts).toBe(0);
  });

  it('a step that never returns is abandoned at the limit; the other episodes are replayed into a new thread and finish unchanged', () => {
    const tasks = taskIds('alfworld', 'train', 4);
    const h = host(1500, { kind: 'hang', taskId: tasks[1], step: 2 });
    const t0 = performance.now();
    const got = lockstep('alfworld', () => h.create('alfworld'), tasks);
    const want = lockstep('alfworld', () => makeEnv('alfworld'), tasks);
    const hung = got[1] as { error: Error; afterSteps: number };
    expect(hung.error).toBeInstanceOf(EnvStepTimeout);
    expect(hung.error.message).toMatch(/did not return within 1500 ms/);
    expect(hung.afterSteps).toBe(2);
    expect([got[0], got[2], got[3]]).toEqual([want[0], want[2], want[3]]);
    expect(h.stats.restarts).toBe(1);
    expect(h.stats.replayedSteps).toBeGreaterThanOrEqual(3 * 2); // three episodes, two or more steps each
    expect(performance.now() - t0).toBeLessThan(60_000);
  });

  it("an environment's exception crosses the thread with its name, message and stack; the thread lives on", () => {
    const tasks = taskIds('virtualhome', 'train', 3);
    const h = host(10_000, { kind: 'throw', taskId: tasks[0], step: 1 });
    const got = lockstep('virtualhome', () => h.create('virtualhome'), tasks);
    const failed = got[0] as { error: Error; afterSteps: number };
    expect(failed.error.name).toBe('InjectedEnvError');
    expect(failed.error.message).toMatch(/injected step failure/);
    expect(failed.error.stack).toMatch(/faulty-env/);
    expect(failed.afterSteps).toBe(1);
    expect(got.slice(1)).toEqual(lockstep('virtualhome', () => makeEnv('virtualhome'), tasks).slice(1));
    expect(h.stats.restarts).toBe(0);
  });

  it('falls back to the stage thread, with a notice for the run log, when the thread cannot start', () => {
    const notices: string[] = [];
    isolateEnvironments({ stepTimeoutMs: 5000, preload: join(dir, 'no-such-preload.ts') }, (m) => notices.push(m));
    const tasks = taskIds('webshop', 'train', 2);
    expect(lockstep('webshop', () => createEnv('webshop'), tasks)).toEqual(lockstep('webshop', () => makeEnv('webshop'), tasks));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/environment thread could not start: .*no-such-preload.*; environments run in the stage's own thread/);
  });
});
