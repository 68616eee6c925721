/**
 * The SPA-RL ReAct harness: how the agent's raw text becomes an action, and the exact
 * replies when it does not (eval_agent/main.py and eval_agent/envs/*.py).
 */

export type ActionStyle = 'household' | 'webshop';

export interface ParsedTurn {
  /** The text after the harness cut it after its second newline. */
  text: string;
  /** The `Thought:` line's content, '' when absent. */
  thought: string;
  /** The action, stripped; null when there is no `Action:` (or, for WebShop, no `Action: `). */
  action: string | null;
}

/** ALFWorld and VirtualHome's reply to a turn without `Action:`. */
export const HOUSEHOLD_FORMAT_ERROR = "Observation: Error Input. Your input must contains 'Action: '";
/** WebShop's reply to a turn without `Action: `. */
export const WEBSHOP_FORMAT_ERROR = "Observation: Invalid format. The input must contains 'Action: '";
/** The TextWorld/VirtualHome reply to an action that cannot be executed. */
export const NOTHING_HAPPENS = 'Nothing happens.';

/** SPA's main.py keeps only what precedes the second newline: a Thought line and an Action line. */
export function truncateAfterSecondNewline(text: string): string {
  const first = text.indexOf('\n');
  if (first < 0) return text;
  const second = text.indexOf('\n', first + 1);
  return second < 0 ? text : text.slice(0, second);
}

const HOUSEHOLD_ACTION = /Action:\s?([\s\S]*)/; // `Action:\s?(.*)` with re.DOTALL
const WEBSHOP_ACTION = /Action: (.*)/; // needs the space; `.` stops at a newline
const THOUGHT = /Thought:\s?(.*)/;

export function parseTurn(raw: string, style: ActionStyle): ParsedTurn {
  const text = truncateAfterSecondNewline(raw);
  const thought = THOUGHT.exec(text)?.[1]?.trim() ?? '';
  const m = (style === 'webshop' ? WEBSHOP_ACTION : HOUSEHOLD_ACTION).exec(text);
  const action = m ? (m[1] ?? '').trim() : null;
  return { text, thought, action };
}

/** The observation prefix of each environment's user turns. */
export function observationPrefix(style: ActionStyle): string {
  return style === 'webshop' ? 'Observation:\n' : 'Observation: ';
}

/** Formats one agent turn the way SPA-RL's expert data does. */
export function formatTurn(thought: string, action: string): string {
  return `Thought: ${thought}\nAction: ${action}`;
}
