/**
 * Streams a growing append-only file line by line from a byte offset, in 1 MB chunks, so
 * indexing a run of 100k trajectories never holds more than one chunk and one line. Only
 * complete lines are handed over: a line still being written is read again next time.
 */
import { promises as fsp } from 'node:fs';

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

export interface ScanResult {
  /** Offset just past the last complete line (where the next scan starts). */
  endOffset: number;
  bytesRead: number;
}

/** Calls `onLine(bytes, offset)` for each complete line (newline excluded) from `from`. */
export async function scanLines(path: string, from: number, onLine: (line: Buffer, offset: number) => void): Promise<ScanResult> {
  const fh = await fsp.open(path, 'r');
  let carry = Buffer.alloc(0);
  let carryStart = from;
  let bytesRead = 0;
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let pos = from; ; ) {
      const { bytesRead: n } = await fh.read(buf, 0, CHUNK, pos);
      if (n === 0) break;
      pos += n;
      bytesRead += n;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        onLine(data.subarray(start, nl), carryStart + start);
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start)); // copy: `buf` is reused by the next read
      carryStart += start;
    }
  } finally {
    await fh.close();
  }
  return { endOffset: carryStart, bytesRead };
}

/** The bytes of one line whose position is known (no newline). */
export async function readLineAt(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await fsp.open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Text appended to a file since `from`, up to `maxBytes`, cut at the last newline so a
 * multi-byte character or a half-written line is never split (one over-long line is cut at
 * a UTF-8 character boundary instead).
 */
export async function readTextFrom(path: string, from: number, maxBytes = 1 << 20): Promise<{ text: string; endOffset: number }> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', endOffset: from };
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    if (from >= size) return { text: '', endOffset: Math.min(from, size) };
    const want = Math.min(maxBytes, size - from);
    const buf = Buffer.alloc(want);
    const { bytesRead } = await fh.read(buf, 0, want, from);
    let cut = buf.subarray(0, bytesRead).lastIndexOf(NEWLINE) + 1;
    if (cut === 0 && bytesRead === maxBytes) cut = utf8Boundary(buf, bytesRead);
    return { text: buf.subarray(0, cut).toString('utf8'), endOffset: from + cut };
  } finally {
    await fh.close();
  }
}

/** The largest n ≤ end such that buf[0, n) does not end inside a UTF-8 character. */
export function utf8Boundary(buf: Uint8Array, end: number): number {
  let i = end - 1;
  while (i > 0 && ((buf[i] ?? 0) & 0xc0) === 0x80) i--; // back to the last character's lead byte
  const lead = buf[i] ?? 0;
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i + size > end ? i : end;
}
