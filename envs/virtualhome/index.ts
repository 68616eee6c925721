/**
 * VirtualHome-style environment (the evolving-graph setting of SPA-RL / STeCa / E2CL).
 * See README.md for the world model, grammar, texts, splits, expert and deviations.
 */
export type { VirtualhomeTask, Graph, GraphNode, GraphEdge, RevisedGraph, GoalEvent, RecipeStep } from './task-types';
export { virtualhomeGenerator, VIRTUALHOME_VERSION, TRAIN_APARTMENTS, UNSEEN_APARTMENTS } from './generator';
export { VirtualhomeEnv, taskPrompt } from './env';
export { VirtualhomeExpert } from './expert';
export { TASK_TITLES } from './task-library';
export { parseAction, TEMPLATES } from './grammar';
