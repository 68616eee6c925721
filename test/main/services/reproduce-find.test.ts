/** `spa reproduce` finds the runs it already made, also those written before a config field existed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { createSupervisor } from '../../../main/jobs/supervisor';
import { findRun } from '../../../main/services/reproduce';

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
});
