import { describe, expect, it } from 'vitest';
import type { StepRecord, Trajectory } from '../../../../common/trajectory';
import { texts } from '../../../../envs/alfworld/text';
import { expertTrajectoriesOn } from '../../../../envs/expert-data';
import { alfworldReadingProfile, expertAlfworldReading } from '../../../../main/services/report/alfworld-reading';

const tasks = ['alfworld/v1/seen/0', 'alfworld/v1/seen/1', 'alfworld/v1/unseen/0', 'alfworld/v1/unseen/1'];
const expert = [...expertTrajectoriesOn('alfworld', tasks)];
const commands = (ts: Trajectory[]) => ts.flatMap((t) => t.steps).filter((s) => s.action !== null);

/** An agent that does not read: it goes to drawers the room does not have and takes objects it never saw. */
function misread(t: Trajectory): Trajectory {
  return {
    ...t,
    steps: t.steps.map((s) => {
      if (s.action?.startsWith('go to ')) return { ...s, action: s.action.replace(/ \d+$/, ' 99'), valid: false };
      if (s.action?.startsWith('take ')) return { ...s, action: s.action.replace(/^take \w+ \d+/, 'take zzz 7'), valid: false };
      return s;
    }),
  };
}

const step = (action: string | null, observation: string, valid: boolean): StepRecord => ({
  text: `Thought: …\nAction: ${action ?? ''}`,
  thought: '…',
  action,
  observation: `Observation: ${observation}`,
  valid,
  reward: 0,
  progress: 0,
});

describe('alfworld reading profile', () => {
  it('the expert names only receptacles the room has and objects it has been shown', () => {
    const p = alfworldReadingProfile(expert);
    expect(p).toMatchObject({ absentReceptacle: 0, unseenObject: 0 });
    // Its few failed commands are `go to` a receptacle at the spot it stands on, which it was shown.
    const all = commands(expert);
    expect(p?.shownExecutable).toBeCloseTo(all.filter((s) => s.valid).length / all.length);
    expect(expertAlfworldReading(tasks)).toEqual(p);
  });

  it('counts command by command, from what the episode had shown before each command', () => {
    const t: Trajectory = {
      ...(expert[0] as Trajectory),
      initialObservation: `${texts.intro(['cabinet 1', 'drawer 1', 'shelf 1'])}\nYour task is to: put some mug on shelf.`,
      steps: [
        step('go to drawer 2', 'Nothing happens.', false), // a drawer the room lacks
        // mug 1 is first shown in the answer to the command that names it: not shown when it was named.
        step('take mug 1 from cabinet 1', 'On the cabinet 1, you see a mug 1.', false),
        step('go to cabinet 1', 'On the cabinet 1, you see a mug 1.', true),
        step('take mug 1 from cabinet 1', 'You pick up the mug 1 from the cabinet 1.', true),
        step(null, 'Error Input.', false), // no command: not counted
        step('move mug 1 to drawer 1', 'Nothing happens.', false), // names only what it was shown, not executed
      ],
    };
    const p = alfworldReadingProfile([t]);
    expect(p?.absentReceptacle).toBeCloseTo(1 / 5);
    expect(p?.unseenObject).toBeCloseTo(1 / 5);
    expect(p?.shownExecutable).toBeCloseTo(2 / 3);
  });

  it('an agent that does not read names absent receptacles and unseen objects in every go and take', () => {
    const bad = expert.map(misread);
    const all = commands(bad);
    const p = alfworldReadingProfile(bad);
    expect(p?.absentReceptacle).toBeCloseTo(all.filter((s) => s.action?.startsWith('go to ')).length / all.length);
    expect(p?.unseenObject).toBeCloseTo(all.filter((s) => s.action?.startsWith('take ')).length / all.length);
  });

  it('has nothing to say without test episodes', () => {
    expect(alfworldReadingProfile(expert.map((t) => ({ ...t, split: 'train' as const })))).toBeNull();
    expect(alfworldReadingProfile([])).toBeNull();
  });
});
