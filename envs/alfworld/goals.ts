/**
 * The six ALFWorld task types, their goal sentences (goal_library.py plus the third put variant
 * found in the shipped games), which room types each is valid in (GOALS_VALID), and the parser
 * the expert uses to read a goal back from the task message.
 */
import type { RoomType } from './catalogue';

export const ALFWORLD_TASK_TYPES = ['put', 'clean', 'heat', 'cool', 'examine', 'puttwo'] as const;
export type AlfworldTaskType = (typeof ALFWORLD_TASK_TYPES)[number];

/**
 * Goal templates per task type. `{obj}`, `{recep}` and `{toggle}` are lower-case type names.
 * The engine shows `Your task is to: <template>.`
 */
export const GOAL_TEMPLATES: Record<AlfworldTaskType, readonly string[]> = {
  put: ['put a {obj} in {recep}', 'put some {obj} on {recep}', 'find some {obj} and put it in {recep}'],
  clean: ['put a clean {obj} in {recep}', 'clean some {obj} and put it in {recep}'],
  heat: ['put a hot {obj} in {recep}', 'heat some {obj} and put it in {recep}'],
  cool: ['put a cool {obj} in {recep}', 'cool some {obj} and put it in {recep}'],
  puttwo: ['put two {obj} in {recep}', 'find two {obj} and put them in {recep}'],
  examine: ['look at {obj} under the {toggle}', 'examine the {obj} with the {toggle}'],
};

/** GOALS_VALID: the room types each task type is generated in. */
export const GOALS_VALID: Record<AlfworldTaskType, readonly RoomType[]> = {
  put: ['kitchen', 'livingroom', 'bedroom', 'bathroom'],
  puttwo: ['kitchen', 'livingroom', 'bedroom', 'bathroom'],
  examine: ['livingroom', 'bedroom'],
  clean: ['kitchen', 'bathroom'],
  heat: ['kitchen'],
  cool: ['kitchen'],
};

export interface GoalSpec {
  taskType: AlfworldTaskType;
  object: string;
  /** Goal receptacle type; null for examine. */
  receptacle: string | null;
  /** Lamp type; only for examine. */
  toggle: string | null;
}

export function fillTemplate(template: string, spec: Omit<GoalSpec, 'taskType'>): string {
  return template
    .replace('{obj}', spec.object)
    .replace('{recep}', spec.receptacle ?? '')
    .replace('{toggle}', spec.toggle ?? '');
}

/** Every goal sentence the spec can be phrased as. */
export function goalSentences(spec: GoalSpec): string[] {
  return GOAL_TEMPLATES[spec.taskType].map((t) => fillTemplate(t, spec));
}

/**
 * Reads a goal sentence (without `Your task is to: ` and the final period) back into its spec.
 * Type names are single words, so a word-level match against the templates is exact.
 */
export function parseGoal(sentence: string): GoalSpec | null {
  const words = sentence.trim().split(' ');
  // Most specific first: `put a clean X in R` must not be read as `put a {obj} in {recep}`.
  const order: AlfworldTaskType[] = ['clean', 'heat', 'cool', 'puttwo', 'examine', 'put'];
  for (const taskType of order) {
    for (const template of GOAL_TEMPLATES[taskType]) {
      const t = template.split(' ');
      if (t.length !== words.length) continue;
      const bound: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < t.length && ok; i++) {
        const tw = t[i] as string;
        const w = words[i] as string;
        if (tw.startsWith('{')) bound[tw] = w;
        else ok = tw === w;
      }
      if (ok && bound['{obj}']) {
        return { taskType, object: bound['{obj}'], receptacle: bound['{recep}'] ?? null, toggle: bound['{toggle}'] ?? null };
      }
    }
  }
  return null;
}
