/**
 * Child-process entry point: runs one pipeline stage for the supervisor. It waits for a
 * `start` message, picks the compute backend, runs the stage and reports through typed
 * messages (common/worker-protocol.ts). Exit code 0 after `done`, 1 after `error`; a
 * `cancel` stops the stage at its next checkpoint boundary. With `heartbeatMs` in `start` it
 * also sends `heartbeat`s (heartbeat.ts), so a hung worker can be told from a busy one.
 * Start with: fork('engine/worker/stage-worker.ts', { execArgv: ['--import', 'tsx'] }).
 */
import { ParentMessageSchema, type WorkerMessage } from '../../common/worker-protocol';
import { initBackend } from '../backend';
import { CACHED_STAGES, runStage } from '../pipeline/stages';
import { StageIo } from '../pipeline/stages/stage-io';
import { envFaultLimits } from '../pipeline/evaluate';
import { isolateEnvironments } from './env-host';
import { startHeartbeat } from './heartbeat';
import { explainStageError } from './stage-errors';

function send(m: WorkerMessage): void {
  if (process.send && process.connected) process.send(m);
}

let io: StageIo | null = null;

async function run(job: Parameters<typeof ParentMessageSchema.parse>[0]): Promise<void> {
  const msg = ParentMessageSchema.parse(job);
  if (msg.type === 'cancel') {
    io?.requestCancel();
    return;
  }
  // Alive-signals for the supervisor's watchdog (only when it asked for them).
  if (msg.heartbeatMs) startHeartbeat(() => send({ type: 'heartbeat' }), msg.heartbeatMs);
  // Environments run in a thread of their own, so a step that hangs is abandoned at the step
  // time limit and the stage goes on (SPA_ENV_THREAD=0 keeps them in this thread; then only the
  // watchdog can end a hang, by killing this process).
  if (process.env.SPA_ENV_THREAD !== '0') {
    isolateEnvironments({ stepTimeoutMs: envFaultLimits(msg.job.config).stepTimeoutMs, preload: process.env.SPA_ENV_THREAD_PRELOAD || null }, (message) => io?.log(message));
  }
  const backend = await initBackend(msg.job.config.backend);
  send({ type: 'ready', backend: { name: backend.backend, reason: backend.reason } });
  io = new StageIo(msg.job, send, CACHED_STAGES.has(msg.job.stage));
  // The status file keeps the name; the log keeps why (fallbacks, native kernels), per stage.
  io.log(`backend: ${backend.backend} (${backend.reason})`);
  try {
    const summary = await runStage(io);
    io.close();
    send({ type: 'done', lastStep: io.lastWrittenStep, summary: io.cancelled ? { cancelled: true } : summary });
    process.disconnect?.();
    process.exitCode = 0;
  } catch (e) {
    io.close();
    const err = e as Error;
    send({ type: 'error', message: explainStageError(err.message, backend.backend, msg.job.config), stack: err.stack });
    process.exitCode = 1;
    process.disconnect?.();
  }
}

process.on('message', (m) => {
  run(m).catch((e: Error) => {
    send({ type: 'error', message: `worker: ${e.message}`, stack: e.stack });
    process.exitCode = 1;
    process.disconnect?.();
  });
});
// The parent died: nothing will read our messages; stop (the stage resumes from its checkpoint).
process.on('disconnect', () => {
  if (process.exitCode === undefined) process.exit(3);
});
