/** `spa reproduce` finds the runs it already made, also those written before a config field existed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { createSupervisor } from '../../../main/jobs/supervisor';
import { findRun, gridConfigs } from '../../../main/services/reproduce';

const dataDir = mkdtempSync(join(tmpdir(), 'spa-find-run-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('reproduce: findRun', () => {
  it('reuses the completed run of the same config (stored before envFaults existed) over a newer crashed one, and ignores other configs', async () => {
    const sup = await createSupervisor({ dataDir });
    const config = defaultRunConfig('virtualhome', 'ppo', 'quick', 1);
    const { envFaults: _, ...older } = config;
    const create = (stored: object) => sup.catalog.create({ env: config.env, method: config.method, preset: config.preset, seed: config.seed, config: stored as Record<string, unknown> });
    const done = await create(older);
    await sup.catalog.setStatus(done.id, { status: 'completed' });
    const crashed = await create(config);
    await sup.catalog.setStatus(crashed.id, { status: 'crashed' });
    const other = await create({ ...config, ppo: { ...config.ppo, iterations: config.ppo.iterations + 1 } });
    await sup.catalog.setStatus(other.id, { status: 'completed' });

    expect((await findRun(sup, dataDir, config))?.id).toBe(done.id);
    await sup.catalog.setStatus(done.id, { status: 'failed' });
    expect((await findRun(sup, dataDir, config))?.id).toBe(crashed.id); // none completed: the newest, to resume
    expect(await findRun(sup, dataDir, { ...config, seed: 2 })).toBeNull();
    await sup.shutdown();
  });

  it("keeps an SFT or RFT run when only the RL recipe changes (its stages never read ppo or grpo), but not an RL run", async () => {
    const sup = await createSupervisor({ dataDir });
    const rlChanged = (c: ReturnType<typeof defaultRunConfig>) => ({ ...c, ppo: { ...c.ppo, lr: c.ppo.lr / 3 }, grpo: { ...c.grpo, maxGradNorm: 0.5 } });
    for (const method of ['sft', 'rft', 'spa'] as const) {
      const config = defaultRunConfig('webshop', method, 'quick', 3);
      const run = await sup.catalog.create({ env: config.env, method, preset: config.preset, seed: config.seed, config: config as unknown as Record<string, unknown> });
      await sup.catalog.setStatus(run.id, { status: 'completed' });
      const found = await findRun(sup, dataDir, rlChanged(config));
      if (method === 'spa') expect(found).toBeNull();
      else expect(found?.id).toBe(run.id);
      // A change to what SFT reads is a different run for every method.
      expect(await findRun(sup, dataDir, { ...config, sft: { ...config.sft, epochs: config.sft.epochs + 1 } })).toBeNull();
    }
    await sup.shutdown();
  });
});

describe('reproduce: grid order', () => {
  it("starts every seed's first method before any seed's other methods, environment by environment", () => {
    const order = gridConfigs({ envs: ['webshop', 'alfworld'], methods: ['sft', 'ppo', 'spa'], seeds: 2, preset: 'smoke' }).map((c) => `${c.env}:${c.method}:${c.seed}`);
    expect(order).toEqual([
      'webshop:sft:0', 'webshop:sft:1', 'webshop:ppo:0', 'webshop:spa:0', 'webshop:ppo:1', 'webshop:spa:1',
      'alfworld:sft:0', 'alfworld:sft:1', 'alfworld:ppo:0', 'alfworld:spa:0', 'alfworld:ppo:1', 'alfworld:spa:1',
    ]);
  });
});
