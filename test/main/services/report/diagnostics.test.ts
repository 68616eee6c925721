import { describe, expect, it } from 'vitest';
import type { RunTrajectory } from '../../../../common/run-schema';
import { meanSquaredReward } from '../../../../common/attribution';
import { diagnostics } from '../../../../main/services/report/diagnostics';
import type { RunResult } from '../../../../main/services/report/run-results';

const spaRun = (seed: number, zeroPredictorMse: number | null, heldOutFit: RunResult['heldOutFit'] = null) =>
  ({
    entry: { id: `spa-s${seed}`, env: 'webshop', method: 'spa', seed, status: 'completed', summary: {} },
    metrics: [],
    stages: [],
    backendDetail: null,
    failures: null,
    zeroPredictorMse,
    heldOutFit,
    evalOutcomes: null,
  }) as unknown as RunResult;

describe('the estimator scale line', () => {
  it('is mean R² over evaluation episodes, which for graded rewards is not the success rate', () => {
    // WebShop: one purchase scored 0.5, one solved, one with nothing bought; the success rate is 1/3.
    const episodes = [0.5, 1, 0].map((finalReward) => ({ finalReward }) as RunTrajectory);
    expect(meanSquaredReward(episodes)).toBeCloseTo(1.25 / 3, 12);
    expect(meanSquaredReward([])).toBeNull();
  });

  it('reports the zero predictor over the SPA runs that have evaluation episodes', () => {
    const runs = [spaRun(0, 0.02), spaRun(1, 0.04), spaRun(2, null)];
    const lines = diagnostics((m) => (m === 'spa' ? runs : []));
    expect(lines.find((l) => l.includes('predicting Σ c_t = 0'))).toContain('mean R², 0.030 ± 0.014 (with R in {0, 1}, the success rate).');
  });

  it('does not call R the success rate where exploration shows the reward is graded', () => {
    const graded = { ...spaRun(0, 0.1), metrics: [{ step: 0, t: 0, stage: 'explore', 'explore/success_rate': 0.15, 'explore/episodic_return': 0.38 }] } as RunResult;
    const line = diagnostics((m) => (m === 'spa' ? [graded] : [])).find((l) => l.includes('predicting Σ c_t = 0'));
    expect(line).toContain('mean R², 0.100 ± 0.000 (R is the graded final reward).');
  });
});

describe('the exploration line', () => {
  const withExploration = (rows: Array<[number, number]>) =>
    ({ ...spaRun(0, null), metrics: rows.map(([success, ret], i) => ({ step: i, t: i, stage: 'explore', 'explore/success_rate': success, 'explore/episodic_return': ret })) }) as RunResult;
  const line = (run: RunResult) => diagnostics((m) => (m === 'spa' ? [run] : [])).find((l) => l.startsWith('- exploration'));

  it('adds the mean final reward where rewards are graded', () => {
    expect(line(withExploration([[0.05, 0.2], [0.1, 0.3]]))).toBe("- exploration (the estimator's only data): 7.5 ± 0.0% of rollouts succeeded; mean final reward 0.250 ± 0.000.");
  });

  it('leaves it out where the reward is the success', () => {
    expect(line(withExploration([[0.05, 0.05]]))).toBe("- exploration (the estimator's only data): 5.0 ± 0.0% of rollouts succeeded.");
  });
});

describe('the held-out fit line', () => {
  it("lists each seed's offset with its sign and its ranking, in seed order", () => {
    const runs = [spaRun(2, 0.03, { bias: -0.287, sumCorr: 0.9 }), spaRun(0, 0.05, { bias: 0.221, sumCorr: 0.62 }), spaRun(1, 0.02, null)];
    const line = diagnostics((m) => (m === 'spa' ? runs : [])).find((l) => l.startsWith('- where the held-out MSE'));
    expect(line).toContain('per seed (0, 2)');
    expect(line).toContain('is +0.221, −0.287;');
    expect(line).toContain('(ranking) is 0.62, 0.90.');
  });
});
