/**
 * Reliability test #23 (../shared/docs/reliability.md): invalid text actions. Our environments
 * follow SPA-RL, not TextArena: an unparsable turn gets the exact format-error reply and an
 * illegal action gets the environment's feedback ("Nothing happens." in the household worlds,
 * the unchanged page in WebShop); neither ends the episode, only the step limit does. SPA-RL's
 * grounding term g_t and the grounding-accuracy metric are computed from those invalid steps,
 * so TextArena's errorAllowance (lose the game after N invalid moves) is deliberately not
 * adopted: it would cut the very steps the method learns from.
 *
 * K invalid turns are injected into expert episodes at random positions; the episode must record
 * exactly those K extra steps (valid=false, raw text kept, feedback as the next observation) and
 * be otherwise identical to the clean episode (an invalid action changes nothing in the world).
 */
import { describe, expect, it } from 'vitest';
import type { StepRecord, Trajectory } from '../../common/trajectory';
import { toChat } from '../../envs/core/conversation';
import { HOUSEHOLD_FORMAT_ERROR, NOTHING_HAPPENS, WEBSHOP_FORMAT_ERROR } from '../../envs/core/react';
import { Rng } from '../../envs/core/rng';
import { rollout } from '../../envs/core/rollout';
import { formatTaskId } from '../../envs/core/task-id';
import { ENV_NAMES, type EnvName, type Policy, type ResetInfo, type StepInfo } from '../../envs/core/types';
import { ENVIRONMENTS, makeEnv } from '../../envs/registry';
import { reportFigure, scale } from './figures';

const TASKS = scale(10, 100);
const K = 3;

const UNPARSABLE = 'I am not sure what to do next.';
const illegal = (env: EnvName) => (env === 'webshop' ? 'Thought: I will press something.\nAction: click[no such button]' : 'Thought: I will try something odd.\nAction: fly to the moon 7');

/** Plays the expert, but answers with `inject[t]` at turn t (the expert never sees those turns). */
class Injecting implements Policy {
  private turn = 0;
  private lastObservation = '';
  private lastInfo: StepInfo | null = null;
  constructor(
    private readonly expert: Policy,
    private readonly inject: ReadonlyMap<number, string>,
  ) {}
  begin(observation: string, info: ResetInfo): void {
    this.lastObservation = observation;
    this.expert.begin(observation, info);
  }
  act(observation: string, info: StepInfo | null): string {
    const t = this.turn++;
    // The expert continues from what its own last action produced.
    if (t > 0 && !this.inject.has(t - 1)) {
      this.lastObservation = observation;
      this.lastInfo = info;
    }
    return this.inject.get(t) ?? this.expert.act(this.lastObservation, this.lastInfo);
  }
}

const strip = (s: StepRecord) => ({ text: s.text, observation: s.observation, valid: s.valid, reward: s.reward, progress: s.progress });

