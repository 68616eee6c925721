import { describe, expect, it } from 'vitest';
import type { Annotation, RunTrajectory } from '../../../common/run-schema';
import type { Trajectory } from '../../../common/trajectory';
import { expertTrajectories } from '../../../envs/expert-data';
import { INSTRUCTIONS } from '../../../envs/core/prompts';
import { exportTrajectories } from '../../../main/io/export';
import { importText, ImportRefused } from '../../../main/io/import';
import { syntheticTrajectory } from '../../helpers/fake-launcher';
import { alfworldExplorationDoc, virtualhomeInferenceDoc, virtualhomeSftJsonl, WEBSHOP_SFT_DOC } from './fixtures';

const ENVS = ['alfworld', 'webshop', 'virtualhome'] as const;
const experts = Object.fromEntries(ENVS.map((env) => [env, [...expertTrajectories({ env, split: 'train', count: 3 })]])) as Record<(typeof ENVS)[number], Trajectory[]>;

/** Expert trajectories with estimator outputs, as a scored exploration run would hold them. */
function scored(env: (typeof ENVS)[number]): RunTrajectory[] {
  return experts[env].map((t, i) => ({
    ...t,
    update: 2,
    stage: 'explore',
    ackContribution: 0.01 * i,
    steps: t.steps.map((s, j) => ({ ...s, contribution: Math.round((j + 1) * 1000 / t.steps.length) / 1000, fusedReward: 0.5 })),
  }));
}

describe('import: SPA-RL files from the doc (§4)', () => {
  it('§4.1 SFT (the doc example): WebShop, one step per gpt turn after the task message', () => {
    const r = importText(WEBSHOP_SFT_DOC);
    expect(r.format).toBe('spa-rl-sft');
    expect(r.env).toBe('webshop');
    expect(r.skipped).toBe(0);
    const [t] = r.trajectories;
    expect(t!.initialObservation).toContain('Instruction: [SEP] i need a long lasting 6.76 fl oz');
    expect(t!.goal).toBe("i need a long lasting 6.76 fl oz bottle of l'eau d'issey ...");
    expect(t!.steps.map((s) => s.action)).toEqual(["search[l'eau d'issey 6.76 fl oz bottle price < 100.00]", 'click[B000VOHH8I]']);
    expect(t!.steps[0]!.observation).toBe('Observation:\nInstruction: [SEP] ... [SEP] B000VOHH8I [SEP] ...');
    expect(t!.steps[1]!.observation).toBe(''); // the conversation ends on the agent's turn
    expect(t!.stage).toBe('import');
    expect(t!.success).toBe(true); // SFT data are expert demonstrations…
    expect(r.warnings.join(' ')).toMatch(/no reward/); // …and the import says it assumed so
    expect(t!.meta).toMatchObject({ importedFrom: 'spa-rl-sft', oracleProgress: false });
  });

  it('§4.1 VirtualHome JSON Lines with path/task keys', () => {
    const r = importText(virtualhomeSftJsonl());
    expect(r.format).toBe('spa-rl-sft');
    expect(r.env).toBe('virtualhome');
    expect(r.trajectories.map((t) => [t.taskId, t.taskType, t.goal, t.steps.length])).toEqual([
      ['virtualhome/programs/0.txt', 'Drink', 'Drink water', 2],
      ['virtualhome/programs/1.txt', 'Drink', 'Drink water', 2],
    ]);
  });

  it('§4.2 exploration shard: ICL dropped, bool reward, final observation kept, invalid steps found', () => {
    const r = importText(JSON.stringify(alfworldExplorationDoc()));
    expect(r.format).toBe('spa-rl-exploration');
    expect(r.env).toBe('alfworld');
    const [win, loss] = r.trajectories;
    expect(win!.initialObservation).toMatch(/^You are in the middle of a room/);
    expect(win!.goal).toBe('put a clean apple in countertop');
    expect(win!.taskType).toBe('clean'); // read from the goal sentence's template
    expect(win!.steps.map((s) => [s.action, s.valid])).toEqual([
      ['go to cabinet 1', false],
      ['go to countertop 1', true],
    ]);
    expect(win!.steps[1]!.observation).toBe('Observation: On the countertop 1, you see a apple 1.');
    expect([win!.success, win!.finalReward, win!.steps[1]!.reward, win!.seed]).toEqual([true, 1, 1, 0]);
    expect(win!.meta).toMatchObject({ seconds: 12.3, sourceId: 1234 });
    expect([loss!.success, loss!.finalReward, loss!.seed, loss!.steps[0]!.action, loss!.steps[0]!.valid]).toEqual([false, 0, 1, null, false]);
    expect(win!.taskId).toBe(loss!.taskId); // rollouts of one task share the task id (LOO groups by it)
  });

  it('§4.4 inference results: c_t per step, c_0 for "OK"', () => {
    const r = importText(JSON.stringify(virtualhomeInferenceDoc()));
    expect(r.format).toBe('spa-rl-inference');
    expect(r.env).toBe('virtualhome');
    const [t] = r.trajectories;
    expect(t!.ackContribution).toBe(0.02);
    expect(t!.steps.map((s) => s.contribution)).toEqual([0.11, 0.35, -0.04, 0.49]);
    expect(t!.steps.map((s) => s.valid)).toEqual([true, true, false, true]);
    expect([t!.taskType, t!.seed, t!.success, t!.finalReward]).toEqual(['Drink', 3, true, 1]);
  });

  it('fewer turn_values than turns (context truncation) keeps the scored prefix and says so', () => {
    const doc = virtualhomeInferenceDoc() as { turn_values: number[] }[];
    doc[0]!.turn_values = [0.02, 0.11, 0.35];
    const r = importText(JSON.stringify(doc));
    expect(r.trajectories[0]!.steps.map((s) => s.contribution)).toEqual([0.11, 0.35, undefined, undefined]);
    expect(r.warnings.join(' ')).toMatch(/fewer turn_values/);
  });
});

