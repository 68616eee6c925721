/**
 * Splits an imported file into the raw text of its records while it streams in, chunk by chunk:
 * JSON Lines into lines, a JSON array into its elements. Only record boundaries are found here
 * (strings skipped with indexOf, escapes counted, brackets counted); each record is then checked
 * by JSON.parse, so a record is accepted exactly when JSON.parse would accept it.
 *
 * Each chunk is scanned once: a record that spans chunks is kept as a list of pieces and joined
 * when it ends, never re-scanned. Memory is one record, not the file. A record longer than
 * MAX_RECORD_CHARS is not kept at all: it comes out as an error item (the scan goes on past it).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/**
 * Characters one record may have. An imported trajectory has at most 10,000 steps (import.ts);
 * a 10 MB goal text repeated in its observations is legal. Past this, the record is not read.
 */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

export type SplitItem = { text: string; where: string } | { where: string; error: string };

/** The file's structure is broken where records cannot be told apart any more. */
export class StructureError extends Error {
  constructor(
    message: string,
    /** 'not-json': the first character starts no JSON value we read; 'array': a broken array. */
    readonly kind: 'not-json' | 'array',
  ) {
    super(message);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

export class RecordSplitter {
  /** What the file is, once its first non-space character has arrived. */
  kind: 'lines' | 'array' | null = null;
  /** Characters of the file before the current chunk (for positions in messages). */
  private offset = 0;
  private first = true;
  /** The current record's text from earlier chunks. */
  private pieces: string[] = [];
  private pieceChars = 0;
  private oversized = false;
  /** lines: lines ended so far; array: elements ended so far. */
  private count = 0;
  // Array scan state.
  private phase: 'open' | 'before' | 'element' | 'after' = 'open';
  private afterComma = false;
  private depth = 0;
  private inString = false;
  /** Backslashes ending the previous chunk inside a string (they may escape this chunk's first quote). */
  private carryBackslashes = 0;

  constructor(private readonly maxRecordChars = MAX_RECORD_CHARS) {}

  /** The records that ended in this chunk. Throws StructureError when the file cannot be read on. */
  push(chunk: string): SplitItem[] {
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) {
        chunk = chunk.slice(1);
        this.offset++;
      }
    }
    const out: SplitItem[] = [];
    let from = 0;
    if (this.kind === null) {
      while (from < chunk.length && isSpace(chunk.charCodeAt(from))) from++;
      // Leading blank lines still count as lines, so line numbers match an editor's.
      this.count += countNewlines(chunk, 0, from);
      if (from === chunk.length) {
        this.offset += chunk.length;
        return out;
      }
      const c = chunk.charCodeAt(from);
      if (c === 0x5b) this.kind = 'array';
      else if (c === 0x7b) this.kind = 'lines';
      else throw new StructureError('not JSON', 'not-json');
      if (this.kind === 'array') this.count = 0;
    }
    if (this.kind === 'lines') this.scanLines(chunk, from, out);
    else this.scanArray(chunk, from, out);
    this.offset += chunk.length;
    return out;
  }

  /** The records still open when the file ends; throws StructureError for a truncated array. */
  end(): SplitItem[] {
    const out: SplitItem[] = [];
    if (this.kind === 'lines') {
      if (this.pieceChars > 0 || this.oversized) this.endRecord(out, '');
    } else if (this.kind === 'array' && this.phase !== 'after') {
      const where = this.phase === 'element' ? `inside element [${this.count}]` : `inside the array, after ${this.count} elements`;
      throw new StructureError(`the text ends ${where} (truncated?)`, 'array');
    }
    return out;
  }

  private keep(chunk: string, from: number, to: number): void {
    if (this.oversized || to <= from) return;
    this.pieceChars += to - from;
    if (this.pieceChars > this.maxRecordChars) {
      this.oversized = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(chunk.slice(from, to));
  }

  /** Ends the current record with `tail` (its text in the current chunk). */
  private endRecord(out: SplitItem[], tail: string): void {
    this.count++;
    const where = this.kind === 'lines' ? `line ${this.count}` : `record [${this.count - 1}]`;
    if (this.oversized || this.pieceChars + tail.length > this.maxRecordChars) {
      out.push({ where, error: `longer than ${(this.maxRecordChars / (1024 * 1024)).toLocaleString('en')} MB of text; a record is one trajectory of at most 10,000 steps` });
    } else {
      const raw = this.pieces.length ? this.pieces.join('') + tail : tail;
      // An element is exactly what JSON.parse of the array would read: JSON's four spaces only
      // (String#trim also strips U+2028, U+00A0…, which JSON does not allow between values).
      const text = this.kind === 'lines' ? raw.trim() : trimJsonSpace(raw);
      if (text !== '' || this.kind === 'array') out.push({ text, where });
    }
    this.pieces = [];
    this.pieceChars = 0;
    this.oversized = false;
  }

  private scanLines(chunk: string, from: number, out: SplitItem[]): void {
    let start = from;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl === -1) break;
      this.endRecord(out, chunk.slice(start, nl));
      start = nl + 1;
    }
    this.keep(chunk, start, chunk.length);
  }

  private backslashesBefore(chunk: string, q: number): number {
    let n = 0;
    while (q - 1 - n >= 0 && chunk.charCodeAt(q - 1 - n) === BACKSLASH) n++;
    return q - n === 0 ? n + this.carryBackslashes : n;
  }

  private fail(message: string): never {
    throw new StructureError(message, 'array');
  }

  private scanArray(chunk: string, from: number, out: SplitItem[]): void {
    let i = from;
    let start = this.phase === 'element' ? from : -1;
    const n = chunk.length;
    while (i < n) {
      if (this.phase === 'open') {
        // The detected '[' (the only way into 'open').
        this.phase = 'before';
        i++;
        continue;
      }
      if (this.phase === 'after') {
        while (i < n && isSpace(chunk.charCodeAt(i))) i++;
        if (i < n) this.fail(`unexpected text after the array at position ${this.offset + i}`);
        break;
      }
      if (this.phase === 'before') {
        while (i < n && isSpace(chunk.charCodeAt(i))) i++;
        if (i === n) break;
        const c = chunk.charCodeAt(i);
        if (c === 0x5d) {
          if (this.afterComma) this.fail(`trailing comma after element [${this.count - 1}]`);
          this.phase = 'after';
          i++;
          continue;
        }
        if (c === COMMA) this.fail(`expected a value at position ${this.offset + i}`);
        this.phase = 'element';
        this.afterComma = false;
        this.depth = 0;
        start = i;
        continue;
      }
      // Inside an element.
      if (this.inString) {
        const q = chunk.indexOf('"', i);
        if (q === -1) {
          i = n;
          break;
        }
        i = q + 1;
        if (this.backslashesBefore(chunk, q) % 2 === 0) this.inString = false;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (this.depth > 0) this.depth--;
        else if (c === 0x5d) {
          this.endRecord(out, chunk.slice(start, i));
          this.phase = 'after';
        }
        // A '}' at depth 0 is left to JSON.parse of the element.
      } else if (c === COMMA && this.depth === 0) {
        this.endRecord(out, chunk.slice(start, i));
        this.phase = 'before';
        this.afterComma = true;
      }
      i++;
    }
    if (this.phase === 'element') {
      this.keep(chunk, start, n);
      this.carryBackslashes = this.inString ? this.backslashesBefore(chunk, n) : 0;
    }
  }
}

function trimJsonSpace(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
