/**
 * Starts a stage worker as a child process and turns its life into a promise: resolves on
 * `done`, rejects with the worker's own error message, or with how it died (signal, exit code)
 * when it vanished without one. Messages are validated; a malformed one is reported, not trusted.
 * A watchdog kills a worker that stops sending anything (heartbeats included) for too long: a
 * step that never returns blocks the worker's thread, so only its parent can end it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerMessageSchema, type StageJob, type WorkerMessage } from '../../common/worker-protocol';
import { appendRunLog } from '../runs/run-folder';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The worker entry. In a checkout the TypeScript source runs through tsx, so a stale build in
 * out/ can never run old engine code; the packaged app ships only out/main/stage-worker.js
 * (electron-vite builds it), which runs as plain Node (ELECTRON_RUN_AS_NODE under Electron).
 */
export function workerEntry(env: NodeJS.ProcessEnv = process.env): { file: string; execArgv: string[] } {
  // An explicit worker: the bundled one (the build test), or a TypeScript entry that wraps the
  // real worker (fault-injection tests), which runs through tsx like the source.
  if (env.SPA_WORKER_FILE) return { file: env.SPA_WORKER_FILE, execArgv: env.SPA_WORKER_FILE.endsWith('.ts') ? ['--import', 'tsx'] : [] };
  const source = join(ROOT, 'engine', 'worker', 'stage-worker.ts');
  if (existsSync(source) && env.SPA_WORKER_BUILT !== '1') return { file: source, execArgv: ['--import', 'tsx'] };
  return { file: join(ROOT, 'out', 'main', 'stage-worker.js'), execArgv: [] };
}

