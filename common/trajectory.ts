/**
 * The trajectory record shared by every process: environments write it, the engine
 * trains on it, the studio replays and annotates it. Stored one per line (JSONL).
 * Field names are explicit (no positional tuples) because these records are saved,
 * exported and sent across processes.
 */
import { z } from 'zod';
import { parseWith } from './validate';

export const TRAJECTORY_SCHEMA = 'spa-studio/trajectory@1' as const;

export const StepRecordSchema = z.object({
  /** The agent's turn as the harness kept it ("Thought: …\nAction: …"). */
  text: z.string(),
  thought: z.string(),
  /** The parsed action; null when the turn had no `Action:`. */
  action: z.string().nullable(),
  /** The user turn that answered it, verbatim ("Observation: …"). */
  observation: z.string(),
  /** The action was executable (grounding). */
  valid: z.boolean(),
  /** Environment reward of this step (non-zero only at the end in the originals). */
  reward: z.number(),
  /** Oracle progress in [0,1] after this step (diagnostics only). */
  progress: z.number().min(0).max(1),
  /** Estimator contribution c_t, once a progress estimator has scored the trajectory. */
  contribution: z.number().optional(),
  /** Fused step reward r_t = α·c_t + β·g_t used by PPO. */
  fusedReward: z.number().optional(),
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

export const TrajectorySchema = z.object({
  schema: z.literal(TRAJECTORY_SCHEMA),
  id: z.string().min(1),
  env: z.enum(['alfworld', 'webshop', 'virtualhome']),
  split: z.enum(['train', 'seen', 'unseen']),
  taskId: z.string().min(1),
  taskType: z.string(),
  goal: z.string(),
  /** Who acted: "expert", "random-valid", a run id… */
  policy: z.string(),
  seed: z.number().int(),
  /** The first user turn (the task message), verbatim. */
  initialObservation: z.string(),
  steps: z.array(StepRecordSchema),
  finalReward: z.number(),
  success: z.boolean(),
  terminated: z.boolean(),
  truncated: z.boolean(),
  /** The estimator's c_0 for the "OK" acknowledgement turn (step 0 in the code), when scored with includeAckStep. */
  ackContribution: z.number().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;

/** Parses and validates one trajectory; the error names the offending field. */
export function parseTrajectory(value: unknown): Trajectory {
  return parseWith(TrajectorySchema, 'trajectory', value);
}
