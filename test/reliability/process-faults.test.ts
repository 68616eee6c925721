/**
 * Reliability tests #16, #10, #15 and #21 (../shared/docs/reliability.md): the training child
 * and the main process killed or hung, and the run resumed, through the real supervisor, its
 * child-process workers and the `spa` CLI.
 *
 * One run carries #16, #10 and #15, in order: `spa run` (the main process) is killed with
 * SIGKILL during PPO and the app relaunched (#16); the resumed run's training child is then
 * killed at random updates and resumed each time (#10, with #15's exit/crash timings); when it
 * reaches its eval stage the supervisor is shut down, as on app quit, and no child may survive
 * it (#15). Its PPO rows must equal those of an uninterrupted run, played here in this process
 * (the same stages and run-folder writes as a worker; equal to a worker run bit for bit), which
 * also fills the stage cache so that every supervised run starts at its RL stage. #21 then runs
 * a worker whose environment step never returns.
 *
 * CI: 3 updates, 1 kill of each kind. SPA_FAULTS=long: 200 updates, 50 child kills.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricRecord } from '../../common/run-schema';
import type { StageJob } from '../../common/worker-protocol';
import { listCheckpoints, verifyCheckpoint } from '../../engine/checkpoint';
import { readCompletedStages } from '../../main/jobs/run-executor';
import { createSupervisor, type Supervisor } from '../../main/jobs/supervisor';
import { readMetrics, readRunStatus, readTrajectories } from '../../main/runs/run-folder';
import { createStudioService, type StudioService } from '../../main/services/studio-service';
import { LONG, reportFigure, scale } from './figures';
import { descendants, gapsAndDuplicates, isRunning, logLines, maxAbsDiff, rlRows, runDirOf, runInProcess, tinyConfig, waitFor } from './fixtures/training';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FAULTY_WORKER = fileURLToPath(new URL('./fixtures/faulty-worker.ts', import.meta.url));
const N = scale(3, 200); // PPO updates of the run
const CHILD_KILLS = scale(1, 50);
const config = tinyConfig(21, N);
const dataDir = mkdtempSync(join(tmpdir(), 'spa-rel-process-'));

let reference: Record<string, unknown>[] = [];
let iterationMs = 1000;

beforeAll(async () => {
  const ref = await runInProcess(dataDir, config, 'rl');
  reference = await rlRows(ref.runDir);
  const seconds = (await readMetrics(ref.runDir)).records.filter((r) => r.stage === 'rl').map((r) => r['charts/iteration_seconds'] as number);
  iterationMs = 1000 * (seconds.sort((a, b) => a - b)[Math.floor(seconds.length / 2)] ?? 1);
}, 3_600_000);

// The relaunched app: its supervisor's worker hook is driven by the tests below.
let sup: Supervisor | null = null;
let service: StudioService | null = null;
let onWorker: (job: StageJob, child: ChildProcess) => void = () => undefined;
let runId = '';
let resumedFrom = 0;

afterAll(async () => {
  await service?.close();
  await sup?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

// #10's plan and what happened, armed by #16 before it resumes the run (the resumed worker is the first one killed).
type Kill = { k: number; delayMs: number; exitMs: number; crashedMs: number; committed: number };
const kills: Kill[] = [];
let plan: { k: number; delayMs: number }[] = [];
let pendingCrash: { at: number; record: Kill } | null = null;
let quit: { pids: number[]; done: Promise<void>; at: number } | null = null;

/** Kills the training child at each planned update k (after a random delay), and quits the app when the eval stage is up. */
function armChildKills(s: Supervisor, from: number): void {
  // k uniform over the updates after which another one follows; a random moment inside the next one.
  const candidates = Array.from({ length: Math.max(0, N - 1 - from) }, (_, i) => from + 1 + i);
  const ks: number[] = [];
  while (ks.length < CHILD_KILLS && candidates.length) ks.push(candidates.splice(Math.floor(Math.random() * candidates.length), 1)[0] as number);
  plan = ks.sort((a, b) => a - b).map((k) => ({ k, delayMs: Math.round(Math.random() * 0.5 * iterationMs) }));
  onWorker = (job, child) => {
    if (job.stage === 'eval') {
      // App quit with a run active: once the worker is up, shut the supervisor down.
      child.on('message', (m: { type?: string }) => {
        if (m.type !== 'ready' || quit) return;
        quit = { pids: [child.pid as number, ...descendants(child.pid as number)], at: performance.now(), done: s.shutdown() };
      });
      return;
    }
    const next = plan[kills.length];
    if (job.stage !== 'rl' || !next) return;
    let armed = false;
    child.on('message', (m: { type?: string; done?: number }) => {
      if (armed || m.type !== 'progress' || (m.done ?? 0) < next.k) return;
      armed = true;
      setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const record: Kill = { ...next, exitMs: Infinity, crashedMs: Infinity, committed: -1 };
        const at = performance.now();
        child.once('exit', () => (record.exitMs = performance.now() - at));
        pendingCrash = { at, record };
        child.kill('SIGKILL');
        kills.push(record);
      }, next.delayMs);
    });
  };
  s.onEvent((e) => {
    if (e.type === 'run.status' && e.id === runId && e.status.status === 'crashed' && pendingCrash) {
      pendingCrash.record.crashedMs = performance.now() - pendingCrash.at;
      pendingCrash = null;
    }
  });
}

