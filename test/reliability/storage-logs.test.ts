/**
 * Reliability test #14 of ../shared/docs/reliability.md: the append-only logs (metrics.jsonl,
 * trajectories.jsonl; one JSON record per line with a CRC-32 of the record).
 *
 * Torn tail: the last line of a real log (a metrics row; a trajectory from the expert data,
 * with multi-byte UTF-8) is cut at every byte offset, as a kill -9 or power loss mid-write
 * leaves it. The reader must return the N-1 complete records and report the torn tail, never
 * throw; reopening the log for append must cut the tail so the next record is whole.
 *
 * Throughput: metric rows written through MetricsLog as a training loop does, with the
 * default policy of one fsync per ≤ 1 s of data, fsync calls counted on node:fs.
 */
import fs, { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { MetricRecordSchema, RunTrajectorySchema, type RunTrajectory } from '../../common/run-schema';
import { expertTrajectories } from '../../envs/expert-data';
import { AppendLog, encodeRecord, readLog, readLogSync } from '../../engine/storage/append-log';
import { openMetricsLog } from '../../engine/storage/run-logs';
import { LONG, reportFigure, scale } from './figures';

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-rel-logs-'));
  roots.push(d);
  return d;
}
afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
});
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function metricRow(step: number): Record<string, number | string> {
  return {
    step,
    stage: 'rl',
    'losses/policy_loss': Math.sin(step) / 7,
    'losses/value_loss': 1 / (step + 1),
    'losses/approx_kl': 1e-4 * step,
    'losses/clipfrac': (step % 10) / 10,
    'charts/episodic_return': Math.cos(step),
    'charts/SPS': 2500 + step,
    'progress/oracle_corr': 0.5,
    global_step: step * 64,
    t: 1_780_000_000_000 + step,
  };
}

interface TornResult {
  cuts: number;
  exact: number;
  throws: number;
  repaired: number;
}

/**
 * Writes N records, then for each cut of the last line (the bytes of it that reached the disk:
 * every length from all but its newline down to none) checks the reader, and at every
 * `repairEvery`-th cut the reopen-and-append repair.
 */
function tornTail<T extends object>(records: T[], validate: (r: Record<string, unknown>) => T, repairEvery: number): TornResult {
  const path = join(tempDir(), 'log.jsonl');
  const lines = records.map((r) => Buffer.from(encodeRecord(r) + '\n', 'utf8'));
  const prefix = Buffer.concat(lines.slice(0, -1));
  const last = lines.at(-1) as Buffer;
  const expected = records.slice(0, -1);
  const out: TornResult = { cuts: 0, exact: 0, throws: 0, repaired: 0 };
  // cut = bytes of the last line that made it to disk: its length without the newline … 0.
  // Going down, each cut is one truncate of the previous file (a repair appends the whole line again).
  writeFileSync(path, Buffer.concat(lines));
  for (let cut = last.length - 1; cut >= 0; cut--) {
    truncateSync(path, prefix.length + cut);
    out.cuts++;
    try {
      const r = readLogSync<T>(path); // the CRC decides; schema validation is checked below
      const ok =
        r.records.length === expected.length &&
        r.tornTail === cut > 0 &&
        r.skipped === (cut > 0 ? 1 : 0) &&
        r.endOffset === prefix.length &&
        isDeepStrictEqual(r.records.at(-1), JSON.parse(JSON.stringify(expected.at(-1))));
      if (ok) out.exact++;
      else throw new Error(`cut ${cut}/${last.length}: ${r.records.length} records, tornTail ${r.tornTail}, skipped ${r.skipped}, end ${r.endOffset}`);
    } catch (e) {
      out.throws++;
      throw e;
    }
    if (cut % repairEvery === 0 || cut === last.length - 1) {
      // Reopening for append cuts the torn tail; the next record lands whole.
      const log = AppendLog.open<T>(path, { fsyncIntervalMs: 0 });
      expect(log.openReport.tornBytes).toBe(cut);
      log.append(records.at(-1) as T);
      log.close();
      const after = readLogSync<T>(path, { validate });
      expect(after.skipped, `repair at cut ${cut}`).toBe(0);
      expect(after.records).toHaveLength(records.length);
      expect(readFileSync(path).equals(Buffer.concat(lines))).toBe(true); // byte-identical to an unbroken log
      out.repaired++;
    }
  }
  // The whole list, deeply, once.
  writeFileSync(path, Buffer.concat([prefix, last.subarray(0, last.length - 1)]));
  expect(readLogSync<T>(path, { validate }).records).toEqual(expected);
  return out;
}

