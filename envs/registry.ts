/**
 * The one place that knows every built-in environment: `makeEnv(name)` builds it with
 * the standard wrappers (step limit, call order), exactly as training and evaluation use it.
 */
import { AlfworldEnv, AlfworldExpert, alfworldGenerator, alfworldTaskFromScene } from './alfworld';
import { OrderEnforcing, TimeLimit } from './core/wrappers';
import { ENV_NAMES, type EnvName, type Policy, type TaskBase, type TaskGenerator, type TextEnv } from './core/types';
import { VirtualhomeEnv, VirtualhomeExpert, virtualhomeGenerator } from './virtualhome';
import { WebshopEnv, WebshopExpert, webshopGenerator } from './webshop';

export interface EnvDefinition {
  name: EnvName;
  /** Shown in the CLI and the studio. */
  title: string;
  generator: TaskGenerator;
  /** The bare environment, without wrappers. */
  createRaw(): TextEnv;
  createExpert(): Policy;
  /** Builds a task from an explicit scene description (JSON), where the environment supports it. */
  taskFromScene?(scene: unknown): TaskBase;
}

export const ENVIRONMENTS: Record<EnvName, EnvDefinition> = {
  alfworld: {
    name: 'alfworld',
    title: 'ALFWorld (household, TextWorld)',
    generator: alfworldGenerator as TaskGenerator,
    createRaw: () => new AlfworldEnv() as unknown as TextEnv,
    createExpert: () => new AlfworldExpert(),
    taskFromScene: (scene) => alfworldTaskFromScene(scene),
  },
  webshop: {
    name: 'webshop',
    title: 'WebShop (online shopping)',
    generator: webshopGenerator as TaskGenerator,
    createRaw: () => new WebshopEnv() as unknown as TextEnv,
    createExpert: () => new WebshopExpert(),
  },
  virtualhome: {
    name: 'virtualhome',
    title: 'VirtualHome (household activities)',
    generator: virtualhomeGenerator as TaskGenerator,
    createRaw: () => new VirtualhomeEnv() as unknown as TextEnv,
    createExpert: () => new VirtualhomeExpert(),
  },
};

export function isEnvName(name: string): name is EnvName {
  return (ENV_NAMES as readonly string[]).includes(name);
}

export function envDefinition(name: string): EnvDefinition {
  if (!isEnvName(name)) throw new Error(`Unknown environment "${name}". Choose one of: ${ENV_NAMES.join(', ')}`);
  return ENVIRONMENTS[name];
}

/** The environment as agents meet it: step limit of the original, reset-before-step enforced. */
export function makeEnv(name: string): TextEnv {
  const raw = envDefinition(name).createRaw();
  return new OrderEnforcing(new TimeLimit(raw, raw.maxSteps));
}
