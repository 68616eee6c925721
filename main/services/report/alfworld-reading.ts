/**
 * Whether an ALFWorld agent reads what it is shown. Every command names receptacles and objects
 * (`take mug 1 from cabinet 4`). The expert names only receptacles the task message lists and
 * objects an observation has shown it. A small model trained from scratch can instead continue a
 * pattern of its demonstrations: go to `drawer 4` in a room whose drawers end at 3, take `mug 1`
 * where the observation showed `cup 2`. Such a command is never executable, and the agent learns nothing
 * from the `Nothing happens.` it gets back. The profile separates that from the failures of an
 * agent that names only what is there (wrong place, wrong state), the next thing to fix.
 */
import type { Trajectory } from '../../../common/trajectory';
import { isReceptacleType } from '../../../envs/alfworld/catalogue';
import { parseTaskMessage } from '../../../envs/alfworld/observation-parser';
import { expertTrajectoriesOn } from '../../../envs/expert-data';

// A type alias, not an interface: reading-table.ts treats every profile as a record of its columns.
export type AlfworldReadingProfile = {
  /** Of its commands, the share naming a receptacle that the room (the task message's list) does not have. */
  absentReceptacle: number | null;
  /** Of its commands, the share naming an object that no earlier observation of the episode showed. */
  unseenObject: number | null;
  /** Of its commands that name only what it was shown, the share the environment executed. */
  shownExecutable: number | null;
};

/** Every `type N` name in a text (`cabinet 4`, `mug 1`): ALFWorld's instance names, one word and a number. */
const namesIn = (text: string): string[] => text.match(/\b[a-z]+ \d+\b/g) ?? [];
const typeOf = (name: string): string => name.slice(0, name.indexOf(' '));

/** The profile of the evaluation episodes among `trajectories` (seen and unseen splits); null without a command. */
export function alfworldReadingProfile(trajectories: Iterable<Trajectory>): AlfworldReadingProfile | null {
  let commands = 0;
  let absent = 0;
  let unseen = 0;
  let shownOnly = 0;
  let shownExecuted = 0;
  for (const t of trajectories) {
    if (t.split === 'train') continue;
    const room = new Set(parseTaskMessage(t.initialObservation).receptacles);
    const shown = new Set<string>();
    for (const step of t.steps) {
      if (step.action !== null) {
        commands++;
        const named = namesIn(step.action);
        const namesAbsent = named.some((n) => isReceptacleType(typeOf(n)) && !room.has(n));
        const namesUnseen = named.some((n) => !isReceptacleType(typeOf(n)) && !shown.has(n));
        if (namesAbsent) absent++;
        if (namesUnseen) unseen++;
        if (!namesAbsent && !namesUnseen) {
          shownOnly++;
          if (step.valid) shownExecuted++;
        }
      }
      for (const n of namesIn(step.observation)) shown.add(n);
    }
  }
  if (!commands) return null;
  return { absentReceptacle: absent / commands, unseenObject: unseen / commands, shownExecutable: shownOnly ? shownExecuted / shownOnly : null };
}

/** The expert's profile on the given evaluation tasks (ALFWorld task ids). */
export function expertAlfworldReading(taskIds: readonly string[]): AlfworldReadingProfile | null {
  return alfworldReadingProfile(expertTrajectoriesOn('alfworld', taskIds));
}
