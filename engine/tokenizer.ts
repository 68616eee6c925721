/**
 * A deterministic, lossless word-level tokenizer for the environments' language.
 *
 * Text is pre-tokenised the GPT-2 way (a word carries its leading space: ` cabinet`, ` 12`,
 * `.`), frequent pieces become whole tokens, and anything else falls back to one token per
 * character. The character fallback covers every printable ASCII character plus '\n'; any
 * other UTF-16 code unit c is written as the special token `<esc>` followed by the four
 * lowercase hex digits of c (each an ordinary character token), so decode(encode(s)) === s
 * for every JS string, lone surrogates included, and there is no `<unk>`.
 *
 * Determinism: the vocabulary is sorted by count (descending), then by token string in
 * UTF-16 code-unit order, so the same texts give the same ids on every machine.
 */
import type { ChatMessage } from '../envs/core/prompts';
import { ICL_EXAMPLES, INSTRUCTIONS } from '../envs/core/prompts';
import { HOUSEHOLD_FORMAT_ERROR, WEBSHOP_FORMAT_ERROR } from '../envs/core/react';
import { RandomValidPolicy, rollout } from '../envs/core/rollout';
import type { EnvName } from '../envs/core/types';
import { ENVIRONMENTS, makeEnv } from '../envs/registry';
import { pulse } from './worker/heartbeat';

export const TOKENIZER_FORMAT = 'spa-studio/tokenizer@1' as const;

/** Special tokens, in id order (ids 0..5). */
export const SPECIAL_TOKENS = ['<pad>', '<bos>', '<eot>', '<user>', '<assistant>', '<esc>'] as const;

/** The character fallback: '\n' and printable ASCII (space … '~'), in code order. */
export const BASE_CHARS: readonly string[] = ['\n', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];

/** GPT-2's pre-tokeniser: contractions, words / numbers / punctuation runs with one leading space, whitespace. */
const PRETOKEN = /'(?:s|t|re|ve|m|ll|d)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export interface TokenizerJSON {
  format: typeof TOKENIZER_FORMAT;
  /** tokens[id] is the token's string; specials first, then the base characters, then words. */
  tokens: string[];
}

export interface BuildOptions {
  /** Upper bound on the vocabulary size, specials and base characters included (default 4096). */
  maxVocab?: number;
  /** A piece needs at least this many occurrences to become a token (default 2). */
  minCount?: number;
}

export interface SpecialIds {
  pad: number;
  bos: number;
  eot: number;
  user: number;
  assistant: number;
}

const HEX = '0123456789abcdef';

/** Splits text into pre-tokens whose concatenation is the text. */
export function pretokenize(text: string): string[] {
  return text.match(PRETOKEN) ?? [];
}

export class Tokenizer {
  readonly special: SpecialIds;
  private readonly tokens: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;
  private readonly escId: number;
  /** Char-token id → hex digit value, for decoding escapes. */
  private readonly hexValue: ReadonlyMap<number, number>;
  private readonly hexIds: readonly number[];
  private readonly firstWordId: number;

  private constructor(tokens: readonly string[]) {
    if (tokens.length < SPECIAL_TOKENS.length + BASE_CHARS.length) throw new Error('Tokenizer: vocabulary too small');
    SPECIAL_TOKENS.forEach((t, i) => {
      if (tokens[i] !== t) throw new Error(`Tokenizer: token ${i} must be ${t}, got ${JSON.stringify(tokens[i])}`);
    });
    BASE_CHARS.forEach((c, i) => {
      if (tokens[SPECIAL_TOKENS.length + i] !== c) throw new Error(`Tokenizer: base character ${JSON.stringify(c)} missing or out of place`);
    });
    const ids = new Map<string, number>();
    tokens.forEach((t, i) => {
      if (ids.has(t)) throw new Error(`Tokenizer: duplicate token ${JSON.stringify(t)}`);
      if (t.length === 0) throw new Error('Tokenizer: empty token');
      ids.set(t, i);
    });
    this.tokens = tokens;
    this.ids = ids;
    this.firstWordId = SPECIAL_TOKENS.length + BASE_CHARS.length;
    this.special = { pad: 0, bos: 1, eot: 2, user: 3, assistant: 4 };
    this.escId = 5;
    this.hexIds = [...HEX].map((h) => ids.get(h) as number);
    this.hexValue = new Map(this.hexIds.map((id, v) => [id, v]));
  }

