/**
 * Small, regex-free string helpers shared by the catalogue, the search engine, the
 * instruction writer and the expert. Hot paths (search tokenisation, page parsing)
 * run through these char loops, so they avoid regexes and intermediate strings.
 */

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Word tokens of a lower-cased text, the way Lucene's StandardTokenizer roughly splits them:
 * letters and digits, with `.` kept between digits (`6.76`) and `'` kept between letters
 * (`l'eau`). Hyphens, slashes and other punctuation split tokens (`t-shirt` → `t`, `shirt`).
 */
export function searchTokens(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let keep = isAlnum(c);
    if (!keep && start >= 0 && i + 1 < n) {
      const prev = text.charCodeAt(i - 1);
      const next = text.charCodeAt(i + 1);
      if (c === 46 /* . */ && isDigit(prev) && isDigit(next)) keep = true;
      else if (c === 39 /* ' */ && isAlnum(prev) && isAlnum(next)) keep = true;
    }
    if (keep) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(text.slice(start, i).toLowerCase());
      start = -1;
    }
  }
  if (start >= 0) out.push(text.slice(start).toLowerCase());
  return out;
}

/**
 * Tokens for phrase matching in instructions and page texts: lower-cased, split on spaces
 * and on `,;:()[]!?"/|`, with `-`, `.` and `'` kept inside a token (`x-large`, `6.76`,
 * `women's`). With `splitHyphens`, hyphens split too (`long-lasting` → `long lasting`).
 */
export function phraseTokens(text: string, splitHyphens = false): string[] {
  const out: string[] = [];
  let start = -1;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    const sep =
      c === 32 || c === 44 || c === 59 || c === 58 || c === 40 || c === 41 || c === 91 || c === 93 || c === 33 || c === 63 || c === 34 || c === 47 || c === 124 ||
      c === 9 || c === 10 || (splitHyphens && c === 45);
    if (!sep) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      let a = start;
      let b = i;
      // Trailing dots and quotes are sentence punctuation, not part of the word.
      while (b > a && (text.charCodeAt(b - 1) === 46 || text.charCodeAt(b - 1) === 39 || text.charCodeAt(b - 1) === 45)) b--;
      while (a < b && (text.charCodeAt(a) === 39 || text.charCodeAt(a) === 45)) a++;
      if (b > a) out.push(text.slice(a, b).toLowerCase());
      start = -1;
    }
  }
  return out;
}

/** First index at which `needle` occurs contiguously in `hay` (from `from`), or -1. */
export function indexOfTokens(hay: readonly string[], needle: readonly string[], from = 0): number {
  const m = needle.length;
  if (m === 0) return -1;
  const last = hay.length - m;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < m; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Whether the phrase occurs in the text, compared token by token with hyphens as spaces. */
export function containsPhrase(textTokens: readonly string[], phrase: string): boolean {
  return indexOfTokens(textTokens, phraseTokens(phrase, true)) >= 0;
}

/** `sulfate free` → `Sulfate Free`; keeps `x` in dimensions and short joining words lower-case. */
export function titleCase(phrase: string): string {
  const words = phrase.split(' ');
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === 'x' || w === '|') continue;
    if (i > 0 && (w === 'and' || w === 'of' || w === 'for' || w === 'with' || w === 'de')) continue;
    words[i] = w.charAt(0).toUpperCase() + w.slice(1);
  }
  return words.join(' ');
}

/** Dollar display as in the product records: `$64.98`. */
export function dollars(x: number): string {
  return `$${x.toFixed(2)}`;
}
