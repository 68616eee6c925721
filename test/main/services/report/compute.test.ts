import { describe, expect, it } from 'vitest';
import { computeLine, gridCompute } from '../../../../main/services/report/compute';
import type { RunResult } from '../../../../main/services/report/run-results';

type Stage = { stage: string; key: string | null; seconds: number; reused?: boolean; resumed?: boolean };
const run = (id: string, stages: Stage[]) =>
  ({ entry: { id }, stages: stages.map((s) => ({ outDir: '', firstStep: 0, lastStep: 1, producedBy: null, reused: false, ...s })) }) as unknown as RunResult;

describe('what the grid computed', () => {
  it('counts reused stages as nothing and a shared stage computed once as once', () => {
    const runs = [
      run('sft-s0', [{ stage: 'sft', key: 'a', seconds: 600 }, { stage: 'eval', key: null, seconds: 60 }]),
      run('ppo-s0', [{ stage: 'sft', key: 'a', seconds: 0.1, reused: true }, { stage: 'rl', key: null, seconds: 300 }, { stage: 'eval', key: null, seconds: 60 }]),
    ];
    expect(gridCompute(runs)).toEqual({ seconds: 1020, repeatedSeconds: 0, repeatedStages: 0 });
    expect(computeLine(gridCompute(runs))).toBe('Compute: **17.0 min** of stage time (stages shared between methods ran once per environment and seed).');
  });

  it('sets apart a shared stage that a later run computed again, keeping its one full computation', () => {
    const runs = [
      // SFT seed 0 finished on a machine that was then replaced; SPA seed 0 trained it again in full.
      run('sft-s0', [{ stage: 'sft', key: 'a', seconds: 3750, resumed: true }]),
      run('spa-s0', [{ stage: 'sft', key: 'a', seconds: 3900 }, { stage: 'rl', key: null, seconds: 400 }]),
      // A resumed chain alone (no full computation to keep) is one stage in pieces, not a repeat.
      run('sft-s1', [{ stage: 'sft', key: 'b', seconds: 1000 }]),
      run('rft-s1', [{ stage: 'explore', key: 'c', seconds: 200, resumed: true }]),
      run('spa-s1', [{ stage: 'explore', key: 'c', seconds: 100, resumed: true }]),
    ];
    const c = gridCompute(runs);
    expect(c).toEqual({ seconds: 9350, repeatedSeconds: 3750, repeatedStages: 1 });
    expect(computeLine(c)).toBe(
      'Compute: **155.8 min** of stage time, of which 62.5 min computed 1 shared stage(s) a second time (their cached output was gone, as on a replaced machine); the grid itself, each stage once: **93.3 min**.',
    );
  });
});