/** Newest checkpoint of the RL stage that verifies (where a resume must start). */
async function committedCheckpoint(runDir: string): Promise<number> {
  for (const { step, dir } of await listCheckpoints(join(runDir, 'stages', 'rl', 'checkpoints'))) {
    if ((await verifyCheckpoint(dir)).ok) return step;
  }
  return 0;
}

describe('kill -9 and hangs, then resume (reliability #16, #10, #15, #21)', () => {
  it('#16: kill -9 of the main process (spa run) during PPO; the relaunched app shows the run crashed with its metrics, and resumes it', async () => {
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const cli = spawn(process.execPath, ['bin/spa.mjs', 'run', '--env', config.env, '--method', config.method, '--preset', config.preset, '--seed', String(config.seed), '--config', configFile, '--data-dir', dataDir, '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<void>((resolve) => cli.once('exit', () => resolve()));
    await waitFor(() => /"type":"started"/.test(out) || cli.exitCode !== null, 300_000, 'the CLI to start its run');
    runId = /"type":"started","id":"([^"]+)"/.exec(out)?.[1] ?? '';
    expect(runId, err).not.toBe('');
    const runDir = runDirOf(dataDir, runId);
    // Kill the main process once the first PPO update is committed (metrics and checkpoint), while the worker trains the next.
    await waitFor(async () => (await committedCheckpoint(runDir)) >= 1 || cli.exitCode !== null, 600_000, 'the first PPO checkpoint', 50);
    expect(cli.exitCode, err).toBeNull();
    const before = (await readMetrics(runDir)).records;
    const workers = descendants(cli.pid as number);
    if (existsSync('/proc/self/stat')) expect(workers.length).toBeGreaterThan(0); // the process table is read from /proc (Linux)
    cli.kill('SIGKILL');
    await exited;
    // The orphaned worker sees its parent gone (heartbeat pulse, IPC disconnect) and stops writing.
    const orphanExitMs = await waitFor(() => workers.every((p) => !isRunning(p)), 30_000, 'the orphaned worker to exit');

    // Relaunch: the app opens the catalog and the studio service as at startup.
    sup = await createSupervisor({ dataDir, throttleMs: 50, cancelGraceMs: 200, onWorkerStart: (job, child) => onWorker(job, child) });
    service = await createStudioService({ dataDir, launcher: sup, mode: 'cli', version: 'test' });
    const listed = await service['runs.list']({});
    expect(listed.runs.find((r) => r.id === runId)?.status).toBe('crashed');
    expect(listed.warnings.join(' ')).toMatch(/marked crashed/);
    expect((await service['runs.get']({ id: runId })).status.status).toBe('crashed');
    const after = (await service['runs.metrics']({ id: runId, from: 0 })).records;
    const byStep = new Map(after.map((r) => [r.step, JSON.stringify(r)]));
    const missing = before.filter((r) => byStep.get(r.step) !== JSON.stringify(r));
    expect(missing).toEqual([]); // every row written before the kill is shown, unchanged
    // The resume button: runs.resume is accepted for the crashed run; #10 follows it to the end.
    resumedFrom = await committedCheckpoint(runDir);
    expect(resumedFrom).toBeGreaterThanOrEqual(1);
    armChildKills(sup, resumedFrom);
    await service['runs.resume']({ id: runId });
    expect(sup.isActive(runId)).toBe(true);

    reportFigure(
      16,
      'kill -9 of the main process during training, relaunch',
      `kill -9 of \`spa run\` during PPO update ${resumedFrom + 1}: the relaunched app lists the run 'crashed' (not 'running', never 'completed'), ` +
        `${before.length - missing.length}/${before.length} metric rows written before the kill shown unchanged, runs.resume accepted (continuation checked in #10); ` +
        `the orphaned worker exited ${orphanExitMs.toFixed(0)} ms after its parent died`,
      { rowsBefore: before.length, rowsMissing: missing.length, orphanExitMs: Math.round(orphanExitMs), resumedFrom },
    );
  }, 3_600_000);

  it('#10, #15: kill -9 of the training child at random updates, resume each time → identical continuation; app quit leaves no child', async () => {
    expect(sup && runId).toBeTruthy();
    const s = sup as Supervisor;
    const runDir = runDirOf(dataDir, runId);
    expect(plan.length).toBe(CHILD_KILLS);
    const ks = plan.map((p) => p.k);

    let resumes = 0;
    for (;;) {
      await s.whenSettled(runId);
      const entry = s.catalog.get(runId);
      if (entry?.status !== 'crashed') break;
      expect(entry.message).toMatch(/killed \(SIGKILL\)/);
      (kills.at(-1) as Kill).committed = await committedCheckpoint(runDir);
      await s.resume(runId);
      resumes++;
    }
    // #15, app quit: the supervisor is down; no worker (nor anything it started) may outlive it by 5 s.
    expect(quit).not.toBeNull();
    const q = quit as unknown as NonNullable<typeof quit>;
    await q.done;
    const orphansGoneMs = (await waitFor(() => q.pids.every((p) => !isRunning(p)), 5_000, 'the workers to exit after shutdown')) + (performance.now() - q.at);
    expect(q.pids.filter(isRunning)).toEqual([]);
    expect(s.catalog.get(runId)?.status).toBe('cancelled'); // resumable, not left 'running'
    expect((await readRunStatus(runDir)).status).toBe('cancelled');

    // #10: every kill resumed at the last committed checkpoint, and the run equals the uninterrupted one.
    expect((await readCompletedStages(runDir)).map((c) => c.stage)).toContain('rl');
    const resumedAt = logLines(runDir, /\[rl\] resuming after iteration \d+/).map((l) => Number(/iteration (\d+)/.exec(l)?.[1]));
    expect(kills.length).toBe(CHILD_KILLS);
    expect(resumes).toBe(CHILD_KILLS);
    expect(resumedAt).toEqual([resumedFrom, ...kills.map((k) => k.committed)]);
    const { records, skipped } = await readMetrics(runDir);
    const rows = await rlRows(runDir);
    const diff = maxAbsDiff(rows, reference);
    const { gaps, duplicates } = gapsAndDuplicates(records.map((r: MetricRecord) => r.step));
    const train = (await readTrajectories(runDir)).records.filter((t) => t.stage === 'train');
    const trainKeys = new Set(train.map((t) => `${t.update} ${t.id}`));
    expect({ skipped, gaps, duplicates, rows: rows.length, diff, trajectories: train.length, uniqueTrajectories: trainKeys.size }).toEqual({
      skipped: 0,
      gaps: [],
      duplicates: [],
      rows: N,
      diff: 0,
      trajectories: N * config.ppo.batchSize,
      uniqueTrajectories: N * config.ppo.batchSize,
    });
    // #15: a killed child is seen at once and the run is marked crashed.
    const exitMax = Math.max(...kills.map((k) => k.exitMs));
    const crashedMax = Math.max(...kills.map((k) => k.crashedMs));
    expect(exitMax).toBeLessThanOrEqual(1000);
    expect(crashedMax).toBeLessThanOrEqual(2000);

    reportFigure(
      10,
      'kill -9 of the training child mid-PPO, resume, identical continuation',
      `${resumes}/${CHILD_KILLS} resumes after kill -9 of the training child at random PPO updates (k = ${ks.slice(0, 6).join(', ')}${CHILD_KILLS > 6 ? ', …' : ''} of ${N}; plus 1 kill of the main process, #16); ` +
        `${CHILD_KILLS + 1}/${CHILD_KILLS + 1} resumed at the last committed checkpoint; 0 lost, 0 duplicated metric rows, 0 torn lines; ` +
        `the ${N} PPO rows equal the uninterrupted run's (max |Δ| = ${diff})`,
      { kills: CHILD_KILLS, resumes, updates: N, maxAbsDiff: diff, gaps: gaps.length, duplicates: duplicates.length, trajectories: train.length },
    );
    reportFigure(
      15,
      'training child killed, app quit',
      `kill -9 of the training child (${CHILD_KILLS}×): 'exit' seen after ≤ ${exitMax.toFixed(0)} ms, run 'crashed' in the catalog after ≤ ${crashedMax.toFixed(0)} ms, ` +
        `${resumes}/${CHILD_KILLS} resumes accepted; app quit with the run active: ${q.pids.length} worker process(es), 0 left after ${orphansGoneMs.toFixed(0)} ms, run 'cancelled' (resumable)`,
      { kills: CHILD_KILLS, exitMsMax: Math.round(exitMax), crashedMsMax: Math.round(crashedMax), quitPids: q.pids.length, orphans: 0, quitMs: Math.round(orphansGoneMs) },
    );
  }, 3_600_000);

  it('#21: a step that never returns is abandoned in the environment thread at the step limit; the stage goes on and the run completes', async () => {
    const stepLimitMs = 2000;
    const marker = join(dataDir, 'thread-hang-fired');
    const rlWorkers: ChildProcess[] = [];
    const sup2 = await createSupervisor({
      dataDir,
      throttleMs: 50,
      heartbeatMs: 100,
      // The stage thread waits up to the step limit for the environment: the watchdog must be longer.
      heartbeatTimeoutMs: 20_000,
      workerEnv: {
        ...process.env,
        SPA_WORKER_FILE: FAULTY_WORKER,
        SPA_FAULT: JSON.stringify({ kind: 'hang', stage: 'rl', atCall: 5 }),
        SPA_FAULT_MARKER: marker,
        SPA_ENV_STEP_TIMEOUT_MS: String(stepLimitMs),
        SPA_MAX_ENV_ERROR_RATE: '0.5',
      },
      onWorkerStart: (job, child) => {
        if (job.stage === 'rl') rlWorkers.push(child);
      },
    });
    try {
      const t0 = Date.now();
      const id = await sup2.start(config);
      await sup2.whenSettled(id);
      const entry = sup2.catalog.get(id);
      expect(entry?.status, entry?.message ?? '').toBe('completed');
      expect(existsSync(marker)).toBe(true);
      expect(rlWorkers).toHaveLength(1); // never killed, never restarted
      const runDir = runDirOf(dataDir, id);
      const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
      expect(log).toMatch(new RegExp(`EnvStepTimeout: environment step did not return within ${stepLimitMs} ms`));
      const rl = (await readMetrics(runDir)).records.filter((r) => r.stage === 'rl');
      const envErrors = rl.reduce((n, r) => n + ((r['charts/env_errors'] as number | undefined) ?? 0), 0);
      expect(envErrors).toBe(1);
      expect(rl).toHaveLength(N);
      reportFigure(
        21,
        'hung environment step, environment thread',
        `a step that never returns (RL stage, ${N} updates): abandoned at the ${stepLimitMs} ms step limit, its thread replaced, the other episodes replayed; ` +
          `the episode counted in charts/env_errors (${envErrors}), 1 RL worker (never killed), run 'completed' in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        { stepLimitMs, envErrors },
      );
    } finally {
      await sup2.shutdown();
    }
  }, 600_000);

  it('#21, environments in the worker thread (SPA_ENV_THREAD=0): a step that never returns gets the worker killed by the heartbeat watchdog, the run marked crashed and resumable', async () => {
    const timeoutMs = 2000;
    const marker = join(dataDir, 'hang-fired');
    let worker: ChildProcess | null = null;
    let exitedAt = 0;
    const hang = await createSupervisor({
      dataDir,
      throttleMs: 50,
      cancelGraceMs: 200,
      heartbeatMs: 100,
      heartbeatTimeoutMs: timeoutMs,
      // The 5th environment call of the RL stage (a step of the first rollout) never returns, once.
      workerEnv: { ...process.env, SPA_WORKER_FILE: FAULTY_WORKER, SPA_ENV_THREAD: '0', SPA_FAULT: JSON.stringify({ kind: 'hang', stage: 'rl', atCall: 5 }), SPA_FAULT_MARKER: marker },
      onWorkerStart: (job, child) => {
        if (job.stage !== 'rl') return;
        worker = child;
        child.once('exit', () => (exitedAt = Date.now()));
      },
    });
    const messages: string[] = [];
    hang.onEvent((e) => {
      if (e.type === 'run.status' && e.status.message) messages.push(e.status.message);
    });
    try {
      const id = await hang.start(config);
      await hang.whenSettled(id);
      const entry = hang.catalog.get(id);
      expect(entry?.status).toBe('crashed');
      // The run header said so before the kill.
      expect(messages.some((m) => /^stage rl: the worker is not responding \(\d\.\d s without a message\)$/.test(m)), messages.join(' | ')).toBe(true);
      expect(entry?.message).toMatch(/rl worker stopped responding \(no heartbeat for \d+\.\d s/);
      expect(existsSync(marker)).toBe(true);
      const detectedMs = exitedAt - Number(readFileSync(marker, 'utf8'));
      const pid = (worker as ChildProcess | null)?.pid as number;
      expect(isRunning(pid)).toBe(false); // killed, reaped: back to no worker
      expect(detectedMs).toBeGreaterThanOrEqual(0.9 * timeoutMs);
      expect(detectedMs).toBeLessThanOrEqual(1.1 * timeoutMs);
      const log = readFileSync(join(runDirOf(dataDir, id), 'log.txt'), 'utf8');
      expect(log).toMatch(/crashed: the rl worker stopped responding/);
      // Seen at half the kill timeout (1 s here): the run log says so (the UI tails it) well before the kill.
      const notice = /^(\S+) \[rl\] the worker is not responding \(no message for \d+\.\d s\); it is killed after 2 s$/m.exec(log);
      expect(notice, log).not.toBeNull();
      const seenMs = Date.parse(notice![1]!) - Number(readFileSync(marker, 'utf8'));
      expect(seenMs).toBeGreaterThanOrEqual(800);
      expect(seenMs).toBeLessThanOrEqual(1500);

      // Resume is offered and works: the hang was transient (it fires once), the next attempt trains.
      const resumedWorker = new Promise<ChildProcess>((resolve) => {
        worker = null;
        const poll = setInterval(() => {
          if (worker) {
            clearInterval(poll);
            resolve(worker);
          }
        }, 10);
      });
      await hang.resume(id);
      const child = await resumedWorker;
      if (LONG) await new Promise<void>((resolve) => child.on('message', (m: { type?: string }) => m.type === 'progress' && resolve()));
      await hang.shutdown();
      expect(isRunning(child.pid as number)).toBe(false);

      reportFigure(
        21,
        'hung environment step',
        `a step that never returns: "not responding" in the run log ${seenMs} ms after the step began, the worker killed after ${detectedMs} ms (watchdog T = ${timeoutMs} ms, heartbeat 100 ms), run 'crashed' with "stopped responding", ` +
          `0 workers left; resume accepted${LONG ? ' and trained past the hang' : ''}`,
        { timeoutMs, detectedMs, seenMs },
      );
    } finally {
      await hang.shutdown();
    }
  }, 600_000);
});
