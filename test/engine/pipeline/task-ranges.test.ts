import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig } from '../../../common/run-config';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { checkTaskRanges, demonstrationRange, evaluationRange, explorationRange, rangeTaskIds, rlPoolRange } from '../../../engine/pipeline/task-ranges';
import { planStages, runIdentity } from '../../../main/jobs/plan';
import { canonicalJson } from '../../../main/runs/stage-cache';

function withData(c: RunConfig, data: Partial<RunConfig['data']>): RunConfig {
  return parseRunConfig({ ...c, data: { ...c.data, ...data } });
}

describe('the tasks each stage plays', () => {
  const base = withData(defaultRunConfig('virtualhome', 'spa', 'standard', 0), { rolloutTasks: undefined });

  it('explores and trains RL on the demonstrated tasks by default, as the code does', () => {
    expect(demonstrationRange(base)).toEqual({ split: 'train', start: 0, count: 400 });
    expect(explorationRange(base)).toEqual({ split: 'train', start: 0, count: 120 });
    expect(rlPoolRange(base)).toEqual({ split: 'train', start: 0, count: 400 });
  });

  it('with undemonstrated rollouts, plays the training tasks after the demonstrations, cut at the end of the split', () => {
    const c = withData(base, { rolloutTasks: 'undemonstrated' });
    expect(explorationRange(c)).toEqual({ split: 'train', start: 400, count: 120 });
    expect(rlPoolRange(c)).toEqual({ split: 'train', start: 400, count: 400 });
    const ids = rangeTaskIds('virtualhome', explorationRange(c));
    expect(ids).toHaveLength(120);
    expect(ids[0]).toBe('virtualhome/v1/train/400');
    // VirtualHome's training split has 1000 tasks: 700 demonstrations leave 300 for RL.
    expect(rlPoolRange(withData(c, { expertTasks: 700 }))).toEqual({ split: 'train', start: 700, count: 300 });
  });

  it('refuses, naming the field, a config whose tasks run past a split', () => {
    expect(() => checkTaskRanges(withData(base, { rolloutTasks: 'undemonstrated', expertTasks: 950 }))).toThrow("data.expertTasks + explore.tasks asks for train tasks up to #1070, but virtualhome's train split has 1000");
    expect(() => checkTaskRanges(withData(base, { expertTasks: 1001 }))).toThrow("data.expertTasks asks for train tasks up to #1001");
    expect(() => checkTaskRanges(base)).not.toThrow();
    for (const env of ['alfworld', 'webshop', 'virtualhome'] as const) {
      for (const preset of ['smoke', 'quick', 'standard', 'paper'] as const) expect(() => checkTaskRanges(defaultRunConfig(env, 'spa', preset, 0))).not.toThrow();
    }
  });

  it('evaluates a test split whole when asked for more tasks than it has (never tasks past it)', () => {
    const paper = defaultRunConfig('alfworld', 'sft', 'paper', 0);
    expect(paper.data.evalTasks).toBe(200);
    expect(evaluationRange(paper, 'seen')).toEqual({ split: 'seen', start: 0, count: 140 });
    expect(evaluationRange(paper, 'unseen')).toEqual({ split: 'unseen', start: 0, count: 134 });
    expect(evaluationRange(base, 'seen')).toEqual({ split: 'seen', start: 0, count: 40 });
  });

  it('keys the exploration stage by the choice only when it is made (older cache entries stay valid)', () => {
    const slice = (c: RunConfig) => canonicalJson(planStages(c).find((s) => s.stage === 'explore')?.slice);
    expect(slice(base)).not.toContain('rolloutTasks');
    expect(slice(withData(base, { rolloutTasks: 'undemonstrated' }))).toContain('"rolloutTasks":"undemonstrated"');
    expect(slice(withData(base, { rolloutTasks: 'demonstrated' }))).not.toBe(slice(base)); // said explicitly: a new key, the same tasks
  });

  it('makes a run a different experiment only when one of its stages plays the rollout tasks', () => {
    const same = (method: RunConfig['method']) => {
      const c = defaultRunConfig('virtualhome', method, 'standard', 0);
      const id = (rolloutTasks: RunConfig['data']['rolloutTasks']) => canonicalJson(runIdentity(withData(c, { rolloutTasks })));
      return id('demonstrated') === id(undefined) && id('undemonstrated') === id(undefined);
    };
    expect(same('sft')).toBe(true);
    for (const m of ['rft', 'ppo', 'grpo', 'spa'] as const) expect(same(m)).toBe(false);
    // Sections a run's stages never read are not part of it either.
    const sft = defaultRunConfig('virtualhome', 'sft', 'standard', 0);
    expect(canonicalJson(runIdentity(parseRunConfig({ ...sft, explore: { ...sft.explore, tasks: 7 } })))).toBe(canonicalJson(runIdentity(sft)));
    const ppo = defaultRunConfig('virtualhome', 'ppo', 'standard', 0);
    expect(canonicalJson(runIdentity(parseRunConfig({ ...ppo, ppo: { ...ppo.ppo, lr: 1 } })))).not.toBe(canonicalJson(runIdentity(ppo)));
  });
});
