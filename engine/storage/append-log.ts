/**
 * Append-only JSONL logs that survive a crash mid-write (metrics.jsonl, trajectories.jsonl).
 *
 * Line format: the record's JSON with one more field, `"crc":"<8 hex>"`, appended as the last
 * key. The CRC-32 covers the record's JSON text without that field (the bytes before
 * `,"crc"` plus the closing brace), so a reader checks a line without re-serializing it, and
 * each line stays plain JSON that any tool can read.
 *
 * Guarantees (the TensorBoard / W&B model):
 * - Writers emit whole lines, one write() per append; a kill -9 leaves at most one torn last
 *   line, which readers skip and report (`tornTail`), never throw on.
 * - A flipped byte anywhere in a line fails its CRC: that line is skipped and reported, the
 *   lines around it are kept.
 * - Reopening for append first truncates a torn tail (everything after the last newline),
 *   so the next record starts on its own line: nothing is lost or duplicated.
 * - fsync at most every `fsyncIntervalMs` (default 1 s): a kill -9 loses nothing written,
 *   a power loss at most that window.
 *
 * One writer per file. Readers may tail the file while it is written: `endOffset` is where
 * the next read should start (a line still being written is read again next time).
 */
import { closeSync, fsyncSync, openSync, readSync, statSync, ftruncateSync, writeSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { crc32Update } from './crc32';

export const CRC_FIELD = 'crc';

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;
// `"crc":"` + 8 hex + `"}`: the fixed tail of every line; one byte before it is ',' or '{'.
const TAIL = Buffer.from('"crc":"');
const TAIL_LEN = TAIL.length + 8 + 2;
const CLOSE_BRACE = Buffer.from('}');
const EMPTY_BODY = Buffer.from('{}');

/** One log line for `record` (no newline). Records are JSON objects without a top-level `crc`. */
export function encodeRecord(record: object): string {
  if (Object.prototype.hasOwnProperty.call(record, CRC_FIELD)) {
    throw new TypeError(`log records may not have a top-level "${CRC_FIELD}" field (it holds the line check)`);
  }
  const body = JSON.stringify(record) as string | undefined;
  if (body === undefined || body[0] !== '{') throw new TypeError('log records must be JSON objects');
  const crc = crc32Update(0, Buffer.from(body, 'utf8')).toString(16).padStart(8, '0');
  return body === '{}' ? `{"${CRC_FIELD}":"${crc}"}` : `${body.slice(0, -1)},"${CRC_FIELD}":"${crc}"}`;
}

export type DecodeResult = { ok: true; record: Record<string, unknown> } | { ok: false; reason: string };

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66);
}

/** Checks and parses one line (without its newline). */
export function decodeLine(line: Uint8Array): DecodeResult {
  const n = line.length;
  const sep = n - TAIL_LEN - 1;
  if (sep < 0) return { ok: false, reason: 'too short for a checked record' };
  for (let i = 0; i < TAIL.length; i++) {
    if (line[sep + 1 + i] !== TAIL[i]) return { ok: false, reason: 'no crc field at the end of the line' };
  }
  const hexStart = sep + 1 + TAIL.length;
  for (let i = hexStart; i < hexStart + 8; i++) {
    if (!isHex(line[i] as number)) return { ok: false, reason: 'malformed crc field' };
  }
  if (line[n - 2] !== 0x22 || line[n - 1] !== 0x7d) return { ok: false, reason: 'no crc field at the end of the line' };
  let crc: number;
  if (line[sep] === 0x2c /* , */) crc = crc32Update(crc32Update(0, line, 0, sep), CLOSE_BRACE);
  else if (line[sep] === 0x7b /* { */ && sep === 0) crc = crc32Update(0, EMPTY_BODY);
  else return { ok: false, reason: 'no crc field at the end of the line' };
  // Compare the stored hex with the computed CRC without building strings (1M-line logs).
  let stored = 0;
  for (let i = hexStart; i < hexStart + 8; i++) {
    const b = line[i] as number;
    stored = stored * 16 + (b <= 0x39 ? b - 0x30 : b - 0x61 + 10);
  }
  if (stored !== crc >>> 0) {
    const hex = (x: number) => x.toString(16).padStart(8, '0');
    return { ok: false, reason: `crc mismatch (stored ${hex(stored)}, computed ${hex(crc >>> 0)})` };
  }
  // Parse the record without its crc field (the checked body plus '}'), instead of deleting the
  // field afterwards: `delete` turns every record into a slow dictionary-mode object.
  const text = (Buffer.isBuffer(line) ? line : Buffer.from(line.buffer, line.byteOffset, line.length)).toString('utf8');
  const body = sep === 0 ? '{}' : `${text.slice(0, text.length - TAIL_LEN - 1)}}`;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  return { ok: true, record };
}

