/**
 * ALFWorld-style environment (TextWorld version as used by ETO/SPA-RL). See README.md.
 */
export { AlfworldEnv } from './env';
export { alfworldGenerator, ALFWORLD_GENERATOR_VERSION } from './generator';
export { AlfworldExpert, AlfworldListedOrderHeuristic } from './expert';
export { alfworldTaskFromScene, AlfworldSceneSchema, type AlfworldScene } from './scene';
export { ALFWORLD_TASK_TYPES, GOAL_TEMPLATES, GOALS_VALID, type AlfworldTaskType } from './goals';
export type { AlfworldTask, AlfworldReceptacle } from './task';
export { AlfworldWorld } from './world';
export { runPolicyOnWorld, ALFWORLD_MAX_STEPS } from './solvability';
