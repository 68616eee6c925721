import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppendLog, decodeLine, encodeRecord, readLog, readLogSync } from '../../../engine/storage/append-log';
import { crc32, crc32Hex, crc32Update, crc32UpdateTable } from '../../../engine/storage/crc32';

const roots: string[] = [];
function tempFile(name = 'metrics.jsonl'): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-log-'));
  roots.push(d);
  return join(d, name);
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

type Rec = { step: number; loss?: number; t?: number };
const steps = (records: readonly Rec[]) => records.map((r) => r.step);

describe('CRC-32 and the line format', () => {
  it('matches the CRC-32/ISO-HDLC check values', () => {
    expect(crc32Hex('123456789')).toBe('cbf43926');
    expect(crc32('')).toBe(0);
    expect(crc32Hex('a')).toBe('e8b7be43');
  });

  it('the native (zlib) and table paths agree, whole and fed in pieces', () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131 + (i >> 3)) & 0xff));
    expect(crc32UpdateTable(0, Buffer.from('123456789'))).toBe(0xcbf43926);
    for (const cut of [0, 1, 7, 2500, 4999, 5000]) {
      const whole = crc32UpdateTable(0, bytes);
      expect(crc32UpdateTable(crc32UpdateTable(0, bytes, 0, cut), bytes, cut)).toBe(whole);
      expect(crc32Update(crc32Update(0, bytes, 0, cut), bytes, cut)).toBe(whole);
      expect(crc32Update(0, bytes, cut, cut)).toBe(0);
    }
  });
  it('appends the CRC of the record text as the last field', () => {
    // crc32('{"step":1,"loss":0.5}') = 0xbe3255db, crc32('{}') = 0xa3a6bf43 (zlib.crc32).
    expect(encodeRecord({ step: 1, loss: 0.5 })).toBe('{"step":1,"loss":0.5,"crc":"be3255db"}');
    expect(encodeRecord({})).toBe('{"crc":"a3a6bf43"}');
    expect(decodeLine(Buffer.from('{"step":1,"loss":0.5,"crc":"be3255db"}'))).toEqual({ ok: true, record: { step: 1, loss: 0.5 } });
    expect(decodeLine(Buffer.from('{"crc":"a3a6bf43"}'))).toEqual({ ok: true, record: {} });
    expect(() => encodeRecord({ crc: 1 })).toThrow('top-level "crc"');
    expect(() => encodeRecord([1, 2])).toThrow('JSON objects');
  });

  it('detects every single changed character of a line', () => {
    const line = encodeRecord({ step: 42, 'losses/value_loss': 0.125, note: 'Thought: open the drawer', t: 1700000000000 });
    let detected = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      const other = String.fromCharCode(c === 0x7e ? 0x21 : c + 1); // a different printable character
      const r = decodeLine(Buffer.from(line.slice(0, i) + other + line.slice(i + 1)));
      if (!r.ok) detected++;
    }
    expect(detected).toBe(line.length);
    expect(decodeLine(Buffer.from(line.replace('0.125', '0.126')))).toMatchObject({ ok: false, reason: expect.stringMatching(/^crc mismatch/) });
  });
});

describe('reader', () => {
  const five = [0, 1, 2, 3, 4].map((step) => encodeRecord({ step, loss: step / 8 }) + '\n').join('');

  it('drops a torn tail at every byte offset, returning all whole records (0 throws)', () => {
    const path = tempFile();
    const lineStarts = [0];
    for (let i = 0; i < five.length; i++) if (five[i] === '\n') lineStarts.push(i + 1);
    for (let cut = 0; cut <= five.length; cut++) {
      writeFileSync(path, five.slice(0, cut));
      const r = readLogSync<Rec>(path);
      const whole = lineStarts.filter((s) => s > 0 && s <= cut).length;
      const torn = !lineStarts.includes(cut);
      expect(steps(r.records)).toEqual([0, 1, 2, 3, 4].slice(0, whole));
      expect(r.skipped).toBe(torn ? 1 : 0);
      expect(r.tornTail).toBe(torn);
      expect(r.endOffset).toBe(lineStarts[whole]);
    }
  });

  it('skips a corrupt line in the middle and keeps the rest, saying where', async () => {
    const path = tempFile();
    writeFileSync(path, five.replace('"step":2', '"step":7'));
    const r = await readLog<Rec>(path);
    expect(steps(r.records)).toEqual([0, 1, 3, 4]);
    expect(r.skipped).toBe(1);
    expect(r.problems).toEqual([{ offset: five.indexOf('{"step":2'), line: 3, reason: expect.stringMatching(/^crc mismatch/) }]);
  });

  it('validates records and counts rejections as skipped', async () => {
    const path = tempFile();
    writeFileSync(path, five + encodeRecord({ step: 'five' }) + '\n');
    const r = await readLog(path, {
      validate: (v) => {
        if (typeof v.step !== 'number') throw new Error('step must be a number');
        return v as Rec;
      },
    });
    expect(r.records).toHaveLength(5);
    expect(r.problems).toEqual([{ offset: five.length, line: 6, reason: 'rejected: step must be a number' }]);
  });

  it('tails: a read from endOffset returns only new whole lines, and a line in progress later', async () => {
    const path = tempFile();
    writeFileSync(path, five);
    const first = await readLog<Rec>(path);
    const next = encodeRecord({ step: 5 }) + '\n';
    appendFileSync(path, next.slice(0, 10)); // a write in progress
    const mid = await readLog<Rec>(path, { from: first.endOffset });
    expect(mid).toMatchObject({ records: [], tornTail: true, endOffset: first.endOffset });
    appendFileSync(path, next.slice(10));
    const done = await readLog<Rec>(path, { from: mid.endOffset });
    expect(done).toMatchObject({ records: [{ step: 5 }], skipped: 0, tornTail: false, endOffset: five.length + next.length });
  });
});

