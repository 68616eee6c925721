/**
 * The report's "whether the agent reads what it is shown", for the environments where the
 * transcripts answer it: WebShop (query words, product clicks) and ALFWorld (the receptacles and
 * objects its commands name). Each run's profile is computed from its evaluation episodes, and the
 * expert, played on the same tasks, is the reference row.
 */
import type { Trajectory } from '../../../common/trajectory';
import { alfworldReadingProfile, expertAlfworldReading } from './alfworld-reading';
import type { RunResult } from './run-results';
import { meanStd, numPm, pctPm } from './stats';
import { expertReading, readingProfile } from './webshop-reading';

/** A run's reading figures by column key; a null value has no denominator (e.g. no search on that split). */
export type ReadingProfile = Readonly<Record<string, number | null>>;

interface ReadingSpec {
  profile(evaluation: Iterable<Trajectory>): ReadingProfile | null;
  expert(taskIds: readonly string[]): ReadingProfile | null;
  /** The sentence above the table. */
  intro(tasks: number): string;
  columns: ReadonlyArray<readonly [key: string, title: string, kind: 'pct' | 'num']>;
}

const SPECS: Readonly<Record<string, ReadingSpec>> = {
  webshop: {
    profile: readingProfile,
    expert: expertReading,
    intro: (tasks) =>
      `Whether the agent reads what it is shown (evaluation episodes; the expert played on the same ${tasks} tasks): the words of its search queries that the instruction holds, per split, and its clicks on a product id that the page it clicked on lists. A word or product id from elsewhere was not read from the page (the model recalled it from its demonstrations or made it up):`,
    columns: [
      ['queryFromInstructionSeen', 'search-query words found in the instruction, seen %', 'pct'],
      ['queryFromInstructionUnseen', '… unseen %', 'pct'],
      ['productClicksOnPage', 'product clicks on a product the page lists %', 'pct'],
      ['productClicksPerEpisode', 'product clicks per episode', 'num'],
    ],
  },
  alfworld: {
    profile: alfworldReadingProfile,
    expert: expertAlfworldReading,
    intro: (tasks) =>
      `Whether the agent reads what it is shown (evaluation episodes, both splits; the expert played on the same ${tasks} tasks): the share of its commands that name a receptacle the room does not have (the task message lists the room's receptacles) or an object no earlier observation showed. Such a command cannot be executed. The last column is how often the commands that name only what the agent was shown were executed:`,
    columns: [
      ['absentReceptacle', 'commands naming a receptacle the room lacks %', 'pct'],
      ['unseenObject', 'commands naming an object not yet shown %', 'pct'],
      ['shownExecutable', 'commands naming only what was shown: executed %', 'pct'],
    ],
  },
};

/** A run's reading profile from its evaluation episodes; null where its environment has no reading figures. */
export function readingProfileOf(env: string, evaluation: Iterable<Trajectory>): ReadingProfile | null {
  return SPECS[env]?.profile(evaluation) ?? null;
}

/** The table for one environment's methods, mean ± std over seeds, under the expert's row; empty where no run has a profile. */
export function readingTable(env: string, methods: readonly string[], of: (m: string) => RunResult[]): string[] {
  const spec = SPECS[env];
  if (!spec) return [];
  const rows = methods
    .map((m) => ({ m, profiles: of(m).flatMap((r) => (r.reading ? [r.reading] : [])) }))
    .filter(({ profiles }) => profiles.length > 0);
  if (!rows.length) return [];
  const tasks = [...new Set(methods.flatMap((m) => of(m).flatMap((r) => r.evalTaskIds)))].sort();
  const expert = spec.expert(tasks);
  const cell = (values: readonly (number | null | undefined)[], kind: 'pct' | 'num') => {
    const s = meanStd(values.filter((v): v is number => typeof v === 'number'));
    return kind === 'pct' ? pctPm(s) : numPm(s, 1);
  };
  // One expert, no spread: its values alone.
  const one = (v: number | null | undefined, kind: 'pct' | 'num') => (typeof v !== 'number' ? '–' : kind === 'pct' ? (100 * v).toFixed(1) : v.toFixed(1));
  const out = ['', spec.intro(tasks.length), '', `| method | ${spec.columns.map(([, title]) => title).join(' | ')} |`, `|---|${spec.columns.map(() => '---').join('|')}|`];
  if (expert) out.push(`| expert | ${spec.columns.map(([key, , kind]) => one(expert[key], kind)).join(' | ')} |`);
  for (const { m, profiles } of rows) out.push(`| ${m} | ${spec.columns.map(([key, , kind]) => cell(profiles.map((p) => p[key]), kind)).join(' | ')} |`);
  return out;
}
