/**
 * The text after a successful action (SPA-RL's `conduct_action`): the objects CLOSE to the
 * agent that are visible, each as `class_name` or `class_name is STATE1 and STATE2`; then the
 * ON relations among them; then `You have X.` per held object. Joined as
 * `<objs>, <relations>. You have X. ` with a trailing space, and empty after walking into a room.
 *
 * Reproduces the ICL example exactly:
 *   walk to dining room → ``
 *   walk to water glass → `water_glass is CLEAN. `
 *   grab water glass    → `character, water_glass is CLEAN. You have water_glass. `
 * `character` is listed while the agent holds something (the held object's CLOSE edge back to
 * the agent is what brings it in, in the original). States print in the fixed order of
 * catalogue.ts STATES (the original's order is a Python set's); a class listed several times is
 * written once with the union of its listed instances' states.
 */
import { STATES } from './catalogue';
import { KIND_CHARACTER, KIND_ITEM, REL_ON } from './scene';
import type { World } from './world';

const STATE_COUNT = STATES.length;

function describe(name: string, states: number): string {
  if (states === 0) return name;
  let out = name + ' is ';
  let first = true;
  for (let i = 0; i < STATE_COUNT; i++) {
    if (!(states & (1 << i))) continue;
    out += (first ? '' : ' and ') + (STATES[i] as string);
    first = false;
  }
  return out;
}

/** The ON target of a listed node, or -1. */
function onTarget(w: World, i: number): number {
  const s = w.scene;
  if (s.kind[i] === KIND_CHARACTER) return w.sitOn;
  if (s.kind[i] === KIND_ITEM && (w.rh === i || w.lh === i)) return -1;
  return w.rel[i] === REL_ON ? (w.parent[i] as number) : -1;
}

export function observationText(w: World): string {
  const s = w.scene;
  const listed: number[] = [];
  if (w.holdsAny()) listed.push(s.character);
  for (const i of w.closeList) if (i !== s.character && w.isVisible(i)) listed.push(i);
  if (listed.length === 0 && !w.holdsAny()) return '';

  // One entry per class, in first-appearance order, with the union of its states.
  const names: string[] = [];
  const masks: number[] = [];
  for (const i of listed) {
    const name = s.classNames[s.cls[i] as number] as string;
    const k = names.indexOf(name);
    if (k < 0) {
      names.push(name);
      masks.push(w.states[i] as number);
    } else masks[k] = (masks[k] as number) | (w.states[i] as number);
  }
  let text = '';
  for (let k = 0; k < names.length; k++) text += (k ? ', ' : '') + describe(names[k] as string, masks[k] as number);

  const relations: string[] = [];
  for (const i of listed) {
    const t = onTarget(w, i);
    if (t < 0 || !listed.includes(t)) continue;
    const r = `${s.classNames[s.cls[i] as number]} ON ${s.classNames[s.cls[t] as number]}`;
    if (!relations.includes(r)) relations.push(r);
  }
  for (const r of relations) text += ', ' + r;
  if (text.length) text += '. ';
  if (w.rh >= 0) text += `You have ${s.classNames[s.cls[w.rh] as number]}. `;
  if (w.lh >= 0) text += `You have ${s.classNames[s.cls[w.lh] as number]}. `;
  return text;
}
