import { describe, expect, it } from 'vitest';
import { RecordSplitter, StructureError, type SplitItem } from '../../../main/io/record-splitter';

/** Every item of `text` fed in chunks of `size` characters. */
function split(text: string, size: number, max?: number): SplitItem[] {
  const s = new RecordSplitter(max);
  const out: SplitItem[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  out.push(...s.end());
  return out;
}

describe('RecordSplitter', () => {
  it('JSON Lines: the same records and line numbers whatever the chunk size (blank lines, CRLF, a BOM, no final newline)', () => {
    const text = '\uFEFF\n\n{"a":1}\r\n\n  {"b":"x\\ny"}\n{"c":[1,2]}';
    const want = [
      { text: '{"a":1}', where: 'line 3' },
      { text: '{"b":"x\\ny"}', where: 'line 5' },
      { text: '{"c":[1,2]}', where: 'line 6' },
    ];
    for (const size of [1, 2, 3, 7, 1000]) expect(split(text, size), `chunks of ${size}`).toEqual(want);
  });

  it('JSON array: elements cut exactly as JSON.parse reads them, across chunks inside strings and escape runs', () => {
    const elements = [{ t: 'a"b\\\\"c' }, 'x\\\\\\"y', [1, [2, { z: ']' }]], 3.5, null, { '}': '{[' }];
    const text = ` [ ${elements.map((e) => JSON.stringify(e)).join(' ,\n')} ] \n`;
    for (const size of [1, 2, 3, 5, 11, 1000]) {
      const items = split(text, size);
      expect(items.map((i) => ('text' in i ? JSON.parse(i.text) : i)), `chunks of ${size}`).toEqual(elements);
      expect(items.map((i) => i.where)).toEqual(elements.map((_, k) => `record [${k}]`));
    }
  });

  it('refuses what cannot be split on: not JSON, a truncated array, text after it, commas out of place', () => {
    const refusal = (text: string) => {
      try {
        split(text, 3);
        return null;
      } catch (e) {
        expect(e).toBeInstanceOf(StructureError);
        return (e as Error).message;
      }
    };
    expect(refusal('id,conversations\n1,2')).toBe('not JSON');
    expect(refusal('[{"a":1},{"b":')).toMatch(/ends inside element \[1\]/);
    expect(refusal('[{"a":1},')).toMatch(/ends inside the array, after 1 elements/);
    expect(refusal('[1] x')).toMatch(/unexpected text after the array/);
    expect(refusal('[1,]')).toMatch(/trailing comma after element \[0\]/);
    expect(refusal('[,1]')).toMatch(/expected a value/);
    expect(split('[]', 1)).toEqual([]);
    expect(split('  \n ', 1)).toEqual([]);
  });

  it('a record over the length limit comes out as an error, without its text, and the next one is read', () => {
    const long = `{"x":"${'y'.repeat(500)}"}`;
    for (const size of [7, 64, 10_000]) {
      expect(split(`{"a":1}\n${long}\n{"b":2}\n`, size, 100), `lines, chunks of ${size}`).toEqual([
        { text: '{"a":1}', where: 'line 1' },
        { where: 'line 2', error: expect.stringMatching(/^longer than/) },
        { text: '{"b":2}', where: 'line 3' },
      ]);
      expect(split(`[1,${long},2]`, size, 100), `array, chunks of ${size}`).toEqual([
        { text: '1', where: 'record [0]' },
        { where: 'record [1]', error: expect.stringMatching(/^longer than/) },
        { text: '2', where: 'record [2]' },
      ]);
    }
  });
});

describe('importText with records too long to read', () => {
  it('says so, naming the record, instead of calling the file empty', async () => {
    const { importText } = await import('../../../main/io/import');
    const { MAX_RECORD_CHARS } = await import('../../../main/io/record-splitter');
    const huge = `[{"id":1,"conversations":"${'x'.repeat(MAX_RECORD_CHARS)}"}]`;
    expect(() => importText(huge)).toThrow(/^no record could be read: record \[0\]: longer than 64 MB of text/);
  });
});
