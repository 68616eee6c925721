/** The grid's clock: session records that survive a killed invocation and sum without the gaps between sessions. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gridWallSeconds, readGridSessions, sessionSeconds, startGridSession, type GridSession } from '../../../main/services/reproduce-sessions';

const dataDir = mkdtempSync(join(tmpdir(), 'spa-grid-sessions-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('reproduce sessions', () => {
  it('records each session with its runs, beats while it runs (what a kill leaves), ignores other presets and broken files', async () => {
    let clock = Date.parse('2026-11-23T10:00:00Z');
    const now = () => new Date(clock);
    const grid = { preset: 'standard', envs: ['webshop'], seeds: 3, parallel: 2 };

    const first = await startGridSession(dataDir, grid, { now, intervalMs: 10 });
    first.runComputed();
    first.runComputed();
    clock += 90 * 60_000;
    await first.end();

    clock += 12 * 3600_000; // the night in between
    const second = await startGridSession(dataDir, { ...grid, envs: ['webshop', 'alfworld'] }, { now, intervalMs: 10 });
    second.runComputed();
    clock += 30 * 60_000;
    await new Promise((r) => setTimeout(r, 60));
    // What a kill now would leave: the last beat's record, 30 minutes, not ended.
    const beat = (await readGridSessions(dataDir, 'standard')).at(-1)!;
    expect([beat.ended, beat.runsComputed, sessionSeconds(beat) / 60]).toEqual([false, 1, 30]);
    clock += 60_000;
    await second.end();

    const other = await startGridSession(dataDir, { ...grid, preset: 'quick' }, { now });
    await other.end();
    writeFileSync(join(dataDir, 'reproduce-sessions', 'broken.json'), '{"schema":');

    const sessions = await readGridSessions(dataDir, 'standard');
    expect(sessions.map((s) => [s.envs.join(','), s.runsComputed, s.ended, sessionSeconds(s) / 60])).toEqual([
      ['webshop', 2, true, 90],
      ['webshop,alfworld', 1, true, 31],
    ]);
    expect(await readGridSessions(join(dataDir, 'nowhere'), 'standard')).toEqual([]);
  });

  it('counts the time two sessions overlap once, and the gaps between sessions not at all', () => {
    const span = (startedAt: string, aliveAt: string) => ({ startedAt: `2026-11-24T${startedAt}:00Z`, aliveAt: `2026-11-24T${aliveAt}:00Z` }) as GridSession;
    const sessions = [span('10:00', '11:00'), span('10:30', '12:00'), span('10:40', '10:50'), span('14:00', '14:20')];
    expect(gridWallSeconds(sessions) / 60).toBe(120 + 20);
    expect(sessions.reduce((a, s) => a + sessionSeconds(s), 0) / 60).toBe(60 + 90 + 10 + 20); // what a plain sum claimed
    expect(gridWallSeconds([])).toBe(0);
  });
});
