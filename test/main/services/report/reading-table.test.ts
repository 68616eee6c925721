import { describe, expect, it } from 'vitest';
import { expertAlfworldReading } from '../../../../main/services/report/alfworld-reading';
import { readingTable, type ReadingProfile } from '../../../../main/services/report/reading-table';
import type { RunResult } from '../../../../main/services/report/run-results';
import { expertReading } from '../../../../main/services/report/webshop-reading';

const run = (env: string, tasks: string[], seed: number, reading: ReadingProfile | null) =>
  ({ entry: { id: `sft-s${seed}`, env, method: 'sft', seed }, evalTaskIds: tasks, reading }) as unknown as RunResult;

describe('the reading table', () => {
  it('webshop: puts the expert on the runs\' own tasks above each method, mean ± std over seeds', () => {
    const tasks = ['webshop/v1/seen/0', 'webshop/v1/seen/1', 'webshop/v1/unseen/0', 'webshop/v1/unseen/1'];
    const runs = [
      run('webshop', tasks, 0, { queryFromInstructionSeen: 0.6, queryFromInstructionUnseen: 0.1, productClicksOnPage: 0.5, productClicksPerEpisode: 1.5 }),
      run('webshop', tasks, 1, { queryFromInstructionSeen: 0.8, queryFromInstructionUnseen: null, productClicksOnPage: 0.3, productClicksPerEpisode: 2.5 }),
    ];
    const lines = readingTable('webshop', ['sft', 'spa'], (m) => (m === 'sft' ? runs : []));
    expect(lines.find((l) => l.includes('the expert played on the same 4 tasks'))).toBeDefined();
    const e = expertReading(tasks);
    expect(lines).toContain(`| expert | ${(100 * (e?.queryFromInstructionSeen as number)).toFixed(1)} | ${(100 * (e?.queryFromInstructionUnseen as number)).toFixed(1)} | 100.0 | ${e?.productClicksPerEpisode.toFixed(1)} |`);
    // A seed without an unseen search counts in no mean of that column.
    expect(lines).toContain('| sft | 70.0 ± 14.1 | 10.0 ± 0.0 | 40.0 ± 14.1 | 2.0 ± 0.7 |');
    expect(lines.some((l) => l.startsWith('| spa'))).toBe(false);
  });

  it('alfworld: its own columns, the expert naming nothing that is not there', () => {
    const tasks = ['alfworld/v1/seen/0', 'alfworld/v1/unseen/0'];
    const runs = [
      run('alfworld', tasks, 0, { absentReceptacle: 0.3, unseenObject: 0.2, shownExecutable: 0.4 }),
      run('alfworld', tasks, 1, { absentReceptacle: 0.1, unseenObject: 0.2, shownExecutable: null }),
    ];
    const lines = readingTable('alfworld', ['sft'], () => runs);
    expect(lines.find((l) => l.includes('name a receptacle the room does not have'))).toBeDefined();
    expect(lines).toContain('| method | commands naming a receptacle the room lacks % | commands naming an object not yet shown % | commands naming only what was shown: executed % |');
    const e = expertAlfworldReading(tasks);
    expect(lines).toContain(`| expert | 0.0 | 0.0 | ${(100 * (e?.shownExecutable as number)).toFixed(1)} |`);
    expect(lines).toContain('| sft | 20.0 ± 14.1 | 20.0 ± 0.0 | 40.0 ± 0.0 |');
  });

  it('is absent where no run has a profile, and for environments without reading figures (VirtualHome)', () => {
    expect(readingTable('webshop', ['sft'], () => [run('webshop', [], 0, null)])).toEqual([]);
    expect(readingTable('virtualhome', ['sft'], () => [run('virtualhome', [], 0, { x: 1 })])).toEqual([]);
  });
});
