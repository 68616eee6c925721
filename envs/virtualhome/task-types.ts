/**
 * The task record: plain JSON in the shape of the original (`init_graph`, `revised_graph`,
 * `object_id_dict`, the gold program), plus the structured recipe the expert follows.
 */
import type { TaskBase } from '../core/types';

/** A node of the apartment graph (VirtualHome's schema, minus prefab names and bounding boxes). */
export interface GraphNode {
  id: number;
  class_name: string;
  category: string;
  properties: string[];
  states: string[];
}

export type Relation = 'INSIDE' | 'ON' | 'BETWEEN' | 'CLOSE' | 'FACING' | 'HOLDS_RH' | 'HOLDS_LH' | 'SITTING';

export interface GraphEdge {
  from_id: number;
  relation_type: Relation;
  to_id: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A no-state verb that the goal needs to have been executed (drink, watch, eat, …). */
export interface GoalEvent {
  /** The canonical verb, as in the grammar: `drink`, `watch`, `look at`, `type on`, `sleep`, … */
  verb: string;
  /** The node acted on (the character's id for `sleep`). */
  id: number;
  class_name: string;
}

/**
 * The goal, `revised_graph`-style: nodes whose states must match (compared as sets), edges that
 * must be present, edges that must be absent (`revised_nodes`, sic, as in the original), and the
 * event predicates this reimplementation adds for verbs that change no state.
 */
export interface RevisedGraph {
  nodes: GraphNode[];
  revised_nodes: GraphEdge[];
  revised_add_edges: GraphEdge[];
  events: GoalEvent[];
}

/** One step of a task's recipe: what to do, by class name, never where or in what state. */
export type RecipeStep =
  | { op: 'go'; room: string }
  | { op: 'fetch'; obj: string; keep?: boolean }
  | { op: 'put'; obj: string; rel: 'on' | 'in'; recep: string }
  | { op: 'switch'; obj: string; to: 'on' | 'off' }
  | { op: 'unplug'; obj: string }
  | { op: 'open'; obj: string }
  | { op: 'close'; obj: string }
  | { op: 'sit'; obj: string }
  | { op: 'lie'; obj: string }
  | { op: 'clean'; verb: 'wash' | 'wipe' | 'rinse' | 'scrub'; obj: string }
  | { op: 'use'; verb: UseVerb; obj?: string }
  | { op: 'pour'; obj: string; recep: string }
  | { op: 'wear'; obj: string };

export type UseVerb = 'drink' | 'watch' | 'look at' | 'read' | 'eat' | 'type on' | 'scrub' | 'cut' | 'sleep';

export interface VirtualhomeTask extends TaskBase {
  readonly env: 'virtualhome';
  /** The program title, e.g. `Drink`, `Watch TV`, `Put groceries in fridge`. */
  readonly taskType: string;
  /** The program title (same as taskType). */
  readonly title: string;
  /** The program description, naming the objects needed. */
  readonly description: string;
  /** The apartment the task is set in, e.g. `apartment_03`. */
  readonly apartment: string;
  /** The initial scene. */
  readonly init_graph: Graph;
  readonly revised_graph: RevisedGraph;
  /** Gold program bindings class_name → node id; pre-seeded into the binder, as in the original. */
  readonly object_id_dict: Record<string, number>;
  /** The gold program as script lines, e.g. `[Walk] <dining_room> (12)`. */
  readonly program: string[];
  /** The recipe the expert follows (class names only; the description in structured form). */
  readonly recipe: RecipeStep[];
}