  /** Builds the vocabulary from texts: specials, base characters, then frequent pre-tokens. */
  static build(texts: Iterable<string>, opts: BuildOptions = {}): Tokenizer {
    const maxVocab = opts.maxVocab ?? 4096;
    const minCount = opts.minCount ?? 2;
    const fixed = [...SPECIAL_TOKENS, ...BASE_CHARS];
    if (maxVocab < fixed.length) throw new RangeError(`maxVocab must be at least ${fixed.length} (specials + base characters)`);
    const counts = new Map<string, number>();
    for (const text of texts) {
      pulse();
      for (const piece of pretokenize(text)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
    }
    const taken = new Set<string>(fixed);
    const words = [...counts.entries()]
      .filter(([piece, n]) => n >= minCount && !taken.has(piece) && isEncodable(piece))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, maxVocab - fixed.length)
      .map(([piece]) => piece);
    return new Tokenizer([...fixed, ...words]);
  }

  static fromJSON(json: unknown): Tokenizer {
    const j = json as Partial<TokenizerJSON> | null;
    if (!j || j.format !== TOKENIZER_FORMAT || !Array.isArray(j.tokens) || !j.tokens.every((t) => typeof t === 'string')) {
      throw new Error(`Not a ${TOKENIZER_FORMAT} tokenizer`);
    }
    return new Tokenizer(j.tokens);
  }

  toJSON(): TokenizerJSON {
    return { format: TOKENIZER_FORMAT, tokens: [...this.tokens] };
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** The id of a token string (a special like '<eot>', a character, or a word like ' cabinet'). */
  id(token: string): number {
    const id = this.ids.get(token);
    if (id === undefined) throw new RangeError(`Unknown token ${JSON.stringify(token)}`);
    return id;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The string of one id (specials as their names). */
  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new RangeError(`Token id ${id} out of range [0, ${this.tokens.length})`);
    return t;
  }

  /** Ids of the text; never produces pad/bos/eot/user/assistant, whatever the text says. */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const piece of pretokenize(text)) {
      const id = this.ids.get(piece);
      if (id !== undefined && id >= SPECIAL_TOKENS.length) {
        out.push(id);
        continue;
      }
      // A leading space plus a known word beats spelling the word out.
      if (piece.length > 1 && piece[0] === ' ') {
        const rest = this.ids.get(piece.slice(1));
        if (rest !== undefined && rest >= this.firstWordId) {
          out.push(this.ids.get(' ') as number, rest);
          continue;
        }
      }
      this.encodeChars(piece, out);
    }
    return out;
  }

  private encodeChars(piece: string, out: number[]): void {
    for (let i = 0; i < piece.length; i++) {
      const ch = piece[i] as string;
      const id = isBaseChar(ch) ? this.ids.get(ch) : undefined;
      if (id !== undefined) {
        out.push(id);
        continue;
      }
      const code = piece.charCodeAt(i);
      out.push(this.escId);
      for (let shift = 12; shift >= 0; shift -= 4) out.push(this.hexIds[(code >> shift) & 15] as number);
    }
  }

  /**
   * The text of the ids. Specials are skipped unless `keepSpecial` (then shown as their names);
   * a malformed escape (not followed by 4 hex-digit tokens) decodes to U+FFFD.
   */
  decode(ids: readonly number[], opts: { keepSpecial?: boolean } = {}): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id === this.escId) {
        let code = 0;
        let ok = i + 4 < ids.length;
        for (let k = 1; ok && k <= 4; k++) {
          const v = this.hexValue.get(ids[i + k] as number);
          if (v === undefined) ok = false;
          else code = code * 16 + v;
        }
        if (ok) {
          s += String.fromCharCode(code);
          i += 4;
        } else {
          s += '\uFFFD';
        }
        continue;
      }
      const t = this.token(id);
      if (id < SPECIAL_TOKENS.length) {
        if (opts.keepSpecial) s += t;
        continue;
      }
      s += t;
    }
    return s;
  }

  /**
   * A chat in the studio's template: `<bos>`, then per message `<user>|<assistant>`, its
   * content and `<eot>`; with `generationPrompt`, a final `<assistant>` for the reply.
   */
  encodeChat(messages: readonly ChatMessage[], opts: { generationPrompt?: boolean } = {}): number[] {
    const out = [this.special.bos];
    for (const m of messages) {
      out.push(m.role === 'user' ? this.special.user : this.special.assistant);
      for (const id of this.encode(m.content)) out.push(id);
      out.push(this.special.eot);
    }
    if (opts.generationPrompt) out.push(this.special.assistant);
    return out;
  }
}

function isBaseChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return ch.length === 1 && (c === 10 || (c >= 32 && c <= 126));
}

/** Whole-word tokens are limited to base characters, so every token decodes to exactly its text. */
function isEncodable(piece: string): boolean {
  for (const ch of piece) if (!isBaseChar(ch)) return false;
  return true;
}

// ------------------------------------------------------------------------------------------
// The environments' language
// ------------------------------------------------------------------------------------------

export interface EnvCorpusOptions {
  /** First N training tasks played by the expert and by a random valid policy (default 300). */
  tasks?: number;
}

/**
 * Every text an agent of `env` reads or writes, gathered deterministically: the instruction,
 * the ICL example, "OK", the format-error reply, the invalid-action reply, and the
 * expert and random-valid rollouts of the first N training tasks (task message, agent turns,
 * observations).
 */
export function envCorpus(env: EnvName, opts: EnvCorpusOptions = {}): { texts: string[]; observations: string[] } {
  const n = opts.tasks ?? 300;
  const def = ENVIRONMENTS[env];
  const texts: string[] = [INSTRUCTIONS[env], 'OK', env === 'webshop' ? WEBSHOP_FORMAT_ERROR : HOUSEHOLD_FORMAT_ERROR];
  for (const m of ICL_EXAMPLES[env]) texts.push(m.content);
  const observations: string[] = [];
  const e = makeEnv(env);
  try {
    // A deliberately invalid action on the first tasks: the environment's "it did not work"
    // reply (ALFWorld's "Nothing happens.") is frequent in exploration but absent from
    // expert and random-valid play.
    for (let i = 0; i < Math.min(n, 10); i++) {
      e.reset({ seed: i, task: def.generator.task('train', i) });
      texts.push(e.step('Thought: I will try this.\nAction: xyzzy').observation);
    }
    for (let i = 0; i < n; i++) {
      pulse(); // 300 tasks × 2 rollouts: most of a second in a stage worker
      const task = def.generator.task('train', i);
      for (const [name, policy] of [
        ['expert', def.createExpert()],
        ['random-valid', new RandomValidPolicy(e, i)],
      ] as const) {
        const traj = rollout(e, policy, { seed: i, task, policyName: name });
        texts.push(traj.initialObservation);
        observations.push(traj.initialObservation);
        for (const step of traj.steps) {
          texts.push(step.text, step.observation);
          observations.push(step.observation);
        }
      }
    }
  } finally {
    e.close();
  }
  return { texts, observations };
}

/** The tokenizer of one environment's language (see envCorpus). */
export function buildEnvTokenizer(env: EnvName, opts: BuildOptions & EnvCorpusOptions = {}): Tokenizer {
  return Tokenizer.build(envCorpus(env, opts).texts, opts);
}
