/**
 * The action grammar of SPA-RL's VirtualHome environment (`str2program_list`): lower-case,
 * strip, drop everything up to a ':', then exactly one template must match (as `parse.parse`
 * does: every `{}` is a lazy, non-empty, anchored group). Arguments get spaces → underscores and
 * must then equal a graph class_name. When no template matches uniquely, the original falls
 * back to `[W0] <w1> (1) <w2> (1) …`, which runs only if W0 is a script action name with the
 * right number of arguments (e.g. `walk fridge`); we reproduce that.
 * No regexes here: this runs on every step.
 */

export type Verb =
  | 'walk'
  | 'run'
  | 'find'
  | 'grab'
  | 'open'
  | 'close'
  | 'put_on'
  | 'put_in'
  | 'switch_on'
  | 'switch_off'
  | 'drink'
  | 'look_at'
  | 'sit'
  | 'stand_up'
  | 'watch'
  | 'wipe'
  | 'type_on'
  | 'wash'
  | 'cut'
  | 'eat'
  | 'sleep'
  | 'wake_up'
  | 'plug_in'
  | 'plug_out'
  | 'pour'
  | 'move'
  | 'release'
  | 'turn_to'
  | 'point_at'
  | 'put_back'
  | 'touch'
  | 'wear'
  | 'take_off'
  | 'greet'
  | 'drop'
  | 'read'
  | 'lie'
  | 'push'
  | 'pull'
  | 'rinse'
  | 'scrub'
  | 'squeeze';

export interface Template {
  verb: Verb;
  /** The template text, e.g. `put {} on {}`. */
  text: string;
  /** Literal pieces around the `{}` groups (nargs + 1 of them; the last is always ''). */
  parts: string[];
  nargs: number;
  /** VirtualHome's script action name, e.g. `PutBack` for `put X on Y`. */
  script: string;
  /** Listed in the SPA-RL instruction (the others are accepted by the parser only). */
  listed: boolean;
}

const T = (text: string, verb: Verb, script: string, listed: boolean): Template => {
  const parts = text.split('{}');
  return { verb, text, parts, nargs: parts.length - 1, script, listed };
};

/** The instruction's 27 templates, then the extra ones the parser accepts. */
export const TEMPLATES: readonly Template[] = [
  T('walk to {}', 'walk', 'Walk', true),
  T('run to {}', 'run', 'Run', true),
  T('grab {}', 'grab', 'Grab', true),
  T('open {}', 'open', 'Open', true),
  T('close {}', 'close', 'Close', true),
  T('put {} on {}', 'put_on', 'PutBack', true),
  T('put {} in {}', 'put_in', 'PutIn', true),
  T('switch on {}', 'switch_on', 'SwitchOn', true),
  T('switch off {}', 'switch_off', 'SwitchOff', true),
  T('drink {}', 'drink', 'Drink', true),
  T('look at {}', 'look_at', 'LookAt', true),
  T('sit on {}', 'sit', 'Sit', true),
  T('stand up', 'stand_up', 'StandUp', true),
  T('watch {}', 'watch', 'Watch', true),
  T('wipe {}', 'wipe', 'Wipe', true),
  T('type on {}', 'type_on', 'Type', true),
  T('wash {}', 'wash', 'Wash', true),
  T('cut {}', 'cut', 'Cut', true),
  T('eat {}', 'eat', 'Eat', true),
  T('sleep', 'sleep', 'Sleep', true),
  T('wake up', 'wake_up', 'WakeUp', true),
  T('plug in {}', 'plug_in', 'PlugIn', true),
  T('plug out {}', 'plug_out', 'PlugOut', true),
  T('pour {} into {}', 'pour', 'Pour', true),
  T('move {}', 'move', 'Move', true),
  T('release', 'release', 'Release', true),
  T('turn to {}', 'turn_to', 'TurnTo', true),
  T('find {}', 'find', 'Find', false),
  T('point at {}', 'point_at', 'PointAt', false),
  T('put back {}', 'put_back', 'PutObjBack', false),
  T('touch {}', 'touch', 'Touch', false),
  T('put on {}', 'wear', 'PutOn', false),
  T('take off {}', 'take_off', 'PutOff', false),
  T('greet {}', 'greet', 'Greet', false),
  T('drop {}', 'drop', 'Drop', false),
  T('read {}', 'read', 'Read', false),
  T('lie on {}', 'lie', 'Lie', false),
  T('push {}', 'push', 'Push', false),
  T('pull {}', 'pull', 'Pull', false),
  T('rinse {}', 'rinse', 'Rinse', false),
  T('scrub {}', 'scrub', 'Scrub', false),
  T('squeeze {}', 'squeeze', 'Squeeze', false),
];

