/**
 * `fuzz.token_set_ratio` as goal.py calls it (thefuzz, backed by rapidfuzz). fuzzball's
 * implementation follows the same definition — default processing (lower-case,
 * non-alphanumerics to spaces), token sets, max of the three Indel ratios, rounded —
 * and the reward tests pin the cases goal.py depends on (a subset scores 100, an empty
 * string scores 0, `grey`/`gray` scores 75), so it is used as is.
 */
import { token_set_ratio } from 'fuzzball';

/** Memoised: the reward compares the same few strings over and over. */
const cache = new Map<string, number>();

export function tokenSetRatio(a: string, b: string): number {
  const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  let score = cache.get(key);
  if (score === undefined) {
    score = token_set_ratio(a, b);
    if (cache.size > 50_000) cache.clear();
    cache.set(key, score);
  }
  return score;
}
