import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentTextFromInput } from '../../main/cli/commands/play';

/** Runs `spa …` as a user would (through bin/spa.mjs) and parses its --json lines. */
function spa(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/spa.mjs', ...args], { input, encoding: 'utf8', timeout: 120_000 });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines };
}

describe('spa CLI', () => {
  it('envs list --json: one object per environment, nothing else on stdout', () => {
    const r = spa(['envs', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.lines.map((l) => [l.env, l.maxSteps])).toEqual([
      ['alfworld', 40],
      ['webshop', 10],
      ['virtualhome', 40],
    ]);
  });

  it('envs check --json computes expert and random figures live', () => {
    const r = spa(['envs', 'check', '--tasks', '4', '--splits', 'train,unseen', '--json']);
    expect(r.code).toBe(0);
    const splits = r.lines.filter((l) => l.type === 'split');
    expect(splits).toHaveLength(6);
    for (const s of splits) expect((s.expert as { successRate: number }).successRate).toBe(1);
    const contracts = r.lines.filter((l) => l.type === 'contract');
    expect(contracts.map((c) => c.violations)).toEqual([[], [], []]);
    expect(r.lines.at(-1)).toMatchObject({ type: 'summary', ok: true });
  });

  it('play: a person types actions and sees the agent texts', () => {
    const first = spa(['play', 'alfworld', '--seed', '2', '--json'], ':actions\n:quit\n');
    const actions = (first.lines.find((l) => l.type === 'actions')!.actions as string[]).filter((a) => a.startsWith('go to'));
    const r = spa(['play', 'alfworld', '--seed', '2', '--json'], `${actions[0]}\nfly away\nno action here\n:quit\n`);
    expect(r.code).toBe(0);
    const [reset, ok, bad] = r.lines;
    expect(reset).toMatchObject({ type: 'reset', env: 'alfworld' });
    expect(reset!.observation as string).toMatch(/^You are in the middle of a room\. Looking quickly around you, you see /);
    expect(ok).toMatchObject({ type: 'step', valid: true, steps: 1 });
    expect(bad).toMatchObject({ type: 'step', valid: false, observation: 'Observation: Nothing happens.', steps: 2 });
  });

  it('play --scene: an ALFWorld scene description played to success; a bad one names the field', () => {
    const moves = ['go to countertop 1', 'take apple 2 from countertop 1', 'go to microwave 1', 'heat apple 2 with microwave 1', 'go to diningtable 1', 'put apple 2 in/on diningtable 1'];
    const r = spa(['play', 'alfworld', '--scene', 'resources/scenes/alfworld-heat-apple.json', '--json'], moves.join('\n') + '\n');
    expect(r.code).toBe(0);
    expect(r.lines[0]!.observation).toBe(
      'You are in the middle of a room. Looking quickly around you, you see a cabinet 2, a cabinet 1, a countertop 1, a diningtable 1, a drawer 1, a fridge 1, a microwave 1, and a sinkbasin 1.\nYour task is to: heat some apple and put it in diningtable.',
    );
    expect(r.lines.at(-1)).toMatchObject({ type: 'step', reward: 1, terminated: true, observation: 'Observation: You put the apple 2 in/on the diningtable 1.' });
    const dir = mkdtempSync(join(tmpdir(), 'spa-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ roomType: 'kitchen', taskType: 'bake' }));
    const bad = spa(['play', 'alfworld', '--scene', join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Invalid ALFWorld scene at taskType');
  });

  it('bench envs --json reports steps/s and memory (figures only, no timing assertions)', () => {
    const r = spa(['bench', 'envs', '--envs', 'virtualhome', '--reps', '1', '--ms', '50', '--json']);
    expect(r.code).toBe(0);
    const [b] = r.lines.filter((l) => l.type === 'bench');
    expect(b).toMatchObject({ env: 'virtualhome' });
    expect(b!.stepsPerSecond as number).toBeGreaterThan(0);
    expect(b!.rssMB as number).toBeGreaterThan(0);
  });

  it('expert writes SPA-RL SFT data that alternates human/gpt', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spa-')), 'webshop_sft.json');
    const r = spa(['expert', '--env', 'webshop', '--count', '3', '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(r.lines.at(-1)).toMatchObject({ type: 'written', count: 3, solved: 3 });
    const data = JSON.parse(readFileSync(out, 'utf8')) as { id: number; conversations: { from: string; value: string }[] }[];
    expect(data.map((d) => d.id)).toEqual([0, 1, 2]);
    for (const d of data) {
      expect(d.conversations[1]).toEqual({ from: 'gpt', value: 'OK' });
      expect(d.conversations[2]!.value.startsWith('Observation:\nWebShop [SEP] Instruction: [SEP] ')).toBe(true);
      expect(d.conversations.at(-1)!.value).toMatch(/\nAction: click\[buy now\]$/i);
    }
  });

  it('a reader that closes the pipe early ends the command quietly', () => {
    const r = spawnSync('bash', ['-c', 'node bin/spa.mjs envs check --tasks 3 --envs virtualhome --json | head -1; echo "status=${PIPESTATUS[0]}"'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toContain('"type":"contract"');
    expect(r.stdout).toContain('status=0');
    expect(r.stderr).not.toContain('EPIPE');
  });

  it('bad input gets a clear error and a non-zero exit', () => {
    const a = spa(['play', 'nowhere']);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('Unknown environment "nowhere"');
    const b = spa(['envs', 'check', '--tasks', '0', '--json']);
    expect(b.code).toBe(1);
    expect(b.lines.at(-1)).toEqual({ type: 'error', message: '--tasks must be a whole number ≥ 1, got "0"' });
    const c = spa(['play', 'alfworld', '--task', 'alfworld/v9/train/0']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/generator v9/);
  });
});

describe('play input', () => {
  it('wraps a typed action as an agent turn, and accepts a full turn on one line', () => {
    expect(agentTextFromInput('go to desk 1')).toBe('Thought: (played by a person)\nAction: go to desk 1');
    expect(agentTextFromInput('Thought: look around. Action: look')).toBe('Thought: look around.\nAction: look');
  });
});
