import { describe, expect, it } from 'vitest';
import { rollout } from '../../../envs/core/rollout';
import { SPLITS, type ResetInfo, type StepInfo } from '../../../envs/core/types';
import { TimeLimit } from '../../../envs/core/wrappers';
import { VirtualhomeEnv, VirtualhomeExpert, virtualhomeGenerator, type VirtualhomeTask } from '../../../envs/virtualhome';
import { parseAction, TEMPLATE_OF } from '../../../envs/virtualhome/grammar';
import { fixtureTask, ID } from './fixture';

const PER_SPLIT = 60;
const TURN = /^Thought: [A-Z][^\n]*[.]\nAction: [A-Z][a-z]*( [a-z_ ]+)?$/;

describe('virtualhome expert', () => {
  it(`solves every one of ${PER_SPLIT} tasks per split within the step limit, in the ICL's format`, () => {
    const env = new TimeLimit(new VirtualhomeEnv());
    let steps = 0;
    let n = 0;
    for (const split of SPLITS) {
      for (let i = 0; i < PER_SPLIT; i++) {
        const task = virtualhomeGenerator.task(split, i);
        const traj = rollout(env, new VirtualhomeExpert(), { task: task.id, policyName: 'expert' });
        expect(traj.success, task.id).toBe(true);
        expect(traj.finalReward).toBe(1);
        expect(traj.steps.length).toBeLessThanOrEqual(30);
        for (const s of traj.steps) expect(s.text, task.id).toMatch(TURN);
        steps += traj.steps.length;
        n++;
        // The valid actions are the gold program (success may come before its last line).
        const valid = traj.steps.filter((s) => s.valid).map((s) => `[${TEMPLATE_OF[parseAction(s.action ?? '')?.verb ?? 'release'].script}]`);
        expect(valid, task.id).toEqual(task.program.slice(0, valid.length).map((l) => l.slice(0, l.indexOf(']') + 1)));
      }
    }
    const mean = steps / n;
    expect(mean).toBeGreaterThan(4);
    expect(mean).toBeLessThan(12);
  });

  it('acts on the recipe and observations only: it succeeds without seeing the graph, goal, bindings or program', () => {
    const env = new VirtualhomeEnv();
    for (const split of SPLITS) {
      for (let i = 0; i < 27; i++) {
        const task = virtualhomeGenerator.task(split, i);
        const blind: VirtualhomeTask = {
          ...task,
          init_graph: { nodes: [], edges: [] },
          revised_graph: { nodes: [], revised_nodes: [], revised_add_edges: [], events: [] },
          object_id_dict: {},
          program: [],
        };
        const reset = env.reset({ task });
        const expert = new VirtualhomeExpert();
        expert.begin(reset.observation, { ...reset.info, task: blind } as ResetInfo);
        let obs = reset.observation;
        let info: StepInfo | null = null;
        let success = false;
        for (let t = 0; t < 40 && !success; t++) {
          const r = env.step(expert.act(obs, info));
          obs = r.observation;
          info = r.info;
          success = r.info.success;
        }
        expect(success, task.id).toBe(true);
      }
    }
  });

  it('opens a container it sees CLOSED and plugs in what it sees PLUGGED_OUT', () => {
    const env = new VirtualhomeEnv();
    const task: VirtualhomeTask = {
      ...fixtureTask(
        {
          nodes: [{ id: ID.television, class_name: 'television', category: 'Electronics', properties: [], states: ['ON', 'PLUGGED_IN'] }],
          revised_add_edges: [{ from_id: ID.milk, relation_type: 'ON', to_id: ID.tvstand }],
        },
        { title: 'Test', description: 'Put the milk on the tvstand and switch on the television' },
      ),
      recipe: [
        { op: 'fetch', obj: 'milk' },
        { op: 'put', obj: 'milk', rel: 'on', recep: 'tvstand' },
        { op: 'switch', obj: 'television', to: 'on' },
      ],
    };
    const traj = rollout(env, new VirtualhomeExpert(), { task: task as never, policyName: 'expert' });
    expect(traj.steps.map((s) => s.action)).toEqual([
      'Walk to milk',
      'Open fridge',
      'Grab milk',
      'Walk to tvstand',
      'Put milk on tvstand',
      'Walk to television',
      'Plug in television',
      'Switch on television',
    ]);
    expect(traj.success).toBe(true);
  });

  it('opens the door when a walk gives `Nothing happens.`', () => {
    const env = new VirtualhomeEnv();
    const task: VirtualhomeTask = {
      ...fixtureTask(
        { nodes: [{ id: 1, class_name: 'character', category: 'Characters', properties: [], states: ['SITTING'] }] },
        { title: 'Go to toilet', description: 'Go to the bathroom and sit on the toilet', bindings: { door: ID.doorOfficeBath } },
      ),
      recipe: [
        { op: 'go', room: 'bathroom' },
        { op: 'sit', obj: 'toilet' },
      ],
    };
    const traj = rollout(env, new VirtualhomeExpert(), { task: task as never, policyName: 'expert' });
    expect(traj.steps.map((s) => [s.action, s.observation])).toEqual([
      ['Walk to bathroom', 'Observation: Nothing happens.'],
      ['Walk to door', 'Observation: door is CLOSED. '],
      ['Open door', 'Observation: door is OPEN. '],
      ['Walk to bathroom', 'Observation: '],
      ['Walk to toilet', 'Observation: toilet is CLOSED. '],
      // `character` is listed only while something is held (see observation.ts).
      ['Sit on toilet', 'Observation: toilet is CLOSED. '],
    ]);
    expect(traj.success).toBe(true);
  });
});
