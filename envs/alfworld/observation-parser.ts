/**
 * Reads the engine's texts back: the receptacle list of the task message, the goal sentence and
 * receptacle descriptions. Used by the expert, which may only act on what the agent observes.
 */
import { NOTHING_HAPPENS } from '../core/react';
import { INTRO_PREFIX } from './text';

const TASK_PREFIX = 'Your task is to: ';
const OBSERVATION_PREFIX = 'Observation: ';

/** `a x 1, a y 2, and a z 3` / `nothing` → names. */
export function parseItems(list: string): string[] {
  if (list === 'nothing' || list === '') return [];
  return list.split(', ').map((item) => {
    let s = item;
    if (s.startsWith('and ')) s = s.slice(4);
    if (s.startsWith('a ')) s = s.slice(2);
    return s;
  });
}

function stripPeriod(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

export interface TaskMessage {
  receptacles: string[];
  goal: string;
}

/** The first user turn: the intro line, then `Your task is to: <goal>.` (one or two newlines between). */
export function parseTaskMessage(text: string): TaskMessage {
  const lines = text.split('\n').filter((l) => l.length > 0);
  let receptacles: string[] = [];
  let goal = '';
  for (const line of lines) {
    if (line.startsWith(INTRO_PREFIX)) receptacles = parseItems(stripPeriod(line.slice(INTRO_PREFIX.length)));
    else if (line.startsWith(TASK_PREFIX)) goal = stripPeriod(line.slice(TASK_PREFIX.length));
  }
  return { receptacles, goal };
}

/** Drops the `Observation: ` prefix of a user turn. */
export function observationBody(text: string): string {
  return text.startsWith(OBSERVATION_PREFIX) ? text.slice(OBSERVATION_PREFIX.length) : text;
}

export function isNothingHappens(body: string): boolean {
  return body === NOTHING_HAPPENS;
}

/** What a receptacle description says: closed, or the items seen (open or a surface). */
export type ReceptacleView = { closed: true } | { closed: false; items: string[] };

/**
 * Parses `The r is closed.`, `The r is open. In it, you see ….`, `On the r, you see ….` and
 * `You open the r. The r is open. In it, you see ….` for the receptacle `r`; null if it is none.
 */
export function parseReceptacleView(body: string, r: string): ReceptacleView | null {
  if (body === `The ${r} is closed.`) return { closed: true };
  const openHead = `The ${r} is open. In it, you see `;
  const surfaceHead = `On the ${r}, you see `;
  const openedHead = `You open the ${r}. ${openHead}`;
  for (const head of [openedHead, openHead, surfaceHead]) {
    if (body.startsWith(head)) return { closed: false, items: parseItems(stripPeriod(body.slice(head.length))) };
  }
  return null;
}
