/** The env contract (checkEnv), trajectories, the expert and the baselines. */
import { describe, expect, it } from 'vitest';
import { parseTrajectory } from '../../../common/trajectory';
import { checkEnv } from '../../../envs/core/checker';
import { RandomValidPolicy, rollout } from '../../../envs/core/rollout';
import { OrderEnforcing, TimeLimit } from '../../../envs/core/wrappers';
import { WebshopEnv, WebshopExpert, WebshopRuleBaseline, getCatalogue, webshopGenerator } from '../../../envs/webshop/index';

const PER_SPLIT = 60;
const SPLITS = ['train', 'seen', 'unseen'] as const;

describe('WebshopEnv contract', () => {
  it('has the SPA-RL settings', () => {
    const env = new WebshopEnv();
    expect(env.name).toBe('webshop');
    expect(env.maxSteps).toBe(10);
    expect(env.maxObservationLength).toBe(6000);
  });

  it('passes checkEnv with 0 violations (bare and wrapped)', () => {
    const bare = checkEnv({ make: () => new WebshopEnv(), steps: 600 });
    expect(bare.violations).toEqual([]);
    const wrapped = checkEnv({ make: () => new OrderEnforcing(new TimeLimit(new WebshopEnv())), steps: 600 });
    expect(wrapped.violations).toEqual([]);
    expect(wrapped.stepsChecked).toBe(600);
  });

  it('a seeded reset without a task picks a training task', () => {
    const env = new WebshopEnv();
    const a = env.reset({ seed: 5 });
    const b = new WebshopEnv().reset({ seed: 5 });
    expect(a.info.task.id).toBe(b.info.task.id);
    expect(a.info.task.split).toBe('train');
    expect(a.observation).toBe(`Observation:\nWebShop [SEP] Instruction: [SEP] ${a.info.task.goal} [SEP] Search`);
  });
});

describe('expert', () => {
  it(`solves every task with reward 1.0 within 10 steps (${PER_SPLIT} per split)`, () => {
    const env = new WebshopEnv();
    let steps = 0;
    for (const split of SPLITS) {
      for (let i = 0; i < PER_SPLIT; i++) {
        const traj = rollout(env, new WebshopExpert(), { task: `webshop/v1/${split}/${i}`, policyName: 'expert' });
        expect(traj.success, traj.taskId).toBe(true);
        expect(traj.finalReward, traj.taskId).toBe(1);
        expect(traj.steps.every((s) => s.valid), traj.taskId).toBe(true);
        steps += traj.steps.length;
        if (i < 5) expect(parseTrajectory(JSON.parse(JSON.stringify(traj)))).toEqual(traj);
      }
    }
    const mean = steps / (PER_SPLIT * SPLITS.length);
    expect(mean).toBeGreaterThanOrEqual(4);
    expect(mean).toBeLessThanOrEqual(7);
  });

  it('writes one-sentence Thought lines and the ICL action shapes', () => {
    const env = new WebshopEnv();
    const traj = rollout(env, new WebshopExpert(), { task: 'webshop/v1/train/3', policyName: 'expert' });
    for (const s of traj.steps) {
      expect(s.text).toMatch(/^Thought: [^\n]+\nAction: (search|click)\[[^\n]+\]$/);
      expect(s.thought.split('. ').length).toBe(1);
    }
    expect(traj.steps[0]!.action!.startsWith('search[')).toBe(true);
    expect(traj.steps[1]!.action).toMatch(/^click\[B0[0-9A-Z]{8}\]$/);
    expect(traj.steps.at(-1)!.action).toBe('click[Buy Now]');
    expect(traj.steps.at(-1)!.progress).toBe(1);
  });

  it('does not read the goal record: a task with the same instruction but other hidden fields gets the same actions', () => {
    const env = new WebshopEnv();
    const task = webshopGenerator.task('seen', 7);
    const a = rollout(env, new WebshopExpert(), { task: task.id, policyName: 'expert' });
    const expert = new WebshopExpert();
    const reset = env.reset({ task: { ...task, attributes: ['x'], goal_options: [], asin: 'B000000000', price_upper: 1 } });
    expert.begin(reset.observation, reset.info);
    let obs = reset.observation;
    const actions: (string | null)[] = [];
    for (let t = 0; t < 10; t++) {
      const r = env.step(expert.act(obs, null));
      actions.push(r.info.action);
      obs = r.observation;
      if (r.terminated) break;
    }
    expect(actions).toEqual(a.steps.map((s) => s.action));
  });
});

