import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { explainStageError } from '../../../engine/worker/stage-errors';

describe('explainStageError', () => {
  const config = defaultRunConfig('virtualhome', 'ppo', 'standard');

  it("names wasm's out-of-memory, the sizes that caused it and what to lower", () => {
    for (const raw of ['memory access out of bounds', 'Aborted(). Build with -sASSERTIONS for more info.']) {
      const msg = explainStageError(raw, 'wasm', config);
      expect(msg).toMatch(/^the wasm backend ran out of memory/);
      expect(msg).toContain('context 512');
      expect(msg).toContain('RL passes of 8 rows');
      expect(msg).toContain('lower model.context or estimator.batchSize');
      expect(msg).toContain(`(wasm said: ${raw})`);
    }
  });

  it('leaves other errors, and other backends, as they are', () => {
    expect(explainStageError('offline PPO needs exploration trajectories, and there are none', 'wasm', config)).toBe('offline PPO needs exploration trajectories, and there are none');
    expect(explainStageError('memory access out of bounds', 'tensorflow', config)).toBe('memory access out of bounds');
  });
});
