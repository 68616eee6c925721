/**
 * The environment as agents meet it: the contract checker, the admissible list, the expert (100%,
 * original-like lengths, observable information only), and the baselines that show tasks are not
 * too easy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrajectory, type Trajectory } from '../../../common/trajectory';
import { AlfworldEnv, AlfworldExpert, AlfworldListedOrderHeuristic, AlfworldWorld, alfworldGenerator, runPolicyOnWorld, type AlfworldTask } from '../../../envs/alfworld';
import { checkEnv } from '../../../envs/core/checker';
import { RandomValidPolicy, rollout } from '../../../envs/core/rollout';
import { Rng } from '../../../envs/core/rng';
import { formatTaskId } from '../../../envs/core/task-id';
import { ResetNeeded, SPLITS, type Split } from '../../../envs/core/types';
import { OrderEnforcing, TimeLimit } from '../../../envs/core/wrappers';

const make = () => new OrderEnforcing(new TimeLimit(new AlfworldEnv()));
const id = (split: Split, index: number) => formatTaskId({ env: 'alfworld', version: 1, split, index });
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1] as number;

describe('AlfworldEnv contract', () => {
  it('declares the SPA-RL settings', () => {
    const env = new AlfworldEnv();
    expect(env.name).toBe('alfworld');
    expect(env.maxSteps).toBe(40);
    expect(env.maxObservationLength).toBe(4000);
  });

  it('passes the Gymnasium-style checker with 0 violations, bare and wrapped', () => {
    const wrapped = checkEnv({ make, steps: 1500 });
    expect(wrapped.violations).toEqual([]);
    expect(wrapped.stepsChecked).toBe(1500);
    expect(checkEnv({ make: () => new AlfworldEnv(), steps: 500 }).violations).toEqual([]);
  });

  it('refuses step before reset with ResetNeeded; reports admissible on reset and every non-final step', () => {
    const env = new AlfworldEnv();
    expect(() => env.step('Action: look')).toThrow(ResetNeeded);
    const r = env.reset({ task: id('train', 3) });
    expect(r.info.admissible).toEqual(env.admissibleActions());
    expect(r.info.task.id).toBe(id('train', 3));
    const s = env.step('Thought: look around.\nAction: look');
    expect(s.info.admissible).toEqual(env.admissibleActions());
    expect(s.observation).toBe('Observation: ' + r.observation.split('\n')[0]);
    const bad = env.step('I will look.');
    expect(bad.observation).toBe("Observation: Error Input. Your input must contains 'Action: '");
    expect(bad.info).toMatchObject({ formatError: true, valid: false, steps: 2 });
    // The admissible list handed out is a copy: mutating it changes nothing.
    const list = env.admissibleActions();
    list.length = 0;
    expect(env.admissibleActions().length).toBeGreaterThan(0);
  });

  it('the admissible list is sorted, unique, and exactly the commands the world executes', () => {
    const rng = new Rng('admissible-equivalence');
    for (let t = 0; t < 20; t++) {
      const task = alfworldGenerator.task('train', 500 + t);
      const world = new AlfworldWorld(task);
      const recs = task.receptacles.map((r) => r.name);
      const objs = task.receptacles.flatMap((r) => r.contents);
      for (let step = 0; step < 30; step++) {
        const list = world.admissible();
        expect(list).toEqual([...new Set(list)].sort());
        const set = new Set(list);
        // Every syntactic command over the scene's names: admissible ⇔ executable.
        const candidates = ['look', 'inventory', 'look ', 'Look'];
        for (const r of recs) candidates.push(`go to ${r}`, `open ${r}`, `close ${r}`, `examine ${r}`);
        for (const o of objs) {
          candidates.push(`examine ${o}`, `use ${o}`);
          for (const r of recs) candidates.push(`take ${o} from ${r}`, `put ${o} in/on ${r}`, `heat ${o} with ${r}`, `cool ${o} with ${r}`, `clean ${o} with ${r}`);
        }
        const mismatches = candidates.filter((c) => world.isAdmissible(c) !== set.has(c));
        expect(mismatches).toEqual([]);
        expect(list.every((c) => candidates.includes(c))).toBe(true);
        world.execute(rng.pick(list));
      }
    }
  });
});

describe('AlfworldExpert', () => {
  const runs: Record<Split, Trajectory[]> = { train: [], seen: [], unseen: [] };
  let every: Trajectory[] = [];
  beforeAll(() => {
    const env = make();
    for (const split of SPLITS) {
      for (let i = 0; i < 60; i++) runs[split].push(rollout(env, new AlfworldExpert(), { task: id(split, i), seed: i, policyName: 'expert' }));
    }
    every = SPLITS.flatMap((s) => runs[s]);
  });

  it('solves 100% of 60 tasks per split within the 40-step limit', () => {
    for (const split of SPLITS) expect(runs[split].filter((t) => !t.success).map((t) => t.taskId)).toEqual([]);
    expect(every.every((t) => t.terminated && !t.truncated && t.finalReward === 1 && t.steps.length <= 40)).toBe(true);
  });

  it('has trajectories about as long as the originals (≈10 actions, spanning ~5–25)', () => {
    const lengths = every.map((t) => t.steps.length);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect(mean).toBeGreaterThan(8);
    expect(mean).toBeLessThan(12);
    expect(Math.min(...lengths)).toBeLessThanOrEqual(5);
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(20);
  });

  it('writes one short templated thought and one action per turn, opens but never closes, and only valid actions', () => {
    const thoughts = new Set<string>();
    for (const t of every) {
      for (const s of t.steps) {
        expect(s.text).toMatch(/^Thought: [^\n]+\nAction: [^\n]+$/);
        expect(s.thought.split(/[.;] /).length).toBeLessThanOrEqual(2);
        thoughts.add(s.thought.replace(/[a-z]+ \d+/g, 'X').replace(/\b(to|a|the) [a-z]+\b/g, '$1 Y'));
        expect(s.action?.startsWith('close ')).toBe(false);
      }
      // Invalid steps only where a shared spot is discovered (`go to` the receptacle it stands at).
      for (const s of t.steps.filter((x) => !x.valid)) expect(s.action).toMatch(/^go to /);
    }
    expect(thoughts.size).toBeGreaterThan(8);
  });

  it('puttwo never re-takes the object it already placed', () => {
    for (const t of every.filter((x) => x.taskType === 'puttwo')) {
      const placed = new Set<string>();
      for (const s of t.steps) {
        const a = s.action ?? '';
        if (a.startsWith('put ')) placed.add(a.slice(4, a.indexOf(' in/on ')));
        if (a.startsWith('take ')) expect(placed.has(a.slice(5, a.indexOf(' from ')))).toBe(false);
      }
    }
  });

  it('acts only on what it observes: hiding the scene from it changes nothing', () => {
    for (let i = 0; i < 20; i++) {
      const task = alfworldGenerator.task('seen', i);
      const world = new AlfworldWorld(task);
      const blind = new AlfworldExpert();
      blind.begin(world.taskMessage(), { task: { ...task, receptacles: [] } as unknown as AlfworldTask, progress: 0 });
      const normal = runPolicyOnWorld(task);
      const actions: string[] = [];
      let obs = world.taskMessage();
      for (let k = 0; k < normal.steps; k++) {
        const turn = blind.act(obs, null);
        const action = turn.slice(turn.indexOf('Action: ') + 8);
        actions.push(action);
        obs = 'Observation: ' + world.execute(action).text;
      }
      expect(actions).toEqual(normal.actions);
    }
  });

  it('records trajectories that parse with the shared schema', () => {
    for (const t of every.slice(0, 30)) expect(parseTrajectory(JSON.parse(JSON.stringify(t)))).toEqual(t);
  });
});

describe('tasks are not too easy', () => {
  it('a random valid policy succeeds on well under 10% of tasks', () => {
    const env = make();
    for (const split of SPLITS) {
      let wins = 0;
      for (let i = 0; i < 100; i++) {
        const t = rollout(env, new RandomValidPolicy(env, i), { task: id(split, i), seed: i, policyName: 'random-valid' });
        expect(parseTrajectory(JSON.parse(JSON.stringify(t))).steps.length).toBe(t.steps.length);
        if (t.success) wins++;
      }
      expect(wins).toBeLessThan(5);
    }
  });

  it('visiting receptacles in listed order takes far longer than the prior-guided expert in kitchens', () => {
    const heuristic: number[] = [];
    const expert: number[] = [];
    for (let i = 0; i < 300 && heuristic.length < 80; i++) {
      const task = alfworldGenerator.task('train', i);
      if (task.roomType !== 'kitchen') continue;
      const h = runPolicyOnWorld(task, new AlfworldListedOrderHeuristic(), 200);
      heuristic.push(h.success ? h.steps : 200);
      expert.push(runPolicyOnWorld(task).steps);
    }
    expect(median(heuristic)).toBeGreaterThanOrEqual(2 * median(expert));
    expect(heuristic.filter((s) => s > 40).length / heuristic.length).toBeGreaterThan(0.1);
  });
});
