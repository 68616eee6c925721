/** Stopping `spa reproduce` (Ctrl-C shuts the supervisor down) cancels its runs and starts no more. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { createSupervisor, type Supervisor } from '../../../main/jobs/supervisor';
import { runGrid } from '../../../main/services/reproduce';

const dataDir = mkdtempSync(join(tmpdir(), 'spa-grid-stop-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('reproduce: a stopped grid', () => {
  it('starts no run after shutdown begins, not even when a cancelled run frees a slot', async () => {
    let sup: Supervisor | null = null;
    let shutdown: Promise<void> | null = null;
    // Shut down as the first run's first worker starts, as Ctrl-C would part-way through a grid.
    sup = await createSupervisor({ dataDir, throttleMs: 50, onWorkerStart: () => void (shutdown ??= sup?.shutdown() ?? null) });
    const configs = [0, 1, 2].map((seed) => defaultRunConfig('virtualhome', 'sft', 'smoke', seed));
    await runGrid(sup, dataDir, configs, { parallel: 1 });
    await shutdown;
    const runs = sup.catalog.list();
    expect(runs.map((r) => [r.seed, r.status])).toEqual([[0, 'cancelled']]);
    expect(sup.isClosing()).toBe(true);
    await expect(sup.start(configs[1]!)).rejects.toThrow(/shutting down/);
    await expect(sup.resume(runs[0]!.id)).rejects.toThrow(/shutting down/);
    expect(sup.catalog.list()).toHaveLength(1);
  }, 60_000);
});
