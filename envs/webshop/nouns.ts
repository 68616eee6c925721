/**
 * The title-noun sets behind goal.py's `title_score`. The original tags the product
 * name with spaCy and keeps tokens whose POS is NOUN or PROPN; here the pure-JS
 * `compromise` tagger does the same job (tags Noun/ProperNoun, not Pronoun), on
 * compromise's normalised term text, keeping only terms with a letter or digit
 * (spaCy splits punctuation off; compromise attaches it). Tagging a title costs about
 * a millisecond, so each name is tagged once per process.
 */
import nlp from 'compromise/two';

export interface NounParse {
  /** Lower-cased nouns in order, duplicates kept (goal.py divides by the list's length). */
  readonly list: readonly string[];
  readonly set: ReadonlySet<string>;
}

interface CompromiseTerm {
  normal?: string;
  text?: string;
  tags?: Set<string>;
}

const cache = new Map<string, NounParse>();

function hasAlnum(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) return true;
  }
  return false;
}

export function nounParse(name: string): NounParse {
  let parse = cache.get(name);
  if (parse) return parse;
  const list: string[] = [];
  const doc = nlp(name) as unknown as { docs: CompromiseTerm[][] };
  for (const sentence of doc.docs) {
    for (const term of sentence) {
      const tags = term.tags;
      if (!tags || !(tags.has('Noun') || tags.has('ProperNoun')) || tags.has('Pronoun')) continue;
      const word = (term.normal ?? term.text ?? '').toLowerCase();
      if (word && hasAlnum(word)) list.push(word);
    }
  }
  parse = { list, set: new Set(list) };
  cache.set(name, parse);
  return parse;
}
