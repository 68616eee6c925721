/**
 * The supervisor's watchdog judges a worker by the silence it measures, so it must never blame
 * a worker for its own stall: when this process's event loop was blocked, the worker's
 * heartbeats wait unread (timers run before I/O), and a healthy worker would look hung.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { startWorker } from '../../../main/jobs/worker-process';

const BEATING = fileURLToPath(new URL('./fixtures/beating-worker.mjs', import.meta.url));
const runDir = mkdtempSync(join(tmpdir(), 'spa-watchdog-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('worker watchdog', () => {
  it('a parent blocked for 3× the timeout does not kill a worker that kept beating, nor log it as not responding', async () => {
    const job = { stage: 'rl' as const, runId: 'r', runDir, outDir: runDir, inputs: {}, config: defaultRunConfig('alfworld', 'spa', 'smoke', 0), stepOffset: 0, resume: false };
    const handle = startWorker(job, () => undefined, { ...process.env, SPA_WORKER_FILE: BEATING }, { heartbeatMs: 50, heartbeatTimeoutMs: 500 });
    try {
      await sleep(1000); // started and beating
      const until = Date.now() + 1500;
      while (Date.now() < until); // this process is stuck, the worker is not
      await sleep(400);
      expect(handle.child.exitCode).toBeNull();
      expect(handle.child.signalCode).toBeNull();
      // Not blamed either: the longest silence it logs at exit is the block we caused, but no notice.
      handle.child.kill('SIGTERM');
      await handle.result.catch(() => undefined);
      const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
      expect(log).not.toMatch(/not responding/);
      expect(log).toMatch(/longest silence between worker messages: \d+ ms \(heartbeat every 50 ms\)/);
    } finally {
      handle.child.kill('SIGKILL');
    }
  }, 30_000);
});