export interface LogProblem {
  /** Byte offset of the line's first byte. */
  offset: number;
  /** 1-based line number, counted from where the read started. */
  line: number;
  reason: string;
}

export interface LogRead<T> {
  records: T[];
  /** Lines not returned: failed checks or validation, plus an unterminated tail. */
  skipped: number;
  problems: LogProblem[];
  /** The file ends in a partial line (a crash mid-write, or a write in progress). */
  tornTail: boolean;
  /** Offset just past the last complete line: where appending or the next tail read starts. */
  endOffset: number;
  /** Start offset of each returned record (only with `offsets: true`). */
  offsets?: number[];
}

export interface ReadLogOptions<T> {
  /** Byte offset to start at (a previous `endOffset`); default 0. */
  from?: number;
  /** Turns a checked record into T, throwing to reject it (reported as a problem). */
  validate?: (record: Record<string, unknown>) => T;
  offsets?: boolean;
}

const isBlankByte = (b: number) => b === 0x20 || b === 0x09 || b === 0x0d;

/** A line of whitespace only (a record starts with '{', so the loop ends at its first byte). */
export function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (!isBlankByte(bytes[i] as number)) return false;
  return true;
}

/** Splits chunks into lines and decodes them; shared by the sync and async readers. */
class LineScanner<T> {
  private carry: Buffer = Buffer.alloc(0);
  private carryStart: number;
  private lineNo = 0;
  readonly result: LogRead<T>;

  constructor(private readonly opts: ReadLogOptions<T>) {
    this.carryStart = opts.from ?? 0;
    this.result = { records: [], skipped: 0, problems: [], tornTail: false, endOffset: this.carryStart };
    if (opts.offsets) this.result.offsets = [];
  }

  feed(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      this.line(buf.subarray(start, nl), this.carryStart + start);
      start = nl + 1;
      this.result.endOffset = this.carryStart + start;
    }
    this.carry = Buffer.from(buf.subarray(start));
    this.carryStart += start;
  }

  private line(bytes: Buffer, offset: number): void {
    this.lineNo++;
    if (isBlank(bytes)) return; // blank: nothing to lose
    const decoded = decodeLine(bytes);
    if (!decoded.ok) return this.problem(offset, decoded.reason);
    let record: T;
    try {
      record = this.opts.validate ? this.opts.validate(decoded.record) : (decoded.record as T);
    } catch (e) {
      return this.problem(offset, `rejected: ${(e as Error).message}`);
    }
    this.result.records.push(record);
    this.result.offsets?.push(offset);
  }

  private problem(offset: number, reason: string): void {
    this.result.skipped++;
    this.result.problems.push({ offset, line: this.lineNo, reason });
  }

  finish(): LogRead<T> {
    if (this.carry.length > 0) {
      this.result.tornTail = true;
      this.result.skipped++;
      this.result.problems.push({
        offset: this.carryStart,
        line: this.lineNo + 1,
        reason: `torn tail: ${this.carry.length} bytes without a newline`,
      });
    }
    return this.result;
  }
}

/** Reads a log (or its part from `from`); never throws on content, only on I/O. */
export async function readLog<T = Record<string, unknown>>(path: string, opts: ReadLogOptions<T> = {}): Promise<LogRead<T>> {
  const scanner = new LineScanner<T>(opts);
  const fh = await fsp.open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK); // only the bytes read are used: no need to zero 1 MiB per (tail) read
    for (let pos = opts.from ?? 0; ; ) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) break;
      scanner.feed(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return scanner.finish();
}

export function readLogSync<T = Record<string, unknown>>(path: string, opts: ReadLogOptions<T> = {}): LogRead<T> {
  const scanner = new LineScanner<T>(opts);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK); // only the bytes read are used: no need to zero 1 MiB per (tail) read
    for (let pos = opts.from ?? 0; ; ) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      scanner.feed(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return scanner.finish();
}

