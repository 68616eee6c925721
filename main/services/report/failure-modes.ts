/**
 * Where a run's evaluation episodes go wrong: how each one ended (solved, finished without
 * solving, out of steps, and of those the ones stuck repeating one turn) and what its turns
 * were (a turn with no `Action:`, an action the environment could not execute), and whether the
 * agent recovers from a failed turn: demonstrations hold few (VirtualHome: a walk a closed door
 * blocks), so a behaviour-cloned agent meets most failures first at play, and its next turn shows
 * whether it can go on. The report
 * shows this beside the success table so a reader sees why a method does not win.
 */
import type { RunTrajectory } from '../../../common/run-schema';

export interface FailureProfile {
  episodes: number;
  /** Shares of episodes, in [0, 1]. */
  solved: number;
  /** Ended by the agent without success (WebShop: bought the wrong thing). */
  finishedUnsolved: number;
  outOfSteps: number;
  /** Out of steps with the same action in its last STUCK_TURNS turns (the same text, for turns without one). */
  stuck: number;
  turns: number;
  /** Shares of turns, in [0, 1]. */
  noAction: number;
  notExecutable: number;
  /** Of the turns right after a failed turn (no action, or not executable), the share with no `Action:`. */
  noActionAfterFailure: number;
  /** Of the turns right after an executed action, the share with no `Action:`. */
  noActionAfterSuccess: number;
}

/** Repeats that count as stuck: greedy decoding retries one action, often with a reworded thought. */
export const STUCK_TURNS = 3;

const isStuck = (t: RunTrajectory): boolean => {
  const last = t.steps.slice(-STUCK_TURNS).map((s) => s.action ?? s.text);
  return last.length === STUCK_TURNS && last.every((x) => x === last[0]);
};

/** The profile of a run's evaluation episodes (stages `eval-seen`, `eval-unseen`); null when it has none. */
export function failureProfile(trajectories: Iterable<RunTrajectory>): FailureProfile | null {
  let episodes = 0;
  let solved = 0;
  let finishedUnsolved = 0;
  let outOfSteps = 0;
  let stuck = 0;
  let turns = 0;
  let noAction = 0;
  let notExecutable = 0;
  const after = { failure: { turns: 0, noAction: 0 }, success: { turns: 0, noAction: 0 } };
  for (const t of trajectories) {
    if (!t.stage?.startsWith('eval')) continue;
    episodes++;
    if (t.success) solved++;
    else if (t.terminated) finishedUnsolved++;
    else {
      outOfSteps++;
      if (isStuck(t)) stuck++;
    }
    t.steps.forEach((s, i) => {
      turns++;
      if (s.action === null) noAction++;
      else if (!s.valid) notExecutable++;
      const prev = t.steps[i - 1];
      if (!prev) return;
      const bucket = prev.action !== null && prev.valid ? after.success : after.failure;
      bucket.turns++;
      if (s.action === null) bucket.noAction++;
    });
  }
  if (!episodes) return null;
  return {
    episodes,
    solved: solved / episodes,
    finishedUnsolved: finishedUnsolved / episodes,
    outOfSteps: outOfSteps / episodes,
    stuck: stuck / episodes,
    turns,
    noAction: turns ? noAction / turns : 0,
    notExecutable: turns ? notExecutable / turns : 0,
    noActionAfterFailure: after.failure.turns ? after.failure.noAction / after.failure.turns : 0,
    noActionAfterSuccess: after.success.turns ? after.success.noAction / after.success.turns : 0,
  };
}

/** The keys of a profile that the report averages over seeds, with their column titles. */
export const FAILURE_COLUMNS: ReadonlyArray<readonly [keyof FailureProfile, string]> = [
  ['solved', 'solved %'],
  ['finishedUnsolved', 'finished unsolved %'],
  ['outOfSteps', 'out of steps %'],
  ['stuck', `… stuck repeating an action (last ${STUCK_TURNS}) %`],
  ['noAction', 'turns with no Action %'],
  ['notExecutable', 'turns not executable %'],
  ['noActionAfterSuccess', 'no Action after an executed action %'],
  ['noActionAfterFailure', 'no Action after a failed turn %'],
];
