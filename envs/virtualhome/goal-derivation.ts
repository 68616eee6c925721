/**
 * Derives a task's goal the way the original's `revised_graph` comes about: as the difference
 * between the initial graph and the graph after the gold program, but restricted to what the
 * recipe is about (the objects it moves, switches, opens or cleans, the character's posture),
 * so that incidental changes (a cabinet opened on the way, a door) are not required. No-state
 * verbs (drink, watch, eat, …) become event predicates.
 */
import { stateNames, type Scene } from './scene';
import type { GoalEvent, Graph, GraphEdge, GraphNode, RecipeStep, RevisedGraph } from './task-types';
import type { World } from './world';

const REL_NAME = ['', 'ON', 'INSIDE'] as const;

export function deriveGoal(graph: Graph, scene: Scene, world: World, recipe: readonly RecipeStep[]): RevisedGraph | null {
  const ch = scene.character;
  const nodeOf = (cls: string): number => {
    const c = scene.classIndex.get(cls);
    return c === undefined ? -1 : (world.bound[c] as number);
  };
  const stateNodes = new Set<number>();
  const edgeNodes = new Set<number>();
  const keepNodes = new Set<number>();
  const pours: [number, number][] = [];
  const events: GoalEvent[] = [];
  let posture = false;
  for (const step of recipe) {
    switch (step.op) {
      case 'switch':
      case 'unplug':
      case 'open':
      case 'close':
      case 'clean':
        stateNodes.add(nodeOf(step.obj));
        break;
      case 'sit':
      case 'lie':
        posture = true;
        stateNodes.add(ch);
        break;
      case 'fetch':
        edgeNodes.add(nodeOf(step.obj));
        if (step.keep) keepNodes.add(nodeOf(step.obj));
        break;
      case 'put':
      case 'wear':
        edgeNodes.add(nodeOf(step.obj));
        break;
      case 'pour':
        pours.push([nodeOf(step.obj), nodeOf(step.recep)]);
        break;
      case 'use': {
        const target = step.obj === undefined ? ch : nodeOf(step.obj);
        events.push({ verb: step.verb, id: scene.ids[target] as number, class_name: scene.classNames[scene.cls[target] as number] as string });
        break;
      }
      case 'go':
        break;
    }
  }
  if ([...stateNodes, ...edgeNodes, ...keepNodes, ...pours.flat()].some((i) => i < 0)) return null;

  const nodeById = (nid: number): GraphNode => graph.nodes.find((n) => n.id === nid) as GraphNode;
  const id = (i: number): number => scene.ids[i] as number;
  const edge = (from: number, relation: GraphEdge['relation_type'], to: number): GraphEdge => ({ from_id: id(from), relation_type: relation, to_id: id(to) });

  const nodes: GraphNode[] = [];
  for (const i of stateNodes) {
    if (world.states[i] === scene.initStates[i]) continue;
    const n = nodeById(id(i));
    nodes.push({ ...n, properties: [...n.properties], states: stateNames(world.states[i] as number) });
  }
  const absent: GraphEdge[] = [];
  const present: GraphEdge[] = [];
  for (const x of edgeNodes) {
    const p0 = scene.initParent[x] as number;
    const r0 = scene.initRel[x] as number;
    const p1 = world.isHeld(x) ? -1 : (world.parent[x] as number);
    const r1 = world.rel[x] as number;
    if (p0 === p1 && r0 === r1) continue;
    if (p0 >= 0) absent.push(edge(x, REL_NAME[r0] as 'ON' | 'INSIDE', p0));
    if (p1 >= 0) present.push(edge(x, REL_NAME[r1] as 'ON' | 'INSIDE', p1));
  }
  for (const x of keepNodes) if (world.isHeld(x)) present.push(edge(ch, world.rh === x ? 'HOLDS_RH' : 'HOLDS_LH', x));
  if (posture && world.sitOn >= 0) present.push(edge(ch, 'ON', world.sitOn));
  for (const [x, y] of pours) present.push(edge(x, 'INSIDE', y));
  return { nodes, revised_nodes: absent, revised_add_edges: present, events };
}