export class StageFailed extends Error {
  constructor(
    message: string,
    /** 'failed': the stage threw (bad config, bad data); 'crashed': the process died. */
    readonly kind: 'failed' | 'crashed',
    /** The worker's stack trace, for the run log (the message is what the UI shows). */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface WorkerHandle {
  child: ChildProcess;
  result: Promise<{ lastStep: number; summary: Record<string, unknown> }>;
}

/** How often a worker says it is alive (ms). */
export const DEFAULT_HEARTBEAT_MS = 250;
/**
 * Silence after which the run log says the worker is not responding (ms), or half the kill
 * timeout when that is shorter: a hang is seen within seconds. The model's ops pulse, but one
 * op of the standard preset (context 512) on a loaded 2-core machine can take 1.0–1.5 s
 * (measured 2026-11-23: nine notices in one PPO run at a 1 s threshold), so the notice waits
 * longer than that to mean something; the kill waits for the timeout below.
 */
export const NOT_RESPONDING_MS = 5000;
/**
 * How long a worker may stay silent before it is taken for hung and killed (ms). The model's
 * ops pulse, so healthy stages were at most 0.26–1.23 s silent at the smoke and quick presets
 * on a loaded 2-core machine (2026-11-23; it was 32 s before the ops pulsed). A minute is a wide
 * margin for larger presets and slower machines; the hang itself is reported after a second.
 */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 60_000;

export interface WorkerLiveness {
  /** Heartbeat interval asked of the worker (default DEFAULT_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** Silence after which the worker is killed as hung (default DEFAULT_HEARTBEAT_TIMEOUT_MS); 0 turns the watchdog off. */
  heartbeatTimeoutMs?: number;
  /** Silence allowed before the first message (the worker compiles and loads TF.js); default max(timeout, 120 s). */
  startupTimeoutMs?: number;
  /** Told when the worker has been silent min(NOT_RESPONDING_MS, timeout / 2) (with how long), and with null once it speaks again. */
  onSilence?: (silentMs: number | null) => void;
}

export function startWorker(job: StageJob, onMessage: (m: WorkerMessage) => void, env: NodeJS.ProcessEnv = process.env, liveness: WorkerLiveness = {}): WorkerHandle {
  const entry = workerEntry(env);
  const child = fork(entry.file, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const heartbeatMs = liveness.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const timeoutMs = liveness.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const startupMs = liveness.startupTimeoutMs ?? Math.max(timeoutMs, 120_000);
  let lastHeard = Date.now();
  let heard = false;
  let hung: { silentMs: number } | null = null;
  /** Longest gap between two messages once the worker was up (ms), logged when it exits. */
  let longestSilence = 0;
  let noticed = false;
  const log = (message: string) => {
    try {
      appendRunLog(job.runDir, `[${job.stage}] ${message}`);
      onMessage({ type: 'appended', files: ['log'] });
    } catch {
      // The run folder went away (a deleted run); the watchdog still does its job.
    }
  };
  // The watchdog: a worker stuck in a step that never returns sends nothing, ever; kill it.
  const noticeMs = timeoutMs > 0 ? Math.min(NOT_RESPONDING_MS, timeoutMs / 2) : NOT_RESPONDING_MS;
  const tickMs = Math.max(20, Math.min(100, Math.floor((timeoutMs || NOT_RESPONDING_MS) / 20)));
  let lastTick = Date.now();
  const watchdog = setInterval(() => {
    const now = Date.now();
    // A late tick means this process was the one blocked: messages may be waiting unread
    // (timers run before I/O in the event loop), so silence measured now would be ours.
    const late = now - lastTick > 2 * tickMs + 50;
    lastTick = now;
    if (late || child.exitCode !== null || child.signalCode !== null) return;
    const silentMs = now - lastHeard;
    if (heard && !noticed && silentMs > noticeMs) {
      noticed = true;
      log(`the worker is not responding (no message for ${(silentMs / 1000).toFixed(1)} s)${timeoutMs > 0 ? `; it is killed after ${(timeoutMs / 1000).toFixed(0)} s` : ''}`);
      liveness.onSilence?.(silentMs);
    }
    if (timeoutMs <= 0 || silentMs <= (heard ? timeoutMs : startupMs)) return;
    hung = { silentMs };
    stopWatchdog();
    child.kill('SIGKILL');
  }, tickMs);
  watchdog.unref();
  function stopWatchdog(): void {
    clearInterval(watchdog);
  }
  const result = new Promise<{ lastStep: number; summary: Record<string, unknown> }>((resolve, reject) => {
    let settled = false;
    let done: { lastStep: number; summary: Record<string, unknown> } | null = null;
    let error: string | null = null;
    let errorStack: string | undefined;
    child.on('message', (raw) => {
      const now = Date.now();
      if (heard) longestSilence = Math.max(longestSilence, now - lastHeard);
      if (noticed) {
        noticed = false;
        log(`the worker is responding again after ${((now - lastHeard) / 1000).toFixed(1)} s`);
        liveness.onSilence?.(null);
      }
      lastHeard = now;
      heard = true;
      const parsed = WorkerMessageSchema.safeParse(raw);
      if (!parsed.success) {
        onMessage({ type: 'log', message: `worker sent a malformed message (ignored): ${JSON.stringify(raw).slice(0, 200)}` });
        return;
      }
      const m = parsed.data;
      if (m.type === 'heartbeat') return;
      if (m.type === 'done' || m.type === 'error') stopWatchdog();
      if (m.type === 'done') {
        done = { lastStep: m.lastStep, summary: m.summary };
        // Its work is saved; a worker that lingers (a stuck handle) must not hold the run.
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }
      if (m.type === 'error') {
        error = m.message;
        errorStack = m.stack;
      }
      onMessage(m);
    });
    child.on('error', (e) => {
      stopWatchdog();
      if (settled) return;
      settled = true;
      reject(new StageFailed(`could not start the ${job.stage} worker: ${e.message}`, 'crashed'));
    });
    child.on('exit', (code, signal) => {
      stopWatchdog();
      if (heard) log(`longest silence between worker messages: ${longestSilence} ms (heartbeat every ${heartbeatMs} ms)`);
      if (settled) return;
      settled = true;
      if (done) resolve(done);
      else if (error) reject(new StageFailed(error, 'failed', errorStack));
      else if (hung) {
        const s = ((hung as { silentMs: number }).silentMs / 1000).toFixed(1);
        reject(new StageFailed(`the ${job.stage} worker stopped responding (no heartbeat for ${s} s: a hung environment step or a deadlock) and was killed`, 'crashed'));
      } else {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new StageFailed(`the ${job.stage} worker ${how}${tail ? `: ${tail}` : ''}`, 'crashed'));
      }
    });
  });
  child.send({ type: 'start', job, heartbeatMs });
  return { child, result };
}