describe('#14 append-only log', () => {
  it('torn last line at every byte offset: all N-1 complete records returned, the tail dropped and repaired, 0 exceptions', async () => {
    const n = scale(50, 2000);
    const metrics = Array.from({ length: n }, (_, i) => metricRow(i + 1));
    const m = tornTail(metrics, (r) => MetricRecordSchema.parse(r) as unknown as Record<string, number | string>, LONG ? 1 : 7);

    // Trajectories: real expert episodes, the last one with multi-byte UTF-8 in it, so cuts land inside characters too.
    const trajs: RunTrajectory[] = [...expertTrajectories({ env: 'virtualhome', split: 'train', count: scale(2, 40) })].map((t, i) => ({ ...t, update: i + 1, stage: 'expert' }));
    const lastTraj = trajs.at(-1) as RunTrajectory;
    trajs[trajs.length - 1] = { ...lastTraj, steps: lastTraj.steps.map((s, i) => (i === 0 ? { ...s, thought: `${s.thought} — café 日本語 🙂` } : s)) };
    const lastText = encodeRecord(trajs.at(-1) as RunTrajectory);
    expect(Buffer.byteLength(lastText, 'utf8')).toBe(lastText.length + 2 + 1 + 6 + 2); // —: 3 bytes, é: 2, 日本語: 3×3, 🙂: 4 (2 UTF-16 units)
    const t = tornTail(trajs, (r) => RunTrajectorySchema.parse(r), LONG ? 1 : 97);

    // The async reader agrees (one check: the same scanner).
    const path = join(tempDir(), 'm.jsonl');
    writeFileSync(path, metrics.map((r) => encodeRecord(r) + '\n').join('').slice(0, -7));
    const asyncRead = await readLog(path);
    expect(asyncRead.records).toHaveLength(n - 1);
    expect(asyncRead.tornTail).toBe(true);

    const cuts = m.cuts + t.cuts;
    expect(m.exact + t.exact).toBe(cuts);
    expect(m.throws + t.throws).toBe(0);
    reportFigure(
      14,
      'append-only log, torn tail',
      `${cuts}/${cuts} cuts of the last line at every byte offset (a ${m.cuts}-byte metrics row after ${n - 1} rows; a ${t.cuts}-byte trajectory with multi-byte UTF-8 after ${trajs.length - 1}): ` +
        `all N-1 complete records returned and the torn tail reported in ${cuts}/${cuts}, 0 exceptions; reopen-for-append cut the tail and the next record was whole in ${m.repaired + t.repaired}/${m.repaired + t.repaired} (byte-identical to an unbroken log)`,
      { cuts, exact: m.exact + t.exact, throws: m.throws + t.throws, repaired: m.repaired + t.repaired, metricsLineBytes: m.cuts, trajectoryLineBytes: t.cuts },
    );
  });

  it('throughput: ≥ 10,000 points/s with one fsync per ≤ 1 s of data', async () => {
    const fsyncAt: number[] = [];
    const real = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      fsyncAt.push(performance.now());
      real(fd);
    });
    syncBuiltinESMExports(); // append-log.ts imports fsyncSync by name

    const dir = tempDir();
    const log = openMetricsLog(dir); // the default: fsync at most once a second
    const seconds = scale(1.5, 6);
    const metricsPerRow = Object.keys(metricRow(0)).length - 2; // step and t are not metrics
    const t0 = performance.now();
    const fsyncsAtOpen = fsyncAt.length; // a new file's directory
    let rows = 0;
    while (performance.now() - t0 < seconds * 1000) {
      for (let i = 0; i < 100; i++, rows++) {
        const { step, t, ...values } = metricRow(rows);
        log.write(step as number, values, t as number);
      }
    }
    const elapsed = (performance.now() - t0) / 1000;
    const writeFsyncs = fsyncAt.slice(fsyncsAtOpen);
    log.close();
    const rate = rows / elapsed;
    const gaps = [t0, ...writeFsyncs].slice(1).map((x, i) => x - ([t0, ...writeFsyncs][i] as number));
    const maxGapMs = Math.max(...gaps);

    // A quiet log is still fsynced within the interval (the timer), not only on the next write.
    const quiet = openMetricsLog(tempDir(), { fsyncIntervalMs: 200 });
    quiet.write(0, { loss: 1 });
    quiet.write(1, { loss: 1 });
    const before = fsyncAt.length;
    await new Promise((r) => setTimeout(r, 450));
    const timerFsyncs = fsyncAt.length - before;
    quiet.close();

    vi.restoreAllMocks();
    syncBuiltinESMExports();
    const read = await readLog(join(dir, 'metrics.jsonl'));
    expect(read.records).toHaveLength(rows);
    expect(read.skipped).toBe(0);

    // The doc's figure, a point being one scalar of one step (a chart point); rows are also reported.
    expect(rate * metricsPerRow).toBeGreaterThanOrEqual(10_000);
    expect(writeFsyncs.length).toBeGreaterThanOrEqual(1);
    expect(writeFsyncs.length).toBeLessThanOrEqual(Math.ceil(elapsed) + 1);
    expect(maxGapMs).toBeLessThan(1500); // ≤ 1 s of data per fsync, plus scheduling slack on a busy machine
    expect(timerFsyncs).toBe(1);
    reportFigure(
      14,
      'append-only log, throughput',
      `${Math.round(rate * metricsPerRow).toLocaleString('en-US')} points/s (${Math.round(rate).toLocaleString('en-US')} metric rows/s × ${metricsPerRow} scalars, one write() per row) over ${elapsed.toFixed(1)} s ` +
        `with ${writeFsyncs.length} fsync(s) while writing (1 per ≤ ${Math.round(maxGapMs)} ms of data); an idle log fsynced by its timer; floor asserted 10,000 points/s`,
      { rowsPerSecond: Math.round(rate), pointsPerSecond: Math.round(rate * metricsPerRow), seconds: Number(elapsed.toFixed(2)), fsyncs: writeFsyncs.length, maxGapMs: Math.round(maxGapMs) },
    );
  });
});
