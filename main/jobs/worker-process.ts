/**
 * Starts a stage worker as a child process and turns its life into a promise: resolves on
 * `done`, rejects with the worker's own error message, or with how it died (signal, exit code)
 * when it vanished without one. Messages are validated; a malformed one is reported, not trusted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerMessageSchema, type StageJob, type WorkerMessage } from '../../common/worker-protocol';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The worker entry. In a checkout the TypeScript source runs through tsx, so a stale build in
 * out/ can never run old engine code; the packaged app ships only out/main/stage-worker.js
 * (electron-vite builds it), which runs as plain Node (ELECTRON_RUN_AS_NODE under Electron).
 */
export function workerEntry(env: NodeJS.ProcessEnv = process.env): { file: string; execArgv: string[] } {
  // An explicit built worker (the build test runs the bundled one this way).
  if (env.SPA_WORKER_FILE) return { file: env.SPA_WORKER_FILE, execArgv: [] };
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

export function startWorker(job: StageJob, onMessage: (m: WorkerMessage) => void, env: NodeJS.ProcessEnv = process.env): WorkerHandle {
  const entry = workerEntry(env);
  const child = fork(entry.file, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const result = new Promise<{ lastStep: number; summary: Record<string, unknown> }>((resolve, reject) => {
    let settled = false;
    let done: { lastStep: number; summary: Record<string, unknown> } | null = null;
    let error: string | null = null;
    let errorStack: string | undefined;
    child.on('message', (raw) => {
      const parsed = WorkerMessageSchema.safeParse(raw);
      if (!parsed.success) {
        onMessage({ type: 'log', message: `worker sent a malformed message (ignored): ${JSON.stringify(raw).slice(0, 200)}` });
        return;
      }
      const m = parsed.data;
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
      if (settled) return;
      settled = true;
      reject(new StageFailed(`could not start the ${job.stage} worker: ${e.message}`, 'crashed'));
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      if (done) resolve(done);
      else if (error) reject(new StageFailed(error, 'failed', errorStack));
      else {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new StageFailed(`the ${job.stage} worker ${how}${tail ? `: ${tail}` : ''}`, 'crashed'));
      }
    });
  });
  child.send({ type: 'start', job });
  return { child, result };
}
