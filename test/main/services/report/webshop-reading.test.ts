import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../../../../common/trajectory';
import { expertTrajectoriesOn } from '../../../../envs/expert-data';
import { expertReading, readingProfile } from '../../../../main/services/report/webshop-reading';

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
