/**
 * The success check (`check_env`, run after every step): every goal node's states equal the
 * current ones as a set (the other fields never change here), no `revised_nodes` edge is
 * present, every `revised_add_edges` edge is present, and every event predicate has happened.
 * Progress is the share of these sub-goals that hold now: one per goal node, per edge, per event.
 */
import type { Verb } from './grammar';
import { KIND_ROOM, REL_INSIDE, REL_ON, S_LYING, S_SITTING, stateMask, type Scene } from './scene';
import type { GraphEdge, RevisedGraph } from './task-types';
import { eventKey, type World } from './world';

interface EdgeCheck {
  from: number;
  to: number;
  rel: GraphEdge['relation_type'];
}

export interface CompiledGoal {
  nodes: { index: number; mask: number }[];
  present: EdgeCheck[];
  absent: EdgeCheck[];
  events: number[];
  total: number;
}

/** Maps the grammar's verb text (`look at`) to the engine's verb (`look_at`). */
export function verbOfEventName(name: string): Verb {
  return name.split(' ').join('_') as Verb;
}

export function compileGoal(goal: RevisedGraph, scene: Scene): CompiledGoal {
  const idx = (id: number): number => {
    const i = scene.indexOfId.get(id);
    if (i === undefined) throw new Error(`virtualhome: goal refers to unknown node ${id}`);
    return i;
  };
  const edge = (e: GraphEdge): EdgeCheck => ({ from: idx(e.from_id), to: idx(e.to_id), rel: e.relation_type });
  const nodes = goal.nodes.map((n) => ({ index: idx(n.id), mask: stateMask(n.states) }));
  const present = goal.revised_add_edges.map(edge);
  const absent = goal.revised_nodes.map(edge);
  const events = goal.events.map((e) => eventKey(verbOfEventName(e.verb), idx(e.id)));
  return { nodes, present, absent, events, total: nodes.length + present.length + absent.length + events.length };
}

/** Whether an edge holds in the current state. HOLDS_RH / HOLDS_LH accept either hand. */
export function edgeHolds(w: World, e: EdgeCheck): boolean {
  const s = w.scene;
  const ch = s.character;
  switch (e.rel) {
    case 'HOLDS_RH':
    case 'HOLDS_LH':
      return e.from === ch && w.isHeld(e.to);
    case 'ON':
      if (e.from === ch) return w.sitOn === e.to && ((w.states[ch] as number) & (S_SITTING | S_LYING)) !== 0;
      return !w.isHeld(e.from) && w.parent[e.from] === e.to && w.rel[e.from] === REL_ON;
    case 'SITTING':
      return e.from === ch && w.sitOn === e.to && ((w.states[ch] as number) & S_SITTING) !== 0;
    case 'INSIDE': {
      if (s.kind[e.to] === KIND_ROOM) return w.roomOf(e.from) === e.to;
      if (!w.isHeld(e.from) && w.parent[e.from] === e.to && w.rel[e.from] === REL_INSIDE) return true;
      for (let k = 0; k < w.pours.length; k += 2) if (w.pours[k] === e.from && w.pours[k + 1] === e.to) return true;
      return false;
    }
    case 'CLOSE':
      return e.from === ch ? w.closeFlag[e.to] === 1 : (s.staticClose[e.from] as readonly number[]).includes(e.to);
    case 'FACING':
      return e.from === ch && w.facing === e.to;
    case 'BETWEEN':
      return s.staticRoom[e.from] === e.to || s.doorRoom2[e.from] === e.to;
    default:
      return false;
  }
}

/** How many sub-goals hold now. */
export function satisfiedCount(w: World, g: CompiledGoal): number {
  let k = 0;
  for (const n of g.nodes) if (w.states[n.index] === n.mask) k++;
  for (const e of g.present) if (edgeHolds(w, e)) k++;
  for (const e of g.absent) if (!edgeHolds(w, e)) k++;
  for (const ev of g.events) if (w.events.has(ev)) k++;
  return k;
}
