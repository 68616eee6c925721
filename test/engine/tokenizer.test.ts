import { describe, expect, it } from 'vitest';
import { Rng } from '../../envs/core/rng';
import { BASE_CHARS, SPECIAL_TOKENS, TOKENIZER_FORMAT, Tokenizer, buildEnvTokenizer, envCorpus, pretokenize } from '../../engine/tokenizer';

const FIRST_WORD = SPECIAL_TOKENS.length + BASE_CHARS.length; // 6 + 96 = 102

describe('pretokenize', () => {
  it('splits GPT-2 style: words carry their leading space, and the pieces concatenate back', () => {
    expect(pretokenize('You go to the cabinet 12.\nNothing happens.')).toEqual([
      'You', ' go', ' to', ' the', ' cabinet', ' 12', '.', '\n', 'Nothing', ' happens', '.',
    ]);
    expect(pretokenize("it's  two  spaces")).toEqual(['it', "'s", ' ', ' two', ' ', ' spaces']);
  });
});

describe('Tokenizer.build', () => {
  const texts = ['go to cabinet 1', 'go to cabinet 2', 'go to desk 1', 'open cabinet 1'];

  it('lays out specials, then the base characters, then words by count desc then string', () => {
    const tok = Tokenizer.build(texts);
    expect(tok.special).toEqual({ pad: 0, bos: 1, eot: 2, user: 3, assistant: 4 });
    expect(tok.token(5)).toBe('<esc>');
    expect(tok.id('\n')).toBe(6);
    expect(tok.id(' ')).toBe(7);
    expect(tok.id('~')).toBe(101);
    // counts: ' cabinet' 3, ' to' 3, ' 1' 3, 'go' 3, ' 2' 1 (dropped: minCount 2), ' desk' 1, 'open' 1
    expect(tok.vocabSize).toBe(FIRST_WORD + 4);
    expect([FIRST_WORD, FIRST_WORD + 1, FIRST_WORD + 2, FIRST_WORD + 3].map((i) => tok.token(i))).toEqual([' 1', ' cabinet', ' to', 'go']);
  });

  it('encodes known words as one token and unknown ones character by character', () => {
    const tok = Tokenizer.build(texts);
    const c = (ch: string) => tok.id(ch);
    expect(tok.encode('go to cabinet 1')).toEqual([tok.id('go'), tok.id(' to'), tok.id(' cabinet'), tok.id(' 1')]);
    // ' desk' is unknown → ' ', 'd', 'e', 's', 'k'; 'cabinet' without a space → ' '-less word is unknown too
    expect(tok.encode(' desk')).toEqual([c(' '), c('d'), c('e'), c('s'), c('k')]);
  });

  it('uses the leading-space split when only the bare word is known', () => {
    const tok = Tokenizer.build(['cabinet cabinet']); // pieces: 'cabinet' ×1, ' cabinet' ×1
    const tok2 = Tokenizer.build(['cabinet', 'cabinet'], { minCount: 2 });
    expect(tok.vocabSize).toBe(FIRST_WORD);
    expect(tok2.encode(' cabinet')).toEqual([tok2.id(' '), tok2.id('cabinet')]);
  });

  it('is deterministic and independent of the order of the texts', () => {
    const a = Tokenizer.build(texts).toJSON();
    const b = Tokenizer.build([...texts].reverse()).toJSON();
    expect(b).toEqual(a);
  });

  it('respects maxVocab and minCount', () => {
    expect(Tokenizer.build(texts, { maxVocab: FIRST_WORD + 2 }).vocabSize).toBe(FIRST_WORD + 2);
    expect(Tokenizer.build(texts, { minCount: 1 }).vocabSize).toBe(FIRST_WORD + 7);
    expect(() => Tokenizer.build(texts, { maxVocab: 50 })).toThrow(RangeError);
  });
});

