/** Requests and answers between a stage worker and its environment thread (env-host.ts, env-thread.ts). */
import type { EnvName, ResetOptions, ResetResult, StepResult, TaskBase } from '../../envs/core/types';

/** One call on environment `id` of the thread. */
export type EnvCall = { id: number } & (
  | { op: 'create'; env: EnvName }
  | { op: 'reset'; options: ResetOptions | undefined }
  | { op: 'step'; text: string }
  | { op: 'admissible' }
  | { op: 'task' }
  | { op: 'close' }
);

export type EnvRequest = EnvCall & { seq: number };

/** What `create` answers: the environment's constant properties. */
export interface EnvShape {
  maxSteps: number;
  maxObservationLength: number;
}

export type EnvValue = EnvShape | ResetResult | StepResult | string[] | TaskBase | null;

export type EnvReply = { seq: number; value: EnvValue; error?: undefined } | { seq: number; error: { name: string; message: string; stack: string }; value?: undefined };
