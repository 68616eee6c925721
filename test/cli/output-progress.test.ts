import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOutput, LOG_PROGRESS_MS } from '../../main/cli/output';

/** A stream that is not a terminal, collecting what is written. */
function sink(): { stream: NodeJS.WriteStream; lines: () => string[] } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let text = '';
  (stream as unknown as PassThrough).on('data', (d: Buffer) => (text += d.toString()));
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

describe('progress without a terminal', () => {
  it('writes a line at most once a minute, and always the last', () => {
    const out = sink();
    const err = sink();
    let now = 0;
    const p = createOutput(false, out.stream, err.stream, () => now).progress('grid', 63);
    p.tick(0, '~9.0 h left');
    now += 1000;
    p.tick(1, 'webshop sft s0: completed'); // too soon: dropped
    now += LOG_PROGRESS_MS;
    p.tick(2, 'webshop sft s1: completed');
    p.tick(2, 'same count again'); // nothing new: dropped
    now += 10;
    p.tick(63, 'alfworld spa-no-progress s2: completed'); // the last comes whatever the time
    const lines = err.lines();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ grid 0\/63 ~9\.0 h left$/);
    expect(lines[1]).toMatch(/ grid 2\/63 webshop sft s1: completed$/);
    expect(lines[2]).toMatch(/ grid 63\/63 alfworld spa-no-progress s2: completed$/);
    expect(out.lines()).toEqual([]); // stdout stays for results
  });
});