describe('appender', () => {
  it('half a line, then reopen and append: every whole record once, none duplicated', () => {
    const path = tempFile();
    const torn = encodeRecord({ step: 3, loss: 0.375 }).slice(0, 17);
    writeFileSync(path, [0, 1, 2].map((step) => encodeRecord({ step }) + '\n').join('') + torn);
    const before = readLogSync<Rec>(path);
    expect(steps(before.records)).toEqual([0, 1, 2]);
    expect(before.skipped).toBe(1);

    const log = AppendLog.open<Rec>(path);
    expect(log.openReport).toEqual({ tornBytes: 17, droppedRecords: 0, keptRecords: null });
    log.append({ step: 3, loss: 0.375 });
    log.appendMany([{ step: 4 }, { step: 5 }]);
    log.close();
    const after = readLogSync<Rec>(path);
    expect(steps(after.records)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(after.skipped).toBe(0);
    expect(() => log.append({ step: 6 })).toThrow('is closed');
  });

  it('on resume drops the records written after the checkpoint, once', () => {
    const path = tempFile();
    const first = AppendLog.open<Rec>(path);
    for (let step = 0; step < 10; step++) first.append({ step });
    first.close();
    appendFileSync(path, '{"step":10,"cr'); // and the crash tore a line
    const log = AppendLog.open<Rec>(path, { dropFrom: (r) => r.step > 5 });
    expect(log.openReport).toEqual({ tornBytes: 14, droppedRecords: 4, keptRecords: 6 });
    for (let step = 6; step < 9; step++) log.append({ step });
    log.close();
    expect(steps(readLogSync<Rec>(path).records)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('an untouched log reopens without changes', () => {
    const path = tempFile();
    const a = AppendLog.open<Rec>(path);
    a.append({ step: 0 });
    a.close();
    const bytes = readFileSync(path);
    const b = AppendLog.open<Rec>(path);
    expect(b.openReport.tornBytes).toBe(0);
    b.close();
    expect(readFileSync(path)).toEqual(bytes);
    truncateSync(path, 0);
    const c = AppendLog.open<Rec>(path, { dropFrom: () => true });
    expect(c.openReport).toEqual({ tornBytes: 0, droppedRecords: 0, keptRecords: null });
    c.close();
  });

  it('appends at least 10,000 metric points per second with fsync once a second', () => {
    const path = tempFile();
    const log = AppendLog.open<Rec & Record<string, number>>(path);
    const n = 20_000;
    const t0 = performance.now();
    for (let step = 0; step < n; step++) log.append({ step, 'losses/policy_loss': Math.sin(step), 'charts/SPS': 1234.5, t: Date.now() });
    log.close();
    const perSecond = n / ((performance.now() - t0) / 1000);
    expect(readLogSync(path).records).toHaveLength(n);
    console.log(`append throughput: ${Math.round(perSecond)} records/s`);
    expect(perSecond).toBeGreaterThan(10_000);
  });
});

describe('SIGKILL mid-append', () => {
  const fixture = join(import.meta.dirname, 'fixtures', 'append-writer.ts');

  /** Starts the writer, kills it with SIGKILL `delayMs` after it has written `readyAfter` records. */
  function killWriter(path: string, readyAfter: number, delayMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, path, String(readyAfter)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), delayMs);
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}: ${err}`))));
    });
  }

  it('leaves a prefix of the records with 0 or 1 skipped lines; reopening continues it exactly', async () => {
    const path = tempFile();
    await killWriter(path, 3000, 150);
    const r = await readLog<Rec>(path);
    expect(r.records.length).toBeGreaterThanOrEqual(3000);
    expect(r.records.every((rec, i) => rec.step === i)).toBe(true);
    expect(r.skipped).toBeLessThanOrEqual(1);
    expect(r.problems.every((p) => p.reason.startsWith('torn tail'))).toBe(true);

    // A second life of the same log: repairs the tail, continues the step sequence, killed again.
    const n1 = r.records.length;
    await killWriter(path, n1 + 3000, 100);
    const r2 = await readLog<Rec>(path);
    expect(r2.records.length).toBeGreaterThanOrEqual(n1 + 3000);
    expect(r2.records.every((rec, i) => rec.step === i)).toBe(true);
    expect(r2.skipped).toBeLessThanOrEqual(1);
    console.log(`SIGKILL runs: ${n1} then ${r2.records.length} records, skipped ${r.skipped} then ${r2.skipped}`);
  });
});
