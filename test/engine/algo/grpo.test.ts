import { describe, expect, it } from 'vitest';
import { broadcastToTokens, groupAdvantages, selectForRft } from '../../../engine/algo/grpo';

const roll = (taskId: string, finalReward: number) => ({ taskId, finalReward });

describe('groupAdvantages', () => {
  it('(R − mean)/(sample std + 1e-4) per task; singletons and ties give 0', () => {
    // group a: R = [1,0,0,1], mean 0.5, sample std √(1/3) = 0.5773502692 → ±0.5/0.5774502692
    const a = groupAdvantages([roll('a', 1), roll('b', 0.3), roll('a', 0), roll('c', 1), roll('a', 0), roll('c', 1), roll('a', 1)]);
    const s = 0.5 / (Math.sqrt(1 / 3) + 1e-4);
    expect(s).toBeCloseTo(0.86587542976, 10);
    [s, 0, -s, 0, -s, 0, s].forEach((x, i) => expect(a[i]).toBeCloseTo(x, 12));
  });
  it('population std and no scaling', () => {
    const rs = [roll('a', 1), roll('a', 0)];
    expect(groupAdvantages(rs, { std: 'population' })[0]).toBeCloseTo(0.5 / 0.5001, 12);
    expect(groupAdvantages(rs, { std: 'none' })).toEqual([0.5, -0.5]);
  });
  it('is broadcast to action tokens only', () => {
    expect(broadcastToTokens([2, -1], [[0, 1, 1], [1, 0, 0]])).toEqual([[0, 2, 2], [-1, 0, 0]]);
  });
});

describe('selectForRft', () => {
  it('keeps successful trajectories in order', () => {
    const ts = [{ id: 1, success: true }, { id: 2, success: false }, { id: 3, success: true }];
    expect(selectForRft(ts).map((t) => t.id)).toEqual([1, 3]);
  });
});