describe('success conditions, per category', () => {
  it('only the right product, the asked-for options and the budget give success', () => {
    const catalogue = getCatalogue();
    for (const category of ['beauty', 'electronics', 'fashion', 'food', 'furniture']) {
      let task = webshopGenerator.task('train', 0);
      for (let i = 1; task.category !== category || task.goal_options.length === 0; i++) task = webshopGenerator.task('train', i);
      const target = catalogue.products[catalogue.idOfAsin(task.asin.toLowerCase())!]!;
      const buy = (asin: string, options: string[]) => {
        const env = new WebshopEnv();
        env.reset({ task });
        env.step(`Thought: t\nAction: search[${catalogue.products[catalogue.idOfAsin(asin.toLowerCase())!]!.Title}]`);
        const open = env.step(`Thought: t\nAction: click[${asin}]`);
        expect(open.info.valid, `${category} open ${asin}`).toBe(true);
        for (const o of options) expect(env.step(`Thought: t\nAction: click[${o}]`).info.valid).toBe(true);
        return env.step('Thought: t\nAction: click[Buy Now]');
      };
      const right = buy(task.asin, task.goal_options);
      expect(right.info.success, category).toBe(true);
      expect(right.reward, category).toBe(1);
      const noOptions = buy(task.asin, []);
      expect(noOptions.info.success, category).toBe(false);
      expect(noOptions.reward, category).toBeCloseTo((task.attributes.length + 1) / (task.attributes.length + task.goal_options.length + 1), 10);
      // a look-alike that lacks a goal attribute (or offers no goal option) fails
      const wrong = catalogue.clusterMembers(target.cluster).map((id) => catalogue.products[id]!).find((p) => !task.attributes.every((a) => p.trueAttributes.includes(a)));
      if (wrong) {
        const r = buy(wrong.asin, task.goal_options.filter((o) => Object.values(wrong.options).flat().includes(o)));
        expect(r.info.success, `${category} look-alike`).toBe(false);
        expect(r.reward).toBeLessThan(1);
      }
    }
  });
});

describe('baselines', () => {
  it('random-valid policy rarely buys the right thing (< 10%) and its trajectories parse', () => {
    const env = new WebshopEnv();
    let wins = 0;
    let n = 0;
    for (const split of SPLITS) {
      for (let i = 0; i < PER_SPLIT; i++) {
        const traj = rollout(env, new RandomValidPolicy(env, i), { task: `webshop/v1/${split}/${i}`, policyName: 'random-valid', seed: i });
        if (traj.success) wins++;
        n++;
        expect(traj.steps.every((s) => s.valid)).toBe(true);
        if (i < 3) parseTrajectory(JSON.parse(JSON.stringify(traj)));
      }
    }
    expect(wins / n).toBeLessThan(0.1);
  });

  it('the rule baseline (search the instruction, buy the top result) stays far below the expert', () => {
    const env = new WebshopEnv();
    let wins = 0;
    let n = 0;
    for (const split of SPLITS) {
      for (let i = 0; i < PER_SPLIT; i++) {
        const traj = rollout(env, new WebshopRuleBaseline(), { task: `webshop/v1/${split}/${i}`, policyName: 'rule' });
        if (traj.success) wins++;
        n++;
      }
    }
    expect(wins / n).toBeLessThan(0.3);
  });
});