describe('Tokenizer encode/decode', () => {
  const tok = Tokenizer.build(['Observation: On the countertop 1, you see a mug 2.', 'Thought: I need a mug.\nAction: take mug 2 from countertop 1']);

  it('escapes characters outside printable ASCII as <esc> + 4 hex digits', () => {
    const ids = tok.encode('é');
    expect(ids).toEqual([5, tok.id('0'), tok.id('0'), tok.id('e'), tok.id('9')]);
    expect(tok.decode(ids)).toBe('é');
    expect(tok.encode('\t')).toEqual([5, tok.id('0'), tok.id('0'), tok.id('0'), tok.id('9')]);
  });

  it('is lossless for any string (unicode, tabs, CR, lone surrogates, specials as text)', () => {
    const fixed = ['', 'a', '  ', '\n\n', '<eot>', 'Ünïcödé → 😀', '\uD800x\uDFFF', 'tab\there\r\n', 'Observation: On the countertop 1, you see a mug 2.'];
    for (const s of fixed) expect(tok.decode(tok.encode(s))).toBe(s);
    const rng = new Rng('tokenizer-fuzz');
    const alphabet = [...'abc XYZ012.,:;!?\n\t\r\'"<>[]{}', 'é', 'ß', '中', '😀', '\uD83D', '\u0000', '\u007F'];
    for (let k = 0; k < 300; k++) {
      const s = Array.from({ length: rng.int(40) }, () => rng.pick(alphabet)).join('');
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
  });

  it('never produces special tokens from text, and decode skips specials unless asked', () => {
    const ids = tok.encode('<eot><pad>');
    expect(ids.every((i) => i >= SPECIAL_TOKENS.length)).toBe(true);
    const chat = [tok.special.bos, tok.special.user, ...tok.encode('hi'), tok.special.eot];
    expect(tok.decode(chat)).toBe('hi');
    expect(tok.decode(chat, { keepSpecial: true })).toBe('<bos><user>hi<eot>');
  });

  it('decodes a malformed escape to U+FFFD instead of throwing', () => {
    expect(tok.decode([5, tok.id('0'), tok.id('a')])).toBe('\uFFFD0a');
    expect(tok.decode([tok.id('x'), 5])).toBe('x\uFFFD');
  });

  it('lays out chats as <bos> (<user>|<assistant>) content <eot> …', () => {
    const ids = tok.encodeChat(
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'OK' },
      ],
      { generationPrompt: true },
    );
    expect(ids).toEqual([1, 3, tok.id('a'), 2, 4, tok.id('O'), tok.id('K'), 2, 4]);
  });

  it('round-trips through JSON and rejects malformed JSON', () => {
    const json = JSON.parse(JSON.stringify(tok.toJSON()));
    expect(json.format).toBe(TOKENIZER_FORMAT);
    const back = Tokenizer.fromJSON(json);
    expect(back.toJSON()).toEqual(tok.toJSON());
    expect(back.encode('take mug 2')).toEqual(tok.encode('take mug 2'));
    expect(() => Tokenizer.fromJSON({ format: 'x', tokens: [] })).toThrow();
    expect(() => Tokenizer.fromJSON({ format: TOKENIZER_FORMAT, tokens: ['<pad>'] })).toThrow(/too small/);
    const dup = tok.toJSON();
    dup.tokens.push(dup.tokens[FIRST_WORD] as string);
    expect(() => Tokenizer.fromJSON(dup)).toThrow(/duplicate/);
  });

  it('id() throws on unknown tokens', () => {
    expect(tok.id('<eot>')).toBe(2);
    expect(() => tok.id(' zebra')).toThrow(RangeError);
    expect(tok.has(' mug')).toBe(true);
  });
});

describe('buildEnvTokenizer', () => {
  it('gathers ALFWorld language deterministically and covers it without escapes', () => {
    const a = buildEnvTokenizer('alfworld', { tasks: 6 });
    const b = buildEnvTokenizer('alfworld', { tasks: 6 });
    expect(a.toJSON()).toEqual(b.toJSON());
    for (const w of [' cabinet', ' countertop', 'Observation', ' Nothing', ' happens', 'Thought', 'Action']) expect(a.has(w)).toBe(true);
    const { observations } = envCorpus('alfworld', { tasks: 6 });
    for (const o of observations) {
      const ids = a.encode(o);
      expect(a.decode(ids)).toBe(o);
      expect(ids.includes(5)).toBe(false);
    }
  });
});