/** Offset just past the last newline, scanning back from the end (cheap on big files). */
function endOfLastLine(fd: number, size: number): number {
  const buf = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - buf.length);
    const n = readSync(fd, buf, 0, end - start, start);
    const nl = buf.subarray(0, n).lastIndexOf(NEWLINE);
    if (nl !== -1) return start + nl + 1;
    end = start;
  }
  return 0;
}

export interface AppendLogOptions<T> {
  /** fsync at most this often, in ms; 0 = after every append. Default 1000. */
  fsyncIntervalMs?: number;
  /**
   * On open, cut the log at the first record matching this. Used on resume: the records a
   * crashed process wrote after its last checkpoint belong to a timeline that no longer
   * exists and are written again by the resumed run (e.g. `r => r.step > checkpointStep`).
   */
  dropFrom?: (record: T) => boolean;
}

/** What opening found and removed. */
export interface OpenReport {
  /** Bytes of a torn tail that were truncated away. */
  tornBytes: number;
  /** Whole records removed by `dropFrom`. */
  droppedRecords: number;
  /** Complete records in the file after the repair (only counted when `dropFrom` is given). */
  keptRecords: number | null;
}

export class AppendLog<T extends object = Record<string, unknown>> {
  private fd: number | null;
  private lastSync = Date.now();
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    readonly path: string,
    fd: number,
    private readonly fsyncIntervalMs: number,
    readonly openReport: OpenReport,
  ) {
    this.fd = fd;
  }

  /** Opens (creating if needed) for appending, after repairing a torn tail. */
  static open<T extends object = Record<string, unknown>>(path: string, opts: AppendLogOptions<T> = {}): AppendLog<T> {
    const report: OpenReport = { tornBytes: 0, droppedRecords: 0, keptRecords: null };
    const rw = openSync(path, 'a+'); // creates the file if missing, never truncates by itself
    let created = false;
    try {
      const size = statSync(path).size;
      created = size === 0;
      let cut = size;
      if (opts.dropFrom && size > 0) {
        const read = readLogSync<T>(path, { offsets: true });
        const at = read.records.findIndex((r) => opts.dropFrom?.(r));
        cut = at === -1 ? read.endOffset : (read.offsets?.[at] as number);
        report.droppedRecords = at === -1 ? 0 : read.records.length - at;
        report.keptRecords = at === -1 ? read.records.length : at;
        report.tornBytes = size - read.endOffset;
      } else if (size > 0) {
        cut = endOfLastLine(rw, size);
        report.tornBytes = size - cut;
      }
      if (cut < size) {
        ftruncateSync(rw, cut);
        fsyncSync(rw);
      }
    } finally {
      closeSync(rw);
    }
    const fd = openSync(path, 'a');
    // A new file's directory entry must be durable too, or power loss can drop the whole log.
    if (created) fsyncDirSync(dirname(path));
    return new AppendLog<T>(path, fd, opts.fsyncIntervalMs ?? 1000, report);
  }

  append(record: T): void {
    this.write(encodeRecord(record) + '\n');
  }

  /** Several records in one write(). */
  appendMany(records: readonly T[]): void {
    if (records.length === 0) return;
    let text = '';
    for (const r of records) text += encodeRecord(r) + '\n';
    this.write(text);
  }

  private write(text: string): void {
    const fd = this.requireOpen();
    const buf = Buffer.from(text, 'utf8');
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    this.dirty = true;
    const due = this.lastSync + this.fsyncIntervalMs - Date.now();
    if (due <= 0) this.sync();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.sync(), due);
      this.timer.unref(); // a pending fsync must not keep the process alive
    }
  }

  /** fsync now if anything was written since the last one. */
  sync(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd === null || !this.dirty) return;
    fsyncSync(this.fd);
    this.dirty = false;
    this.lastSync = Date.now();
  }

  close(): void {
    if (this.fd === null) return;
    this.sync();
    closeSync(this.fd);
    this.fd = null;
  }

  private requireOpen(): number {
    if (this.fd === null) throw new Error(`append log ${this.path} is closed`);
    return this.fd;
  }
}

function fsyncDirSync(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on this platform (Windows); see durable.ts.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
