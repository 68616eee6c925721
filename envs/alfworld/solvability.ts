/**
 * Plays the expert on a task directly against the world (no ReAct harness): the generator's
 * solvability check, and a cheap way to measure expert lengths.
 */
import type { Policy } from '../core/types';
import { AlfworldExpert } from './expert';
import type { AlfworldTask } from './task';
import { AlfworldWorld } from './world';

export const ALFWORLD_MAX_STEPS = 40;

export interface ExpertRun {
  success: boolean;
  /** Actions taken (the step at which it succeeded, or the limit). */
  steps: number;
  actions: string[];
}

export function runPolicyOnWorld(task: AlfworldTask, policy: Policy = new AlfworldExpert(), maxSteps = ALFWORLD_MAX_STEPS): ExpertRun {
  const world = new AlfworldWorld(task);
  const first = world.taskMessage();
  policy.begin(first, { task, progress: world.progress() });
  let observation = first;
  const actions: string[] = [];
  for (let t = 1; t <= maxSteps; t++) {
    const turn = policy.act(observation, null);
    const at = turn.indexOf('Action:');
    const action = at < 0 ? '' : turn.slice(at + 7).trim();
    actions.push(action);
    const out = world.execute(action);
    if (out.won) return { success: true, steps: t, actions };
    observation = 'Observation: ' + out.text;
  }
  return { success: false, steps: maxSteps, actions };
}
