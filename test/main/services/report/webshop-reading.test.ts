import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../../../../common/trajectory';
import { expertTrajectoriesOn } from '../../../../envs/expert-data';
import { readingTable } from '../../../../main/services/report/diagnostics';
import type { RunResult } from '../../../../main/services/report/run-results';
import { expertReading, readingProfile, type ReadingProfile } from '../../../../main/services/report/webshop-reading';

const tasks = ['webshop/v1/seen/0', 'webshop/v1/seen/1', 'webshop/v1/unseen/0', 'webshop/v1/unseen/1'];

/** An agent that does not read: its query is about something else, and it clicks a product no page listed. */
function misread(t: Trajectory): Trajectory {
  return {
    ...t,
    steps: t.steps.map((s) => {
      if (s.action?.startsWith('search[')) return { ...s, action: 'search[zzzqx wwwqy]' };
      if (s.action && /^click\[B0[0-9A-Z]{8}\]$/i.test(s.action)) return { ...s, action: 'click[B0ZZZZZZZZ]' };
      return s;
    }),
  };
}

describe('webshop reading profile', () => {
  const expert = [...expertTrajectoriesOn('webshop', tasks)];

  it('the expert copies its queries from the instruction and clicks products the page lists', () => {
    const p = readingProfile(expert);
    expect(p?.queryFromInstructionSeen).toBeGreaterThan(0.9);
    expect(p?.queryFromInstructionUnseen).toBeGreaterThan(0.9);
    expect(p?.productClicksOnPage).toBe(1);
    expect(p?.productClicksPerEpisode).toBeGreaterThanOrEqual(1);
    expect(expertReading(tasks)).toEqual(p);
  });

  it('an agent that does not read scores 0, and a mix scores in between, word by word and click by click', () => {
    const bad = expert.map(misread);
    const p = readingProfile(bad);
    expect(p).toMatchObject({ queryFromInstructionSeen: 0, queryFromInstructionUnseen: 0, productClicksOnPage: 0 });
    const good = readingProfile(expert);
    const mixed = readingProfile([...expert.filter((t) => t.split === 'seen'), ...bad.filter((t) => t.split === 'unseen')]);
    expect(mixed?.queryFromInstructionSeen).toBe(good?.queryFromInstructionSeen);
    expect(mixed?.queryFromInstructionUnseen).toBe(0);
    const clicks = (ts: Trajectory[]) => ts.flatMap((t) => t.steps).filter((s) => /^click\[B0/i.test(s.action ?? '')).length;
    const seenClicks = clicks(expert.filter((t) => t.split === 'seen'));
    expect(mixed?.productClicksOnPage).toBeCloseTo(seenClicks / clicks(expert));
  });

  it('has nothing to say without test episodes', () => {
    expect(readingProfile(expert.map((t) => ({ ...t, split: 'train' as const })))).toBeNull();
    expect(readingProfile([])).toBeNull();
  });
});

describe('the reading table', () => {
  const run = (seed: number, reading: ReadingProfile | null) =>
    ({ entry: { id: `sft-s${seed}`, env: 'webshop', method: 'sft', seed }, evalTaskIds: tasks, reading }) as unknown as RunResult;

  it('puts the expert on the runs\' own tasks above each method, mean ± std over seeds', () => {
    const runs = [
      run(0, { queryFromInstructionSeen: 0.6, queryFromInstructionUnseen: 0.1, productClicksOnPage: 0.5, productClicksPerEpisode: 1.5 }),
      run(1, { queryFromInstructionSeen: 0.8, queryFromInstructionUnseen: null, productClicksOnPage: 0.3, productClicksPerEpisode: 2.5 }),
    ];
    const lines = readingTable(['sft', 'spa'], (m) => (m === 'sft' ? runs : []));
    expect(lines.find((l) => l.includes('the expert played on the same 4 tasks'))).toBeDefined();
    const e = expertReading(tasks) as ReadingProfile;
    expect(lines).toContain(`| expert | ${(100 * (e.queryFromInstructionSeen as number)).toFixed(1)} | ${(100 * (e.queryFromInstructionUnseen as number)).toFixed(1)} | 100.0 | ${e.productClicksPerEpisode.toFixed(1)} |`);
    // A seed without an unseen search counts in no mean of that column.
    expect(lines).toContain('| sft | 70.0 ± 14.1 | 10.0 ± 0.0 | 40.0 ± 14.1 | 2.0 ± 0.7 |');
    expect(lines.some((l) => l.startsWith('| spa'))).toBe(false);
  });

  it('is absent where no run has a reading profile (ALFWorld, VirtualHome)', () => {
    expect(readingTable(['sft'], () => [run(0, null)])).toEqual([]);
  });
});
