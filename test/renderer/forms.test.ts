import { describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../../envs/core/types';
import { METHODS, RunConfigSchema } from '../../common/run-config';
import { defaultRunConfig } from '../../engine/pipeline/presets';
import { describeConfig, getPath, issuesByPath, leafPaths, setPath, SELECTOR_KEYS } from '../../renderer/src/lib/config-form';
import { FIELD_DOCS } from '../../renderer/src/lib/field-docs';
import { diffConfigs, flatten } from '../../renderer/src/lib/config-diff';
import { parseHash } from '../../renderer/src/lib/router';

describe('New-run form from a config', () => {
  const config = defaultRunConfig('alfworld', 'spa', 'smoke', 0) as unknown as Record<string, unknown>;

  it('documents every field of every preset config (a new field needs a hint)', () => {
    for (const env of ENV_NAMES) {
      for (const method of METHODS) {
        const c = defaultRunConfig(env, method, 'smoke', 0) as unknown as Record<string, unknown>;
        const missing = leafPaths(c).filter((p) => !SELECTOR_KEYS.has(p) && !FIELD_DOCS[p]);
        expect(missing, `${env}/${method}`).toEqual([]);
      }
    }
  });

  it('builds groups in config order with kinds, bounds and enum options from the schema', () => {
    const groups = describeConfig(config);
    expect(groups[0]!.title).toBe('general');
    expect(groups.map((g) => g.title)).toContain('ppo');
    const fields = Object.fromEntries(groups.flatMap((g) => g.fields).map((f) => [f.path, f]));
    expect(fields['model.dModel']).toMatchObject({ kind: 'int', min: 8, max: 4096 });
    expect(fields['sft.lr']!.kind).toBe('number');
    expect(fields['ppo.adaptiveKl']!.kind).toBe('bool');
    expect(fields['prompt.layout']).toMatchObject({ kind: 'enum', options: ['full', 'compact'] });
    expect(fields['backend']!.options).toContain('wasm');
    // Chosen with the selectors, not as fields.
    for (const k of SELECTOR_KEYS) expect(fields[k]).toBeUndefined();
  });

  it('reads and writes nested paths, and names schema problems by field', () => {
    const c = structuredClone(config);
    setPath(c, 'model.nHeads', 3);
    expect(getPath(c, 'model.nHeads')).toBe(3);
    const parsed = RunConfigSchema.safeParse(c);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(issuesByPath(parsed.error)['model.nHeads']).toMatch(/divisible/);
  });
});

describe('config diff', () => {
  it('flattens nested keys and marks only differing ones', () => {
    expect(flatten({ a: { b: 1, c: [1, 2] }, d: null })).toEqual({ 'a.b': 1, 'a.c': [1, 2], d: null });
    const rows = diffConfigs([
      { method: 'spa', ppo: { lr: 1e-4, clip: 0.2 } },
      { method: 'ppo', ppo: { lr: 1e-4, clip: 0.2 }, extra: true },
    ]);
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['extra', 'method']);
    expect(rows.find((r) => r.key === 'extra')!.values).toEqual([undefined, true]);
  });
});

describe('hash routes', () => {
  it('parses every view with its run id and query', () => {
    expect(parseHash('')).toMatchObject({ name: 'runs', runId: null });
    expect(parseHash('#/new').name).toBe('new');
    expect(parseHash('#/run/2026-11-22T12-00-00-alfworld-spa-s0')).toMatchObject({ name: 'live', runId: '2026-11-22T12-00-00-alfworld-spa-s0' });
    const r = parseHash('#/run/abc/replay?update=3&traj=5&step=2');
    expect(r).toMatchObject({ name: 'replay', runId: 'abc' });
    expect(r.query.get('update')).toBe('3');
    expect(parseHash('#/compare?ids=a,b').query.get('ids')).toBe('a,b');
    expect(parseHash('#/nope').name).toBe('notfound');
  });
});
