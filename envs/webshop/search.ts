/**
 * The search engine: BM25 over one lower-cased document per product (Title,
 * Description, BulletPoints[0] and the option text, as convert_product_file_format.py
 * builds them), top 50 hits. The original used Pyserini/Lucene; here `minisearch` with
 * plain BM25 (k1 = 0.9, b = 0.4, Pyserini's defaults), no fuzzy or prefix matching,
 * Lucene's English stop words and its minimal plural stemmer.
 */
import MiniSearch from 'minisearch';
import { searchTokens } from './text';

/** search_engine's SEARCH_RETURN_N. */
export const SEARCH_RETURN_N = 50;

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET. */
const STOP_WORDS = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with']);

/** Lucene's EnglishPossessiveFilter + EnglishMinimalStemmer (plural `s`, `ies` → `y`). */
export function stemTerm(term: string): string {
  let t = term;
  if (t.endsWith("'s")) t = t.slice(0, -2);
  const len = t.length;
  if (len < 3 || t.charCodeAt(len - 1) !== 115 /* s */) return t;
  const c2 = t.charAt(len - 2);
  if (c2 === 'u' || c2 === 's') return t;
  if (c2 === 'e') {
    const c3 = t.charAt(len - 3);
    if (len > 3 && c3 === 'i' && t.charAt(len - 4) !== 'a' && t.charAt(len - 4) !== 'e') return `${t.slice(0, len - 3)}y`;
    if (c3 === 'i' || c3 === 'a' || c3 === 'o' || c3 === 'e') return t;
  }
  return t.slice(0, len - 1);
}

function processTerm(term: string): string | null {
  return STOP_WORDS.has(term) ? null : stemTerm(term);
}

/** One query term's BM25 contribution to every document that contains it. */
interface TermVector {
  ids: Int32Array;
  scores: Float64Array;
}

export class ProductSearch {
  private readonly index: MiniSearch<{ id: number; text: string }>;
  /** Query → top hits. Policies repeat queries a lot (the random baseline always does). */
  private readonly cache = new Map<string, readonly number[]>();
  /** Query token → its per-document BM25 scores, as minisearch computes them. */
  private readonly terms = new Map<string, TermVector>();
  private readonly scores: Float64Array;
  private readonly seen: Uint8Array;

  constructor(documents: readonly string[]) {
    this.index = new MiniSearch<{ id: number; text: string }>({
      fields: ['text'],
      idField: 'id',
      tokenize: searchTokens,
      processTerm,
      searchOptions: { bm25: { k: 0.9, b: 0.4, d: 0 }, fuzzy: false, prefix: false, combineWith: 'OR' },
    });
    this.index.addAll(documents.map((text, id) => ({ id, text })));
    this.scores = new Float64Array(documents.length);
    this.seen = new Uint8Array(documents.length);
  }

  /**
   * minisearch scores a query with OR as the sum over its terms of each term's BM25
   * score, times the number of distinct matched terms (a "quality" factor). Plain BM25
   * is that sum alone, so each term's scores come from minisearch once (a one-term
   * search, where the factor is 1) and queries add them up: same ranking as Lucene's
   * BM25 over the same tokens, and fast even for terms in most documents ("color").
   */
  private termVector(token: string): TermVector {
    let vector = this.terms.get(token);
    if (!vector) {
      const hits = this.index.search(token);
      vector = { ids: Int32Array.from(hits, (h) => h.id as number), scores: Float64Array.from(hits, (h) => h.score) };
      this.terms.set(token, vector);
    }
    return vector;
  }

  /** Product ids of the top hits (at most 50), best first; ties go to the lower id. */
  search(query: string): readonly number[] {
    const key = query.toLowerCase();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const { scores, seen } = this;
    const touched: number[] = [];
    for (const token of searchTokens(key)) {
      const { ids, scores: termScores } = this.termVector(token);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        if (!seen[id]) {
          seen[id] = 1;
          scores[id] = 0;
          touched.push(id);
        }
        scores[id] = (scores[id] as number) + (termScores[i] as number);
      }
    }
    // Keep the best 50 by insertion (most documents fall below the 50th and cost one compare).
    const top: number[] = [];
    const better = (a: number, b: number) => (scores[a] as number) > (scores[b] as number) || ((scores[a] as number) === (scores[b] as number) && a < b);
    for (const id of touched) {
      seen[id] = 0;
      if (top.length === SEARCH_RETURN_N && !better(id, top[SEARCH_RETURN_N - 1] as number)) continue;
      let at = top.length;
      while (at > 0 && better(id, top[at - 1] as number)) at--;
      top.splice(at, 0, id);
      if (top.length > SEARCH_RETURN_N) top.pop();
    }
    if (this.cache.size >= 4096) this.cache.clear();
    this.cache.set(key, top);
    return top;
  }
}
