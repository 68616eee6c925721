/**
 * Reads an observation body the way an agent can: which classes are listed (with their
 * states), and what is held. Used by the expert; it sees nothing else of the world.
 */
import { NOTHING_HAPPENS } from '../core/react';

export interface SeenObservation {
  /** The action succeeded (anything but `Nothing happens.`). */
  ok: boolean;
  /** Listed classes → their printed states. */
  listed: Map<string, string[]>;
  /** Classes after `You have`. */
  held: string[];
}

const OBS_PREFIX = 'Observation: ';
const YOU_HAVE = 'You have ';

export function readObservation(raw: string): SeenObservation {
  const body = raw.startsWith(OBS_PREFIX) ? raw.slice(OBS_PREFIX.length) : raw;
  const listed = new Map<string, string[]>();
  const held: string[] = [];
  if (body.trim() === NOTHING_HAPPENS) return { ok: false, listed, held };
  let rest = body;
  const firstHave = rest.indexOf(YOU_HAVE);
  let objects = firstHave >= 0 ? rest.slice(0, firstHave) : rest;
  rest = firstHave >= 0 ? rest.slice(firstHave) : '';
  objects = objects.trim();
  if (objects.endsWith('.')) objects = objects.slice(0, -1);
  for (const entry of objects.split(', ')) {
    if (!entry) continue;
    const is = entry.indexOf(' is ');
    if (is >= 0) listed.set(entry.slice(0, is), entry.slice(is + 4).split(' and '));
    else if (!entry.includes(' ON ')) listed.set(entry, listed.get(entry) ?? []); // `A ON B` is a relation

  }
  for (const sentence of rest.split('. ')) {
    const s = sentence.trim();
    if (s.startsWith(YOU_HAVE)) held.push(s.slice(YOU_HAVE.length).replace(/\.$/, ''));
  }
  return { ok: true, listed, held };
}
