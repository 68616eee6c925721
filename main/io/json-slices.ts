/**
 * JSON request bodies read in slices, so that a 100 MB body never holds the event loop (the
 * Electron main process's UI thread, browser mode's only thread) for the whole parse: a
 * whole-text JSON.parse of 100 MB takes about a second. The work is written as generators that
 * yield between pieces; `runSliced` drives one from the event loop in slices of a few
 * milliseconds, `runToEnd` drives it synchronously (tests, small inputs).
 *
 * The splitting only finds where values end (strings are skipped with indexOf, escapes
 * counted); every piece is still checked by JSON.parse, so a document is accepted exactly
 * when JSON.parse would accept it whole.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Time one slice may run before `runSliced` gives the event loop back (ms). */
export const SLICE_MS = 8;

/** Runs a sliced job to its end without yielding to the event loop. */
export function runToEnd<T>(job: Generator<unknown, T>): T {
  for (;;) {
    const step = job.next();
    if (step.done) return step.value;
  }
}

/** Gives the event loop one turn (setImmediate: I/O callbacks run before we go on). */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a sliced job, giving the event loop a turn whenever a slice has run `sliceMs`. */
export async function runSliced<T>(job: Generator<unknown, T>, sliceMs = SLICE_MS): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = job.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string literal whose opening quote is at `i`; -1 if it never closes. */
export function stringEnd(text: string, i: number): number {
  let q = i + 1;
  for (;;) {
    q = text.indexOf('"', q);
    if (q === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    q++;
  }
}

/**
 * Index just past the JSON value starting at `i` (no leading space); -1 if the text ends
 * inside it. Brackets are counted, not matched: JSON.parse of the slice checks the rest.
 */
export function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let k = i; k < text.length; k++) {
      const ch = text.charCodeAt(k);
      if (ch === QUOTE) {
        const end = stringEnd(text, k);
        if (end === -1) return -1;
        k = end - 1;
      } else if (ch === 0x7b || ch === 0x5b) depth++;
      else if (ch === 0x7d || ch === 0x5d) {
        depth--;
        if (depth === 0) return k + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the next separator.
  let k = i;
  while (k < text.length) {
    const ch = text.charCodeAt(k);
    if (ch === 0x2c || ch === 0x5d || ch === 0x7d || isSpace(ch)) break;
    k++;
  }
  if (k === i) throw new SyntaxError(`expected a value at position ${i}`);
  return k;
}

/** Characters of a string literal scanned and decoded in one piece. */
const STRING_PIECE = 256 * 1024;

/**
 * Reads the string literal whose opening quote is at `start`, piece by piece: each piece is
 * searched for the closing quote (an escaped quote is skipped by counting the backslashes
 * before it) and decoded with JSON.parse. A piece is cut only where the 6 characters before the
 * cut hold no backslash, so no escape sequence (at most 6 characters, `\uXXXX`) is split; a
 * surrogate pair split between pieces joins up again when they are concatenated.
 */
export function* readString(text: string, start: number): Generator<void, { value: string; end: number }> {
  let s = start + 1;
  let value = '';
  for (;;) {
    const limit = Math.min(s + STRING_PIECE, text.length);
    let close = -1;
    for (let q = s; ; q++) {
      q = text.indexOf('"', q);
      if (q === -1 || q >= limit) break;
      let backslashes = 0;
      while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) {
        close = q;
        break;
      }
    }
    if (close !== -1) {
      value += JSON.parse(`"${text.slice(s, close)}"`) as string;
      return { value, end: close + 1 };
    }
    if (limit >= text.length) throw new SyntaxError('the text ends inside a string');
    let cut = limit;
    for (;;) {
      const b = text.lastIndexOf('\\', cut - 1);
      if (b < cut - 6 || b < s) break;
      cut = b;
    }
    if (cut <= s) {
      // Nothing but escapes in this piece (a pathological text): read the rest in one go.
      const end = stringEnd(text, start);
      if (end === -1) throw new SyntaxError('the text ends inside a string');
      return { value: value + (JSON.parse(`"${text.slice(s, end - 1)}"`) as string), end };
    }
    value += JSON.parse(`"${text.slice(s, cut)}"`) as string;
    s = cut;
    yield;
  }
}

/**
 * JSON.parse, sliced for the shape of request bodies: a top-level object whose string members
 * (one is a whole imported file) are read piece by piece. Keys are set as own data
 * properties, as JSON.parse does (a "__proto__" key never reaches the prototype). Anything
 * that is not an object is handed to JSON.parse whole.
 */
export function* parseJsonSliced(text: string): Generator<void, unknown> {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return JSON.parse(text) as unknown;
  const result: Record<string, unknown> = {};
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 0x7d) {
    if (skipSpace(text, i + 1) !== text.length) throw new SyntaxError(`unexpected text after the object at position ${i + 1}`);
    return result;
  }
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) throw new SyntaxError(`expected a key at position ${i}`);
    const keyEnd = stringEnd(text, i);
    if (keyEnd === -1) throw new SyntaxError('the text ends inside a key');
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a) throw new SyntaxError(`expected ":" at position ${i}`);
    i = skipSpace(text, i + 1);
    if (i >= text.length) throw new SyntaxError('the text ends before a value');
    let value: unknown;
    let end: number;
    if (text.charCodeAt(i) === QUOTE) {
      ({ value, end } = yield* readString(text, i));
    } else {
      end = valueEnd(text, i);
      if (end === -1) throw new SyntaxError(`the text ends inside the value of ${JSON.stringify(key.slice(0, 80))}`);
      value = JSON.parse(text.slice(i, end)) as unknown;
    }
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    yield;
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === 0x2c) {
      i = skipSpace(text, i + 1);
      continue;
    }
    if (c === 0x7d && skipSpace(text, i + 1) === text.length) return result;
    throw new SyntaxError(`expected "," or "}" at position ${i}`);
  }
}