export const TEMPLATE_OF: Readonly<Record<Verb, Template>> = Object.fromEntries(TEMPLATES.map((t) => [t.verb, t])) as Record<Verb, Template>;

/** Templates by their first word: a template can only match an action starting with that word. */
const BY_FIRST_WORD: ReadonlyMap<string, readonly Template[]> = (() => {
  const m = new Map<string, Template[]>();
  for (const t of TEMPLATES) {
    const word = (t.parts[0] as string).split(' ')[0] as string;
    m.set(word, [...(m.get(word) ?? []), t]);
  }
  return m;
})();

/** Script action names (upper-cased, as `Action[...]` looks them up) → template, for the fallback. */
const SCRIPT_VERBS: ReadonlyMap<string, Template> = new Map(TEMPLATES.map((t) => [t.script.toUpperCase(), t]));

export interface ParsedAction {
  verb: Verb;
  /** Class names (spaces already turned into underscores). */
  args: string[];
}

/** Matches one template the way `parse.parse` would; returns the raw groups or null. */
function matchTemplate(t: Template, s: string): string[] | null {
  const p0 = t.parts[0] as string;
  if (t.nargs === 0) return s === p0 ? [] : null;
  if (!s.startsWith(p0)) return null;
  if (t.nargs === 1) return s.length > p0.length ? [s.slice(p0.length)] : null;
  // Two groups: the first is lazy, so take the first separator that leaves both groups non-empty.
  const sep = t.parts[1] as string;
  let at = s.indexOf(sep, p0.length + 1);
  while (at >= 0) {
    if (at + sep.length < s.length) return [s.slice(p0.length, at), s.slice(at + sep.length)];
    at = s.indexOf(sep, at + 1);
  }
  return null;
}

const toClassName = (arg: string): string => (arg.indexOf(' ') < 0 ? arg : arg.replaceAll(' ', '_'));

/** Parses an action the way SPA-RL's `str2program_list` does; null when nothing can run. */
export function parseAction(raw: string): ParsedAction | null {
  let s = raw.toLowerCase().trim();
  const colon = s.lastIndexOf(':');
  if (colon >= 0) s = s.slice(colon + 1).trim();
  if (s.length === 0) return null;
  let found: ParsedAction | null = null;
  let matches = 0;
  const space = s.indexOf(' ');
  const candidates = BY_FIRST_WORD.get(space < 0 ? s : s.slice(0, space)) ?? [];
  for (const t of candidates) {
    const groups = matchTemplate(t, s);
    if (groups === null) continue;
    matches++;
    if (matches > 1) break;
    found = { verb: t.verb, args: groups.map(toClassName) };
  }
  if (matches === 1) return found;
  return parseFallback(s);
}

/** `[W0] <w1> (1) <w2> (1) …`: runs only when W0 is a script action name with the right arity. */
function parseFallback(s: string): ParsedAction | null {
  const words = s.split(' ').filter((w) => w.length > 0);
  const t = SCRIPT_VERBS.get((words[0] ?? '').toUpperCase());
  if (!t || words.length - 1 !== t.nargs) return null;
  return { verb: t.verb, args: words.slice(1) };
}

/** The canonical text of an action, e.g. `put milk in fridge` (class names with spaces). */
export function actionText(verb: Verb, args: readonly string[]): string {
  const t = TEMPLATE_OF[verb];
  let out = t.parts[0] as string;
  for (let i = 0; i < t.nargs; i++) out += (args[i] ?? '').split('_').join(' ') + (t.parts[i + 1] as string);
  return out;
}

/** The script line of an executed action, e.g. `[PutIn] <milk> (57) <fridge> (31)`. */
export function scriptLine(verb: Verb, args: readonly { className: string; id: number }[]): string {
  let out = `[${TEMPLATE_OF[verb].script}]`;
  for (const a of args) out += ` <${a.className}> (${a.id})`;
  return out;
}
