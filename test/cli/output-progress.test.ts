import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('writes a dropped line when its minute is up, unless a newer one came first', () => {
    vi.useFakeTimers();
    const out = sink();
    const err = sink();
    let now = 0;
    const later = (ms: number) => {
      now += ms;
      vi.advanceTimersByTime(ms);
    };
    const p = createOutput(false, out.stream, err.stream, () => now).progress('grid', 63);
    p.tick(0, '~8.1 h left');
    later(1000);
    p.tick(23, 'webshop spa-no-progress s2: completed'); // found finished: too soon
    p.tick(24, 'virtualhome sft s2: completed'); // newer, replaces it
    later(LOG_PROGRESS_MS - 1001);
    expect(err.lines()).toHaveLength(1);
    later(1);
    expect(err.lines()).toHaveLength(2);
    expect(err.lines()[1]).toMatch(/ grid 24\/63 virtualhome sft s2: completed$/);
    later(10 * LOG_PROGRESS_MS); // nothing pending: nothing more
    expect(err.lines()).toHaveLength(2);
    p.tick(25, 'virtualhome rft s0: completed'); // a minute has passed: at once
    expect(err.lines()).toHaveLength(3);
  });
});

afterEach(() => {
  vi.useRealTimers();
});

