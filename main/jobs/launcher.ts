/**
 * What the service layer needs from the job supervisor: start, cancel and resume runs, and
 * hear what they do. The supervisor (supervisor.ts) implements it with child processes; tests
 * may pass their own.
 */
import type { StudioEvent } from '../../common/ipc-contract';
import type { RunConfig } from '../../common/run-config';

export interface BackendReport {
  name: string;
  reason: string;
}

export interface RunLauncher {
  /** Creates the run folder (and catalog entry) and starts its stages; resolves with the run id once created. */
  start(config: RunConfig, opts?: { name?: string }): Promise<string>;
  /** Stops a running run; its status becomes "cancelled" (resumable). No-op when it is not running. */
  cancel(id: string): Promise<void>;
  /** Restarts a crashed/failed/cancelled run from its last checkpoint. Throws if it is running or completed. */
  resume(id: string): Promise<void>;
  isActive(id: string): boolean;
  /** Subscribes to run events (status, appended files, stage progress); returns the unsubscribe. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
  /** The backend training will use, once known. */
  backend(): BackendReport | null;
  /** Stops every child (app quit): no orphans. */
  shutdown(): Promise<void>;
}