describe('invalid text actions (reliability #23)', () => {
  const figures: Record<string, { episodes: number; injected: number; recorded: number; limit: number }> = {};

  it.each(ENV_NAMES)('%s: K injected invalid turns → K steps valid=false with the raw text and the feedback as next observation; the episode goes on', (name) => {
    const def = ENVIRONMENTS[name];
    const formatError = name === 'webshop' ? WEBSHOP_FORMAT_ERROR : HOUSEHOLD_FORMAT_ERROR;
    const rng = new Rng(`invalid-actions#${name}`);
    let episodes = 0;
    let injected = 0;
    let recorded = 0;
    for (let i = 0; episodes < TASKS; i++) {
      const task = formatTaskId({ env: name, version: def.generator.version, split: 'train', index: i });
      const clean = rollout(makeEnv(name), def.createExpert(), { task, seed: i, policyName: 'expert' });
      if (clean.steps.length + K > makeEnv(name).maxSteps) continue; // no room for K more turns (WebShop's 10)
      episodes++;
      // K distinct positions before the expert's last turn (the episode still ends on the expert's terms).
      const slots = Array.from({ length: clean.steps.length + K - 1 }, (_, t) => t);
      const at = new Map<number, string>();
      while (at.size < K) at.set(slots.splice(rng.int(slots.length), 1)[0] as number, at.size % 2 === 0 ? UNPARSABLE : illegal(name));
      const t: Trajectory = rollout(makeEnv(name), new Injecting(def.createExpert(), at), { task, seed: i, policyName: 'expert+invalid' });
      injected += K;

      expect(t.steps).toHaveLength(clean.steps.length + K);
      const chat = toChat(t, { icl: false });
      for (const [pos, text] of at) {
        const s = t.steps[pos] as StepRecord;
        expect(s.valid).toBe(false);
        expect(s.text).toBe(text); // the raw text, as the agent wrote it
        // The page before it (a format-error reply is not a page).
        const pages = [t.initialObservation, ...t.steps.slice(0, pos).map((x) => x.observation)].filter((o) => o !== formatError);
        const before = pages.at(-1) as string;
        if (text === UNPARSABLE) {
          expect(s.action).toBeNull();
          expect(s.observation).toBe(formatError);
        } else if (name === 'webshop') {
          expect(s.action).toBe('click[no such button]');
          expect(s.observation.replace(/^Observation:\s*/, '')).toBe(before.replace(/^Observation:\s*/, '')); // the page, unchanged
        } else {
          expect(s.action).toBe('fly to the moon 7');
          expect(s.observation).toBe(`Observation: ${NOTHING_HAPPENS}`);
        }
        // What the agent sees next: the user turn right after its invalid turn is that feedback.
        // (the chat: instruction, "OK", the task message, then one agent turn and one observation per step)
        expect(chat[3 + 2 * pos]).toEqual({ role: 'assistant', content: text });
        expect(chat[4 + 2 * pos]).toEqual({ role: 'user', content: s.observation });
        recorded++;
      }
      // Without the injected turns the episode is the clean one: invalid actions change nothing.
      expect(t.steps.filter((_, j) => !at.has(j)).map(strip)).toEqual(clean.steps.map(strip));
      expect({ terminated: t.terminated, truncated: t.truncated, success: t.success, finalReward: t.finalReward }).toEqual({
        terminated: clean.terminated,
        truncated: clean.truncated,
        success: clean.success,
        finalReward: clean.finalReward,
      });
    }

    // Only invalid turns: no error allowance ends the episode early; the step limit truncates it.
    const env = makeEnv(name);
    const garbage: Policy = { begin: () => undefined, act: () => (rng.next() < 0.5 ? UNPARSABLE : illegal(name)) };
    const all = rollout(env, garbage, { task: formatTaskId({ env: name, version: def.generator.version, split: 'train', index: 0 }), seed: 0, policyName: 'invalid' });
    expect(all.steps).toHaveLength(env.maxSteps);
    expect(all.steps.every((s) => !s.valid)).toBe(true);
    expect({ terminated: all.terminated, truncated: all.truncated }).toEqual({ terminated: false, truncated: true });
    figures[name] = { episodes, injected, recorded, limit: env.maxSteps };
  });

  it('reports the figure', () => {
    const f = Object.values(figures);
    expect(f).toHaveLength(ENV_NAMES.length);
    const injected = f.reduce((a, x) => a + x.injected, 0);
    const recorded = f.reduce((a, x) => a + x.recorded, 0);
    const episodes = f.reduce((a, x) => a + x.episodes, 0);
    reportFigure(
      23,
      'invalid text actions',
      `${recorded}/${injected} injected invalid turns (K = ${K} per episode, ${episodes} expert episodes over ${ENV_NAMES.length} environments) recorded as valid=false with the raw text, ` +
        `the format-error / "Nothing happens." / unchanged-page feedback as the next observation, and the episode otherwise identical; ` +
        `an all-invalid episode runs to the step limit (${ENV_NAMES.map((n) => figures[n]?.limit).join('/')}) and is truncated: no errorAllowance (SPA-RL's grounding needs those steps)`,
      { injected, recorded, episodes, K },
    );
  });
});