describe('import: refusals name the record and the field', () => {
  it('skips a bad record among good ones, naming record index and field path', () => {
    const records = JSON.parse(WEBSHOP_SFT_DOC) as { conversations: { from: string }[] }[];
    const bad = structuredClone(records[0]!);
    bad.conversations[3]!.from = 'bot';
    const noTask = structuredClone(records[0]!);
    noTask.conversations[1]!.from = 'human';
    const r = importText(JSON.stringify([records[0], bad, noTask]));
    expect(r.trajectories).toHaveLength(1);
    expect(r.skipped).toBe(2);
    expect(r.warnings[0]).toMatch(/^record \[1\]: at conversations\.3\.from: /);
    expect(r.warnings[1]).toMatch(/^record \[2\]: at conversations\.1\.from: expected a gpt\/assistant message/);
  });

  it('JSON Lines: a bad line is named by its line number and field', () => {
    const good = JSON.stringify(syntheticTrajectory(1));
    const bad = JSON.stringify({ ...syntheticTrajectory(2), steps: [{ ...syntheticTrajectory(2).steps[0], valid: 'yes' }] });
    const r = importText(`${good}\n\n${bad}\nnot json\n`);
    expect(r.format).toBe('studio');
    expect(r.trajectories).toHaveLength(1);
    expect(r.warnings.slice(0, 2)).toEqual([expect.stringMatching(/^line 3: at steps\.0\.valid: /), expect.stringMatching(/^line 4: not valid JSON/)]);
  });

  it('refuses a file with no valid record, an unknown format, or a mixed environment record', () => {
    const bad = JSON.parse(WEBSHOP_SFT_DOC) as { conversations: unknown[] }[];
    bad[0]!.conversations = [];
    expect(() => importText(JSON.stringify(bad))).toThrow(ImportRefused);
    expect(() => importText(JSON.stringify(bad))).toThrow(/record \[0\]: at conversations: /);
    expect(() => importText('{"hello": 1}\n')).toThrow(/first record has no schema/);
    expect(() => importText('')).toThrow(/empty/);
    expect(() => importText('id,conversations\n1,2')).toThrow(/not JSON/);
    expect(() => importText('[{"foo": 1}]')).toThrow(/no record in the array/);
    const mixed = importText(JSON.stringify([...JSON.parse(WEBSHOP_SFT_DOC), { id: 9, conversations: [{ from: 'human', value: INSTRUCTIONS.alfworld }, { from: 'gpt', value: 'OK' }, { from: 'human', value: 'Your task is to: x.' }] }]));
    expect(mixed.trajectories).toHaveLength(1);
    expect(mixed.warnings[0]).toMatch(/^record \[1\]: at env: is alfworld; this import's environment is webshop/);
  });
});

describe('export → import round trips', () => {
  it('studio JSONL: the same trajectories and annotations come back', () => {
    const trajs = scored('alfworld');
    const annotations: Annotation[] = [
      { trajectoryId: trajs[0]!.id, step: 0, label: 'helps', correctedContribution: 0.3, comment: 'good start', at: '2026-11-22T10:00:00.000Z' },
      { trajectoryId: trajs[1]!.id, step: -1, label: 'neutral', correctedContribution: null, comment: '', at: '2026-11-22T10:01:00.000Z' },
    ];
    const file = exportTrajectories('2026-11-22T10-00-00-alfworld-spa-s1', trajs, annotations, 'studio');
    expect(file.fileName).toBe('2026-11-22T10-00-00-alfworld-spa-s1.trajectories.jsonl');
    const back = importText(file.text);
    expect(back.format).toBe('studio');
    expect(back.skipped).toBe(0);
    expect(back.trajectories).toEqual(trajs.map(({ update: _u, stage: _s, ...t }) => ({ ...t, stage: 'import' })));
    expect(back.annotations).toEqual(annotations);
  });

  for (const env of ENVS) {
    it(`${env}: every SPA-RL format re-imports to the same conversation and exports to the same bytes`, () => {
      const trajs = scored(env);
      for (const format of ['spa-rl-sft', 'spa-rl-exploration', 'spa-rl-inference'] as const) {
        const first = exportTrajectories('2026-11-22T10-00-00-x-spa-s1', trajs, [], format);
        const back = importText(first.text);
        expect(back.format).toBe(format);
        expect(back.env).toBe(env);
        expect(back.skipped).toBe(0);
        expect(back.trajectories).toHaveLength(trajs.length);
        back.trajectories.forEach((t, i) => {
          const orig = trajs[i]!;
          expect(t.initialObservation).toBe(orig.initialObservation);
          expect(t.steps.map((s) => [s.text, s.action, s.thought])).toEqual(orig.steps.map((s) => [s.text, s.action, s.thought]));
          // SFT and §4.3 conversations end on the agent's turn; exploration keeps the final observation.
          const observed = format === 'spa-rl-exploration' ? orig.steps : orig.steps.slice(0, -1);
          expect(t.steps.slice(0, observed.length).map((s) => s.observation)).toEqual(observed.map((s) => s.observation));
          expect(t.steps.map((s) => s.valid)).toEqual(orig.steps.map((s) => s.valid));
          if (format !== 'spa-rl-sft') expect([t.success, t.finalReward]).toEqual([orig.success, orig.finalReward]);
          if (format === 'spa-rl-inference') {
            expect(t.steps.map((s) => s.contribution)).toEqual(orig.steps.map((s) => s.contribution));
            expect(t.ackContribution).toBe(orig.ackContribution);
          }
          if (env !== 'webshop' || format !== 'spa-rl-sft') expect(t.taskId).toBe(orig.taskId);
          if (env !== 'webshop') expect(t.taskType).toBe(orig.taskType); // VirtualHome: `task` key; ALFWorld: the goal template
        });
        expect(exportTrajectories('2026-11-22T10-00-00-x-spa-s1', back.trajectories, [], format).text).toBe(first.text);
      }
    });
  }

  it('inference export needs scored steps', () => {
    expect(() => exportTrajectories('2026-11-22T10-00-00-x-spa-s1', experts.alfworld, [], 'spa-rl-inference')).toThrow(/no trajectory in this run has per-step contributions/);
  });

  it('the SFT export is the SPA-RL layout: instruction, "OK", task, alternating, ending on gpt', () => {
    const text = exportTrajectories('2026-11-22T10-00-00-x-spa-s1', experts.webshop, [], 'spa-rl-sft').text;
    const records = JSON.parse(text) as { id: number; conversations: { from: string; value: string }[] }[];
    expect(records.map((r) => r.id)).toEqual([0, 1, 2]);
    for (const r of records) {
      expect(r.conversations[0]).toEqual({ from: 'human', value: INSTRUCTIONS.webshop });
      expect(r.conversations[1]).toEqual({ from: 'gpt', value: 'OK' });
      r.conversations.forEach((m, i) => expect(m.from).toBe(i % 2 ? 'gpt' : 'human'));
      expect(r.conversations.at(-1)!.from).toBe('gpt');
    }
  });
});
