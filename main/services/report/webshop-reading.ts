/**
 * Whether a WebShop agent reads what it is shown. The expert writes its search query from the
 * instruction's words and clicks a product the results page lists. A small model trained from
 * scratch has no copy mechanism but what SFT teaches it (an LLM brings one from pre-training),
 * so it can instead write words and product ids it remembers from its demonstrations: a query
 * for another product, a click on a product that is not on the page. Success cannot rise above
 * what the agent reads, so the report shows this beside the expert's own figures on the same tasks.
 */
import type { Trajectory } from '../../../common/trajectory';
import { expertTrajectoriesOn } from '../../../envs/expert-data';
import { isAsin, pageKind, parseResults, stripObservationPrefix } from '../../../envs/webshop/page-parse';
import { parseAction } from '../../../envs/webshop/world';

// A type alias, not an interface: reading-table.ts treats every profile as a record of its columns.
export type WebshopReadingProfile = {
  /** Of the words of its search queries, the share found in the instruction, per test split; null without a search there. */
  queryFromInstructionSeen: number | null;
  queryFromInstructionUnseen: number | null;
  /** Of its clicks on a product id, the share on a product the page it clicked on lists; null without one. */
  productClicksOnPage: number | null;
  /** Product clicks per episode. */
  productClicksPerEpisode: number;
};

const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9]+(?:\.[0-9]+)?/g) ?? [];

/** The products a results page lists (none on any other page). */
function listedProducts(observation: string): Set<string> {
  const page = stripObservationPrefix(observation);
  return new Set(pageKind(page) === 'results' ? parseResults(page).items.map((i) => i.asin) : []);
}

/** The profile of the evaluation episodes among `trajectories` (seen and unseen splits); null without any. */
export function readingProfile(trajectories: Iterable<Trajectory>): WebshopReadingProfile | null {
  const query = { seen: { words: 0, found: 0 }, unseen: { words: 0, found: 0 } };
  let episodes = 0;
  let clicks = 0;
  let onPage = 0;
  for (const t of trajectories) {
    if (t.split === 'train') continue;
    episodes++;
    const instruction = new Set(words(t.goal));
    let shown = t.initialObservation;
    for (const step of t.steps) {
      const parsed = step.action === null ? null : parseAction(step.action);
      if (parsed?.[0] === 'search') {
        const q = words(parsed[1]);
        query[t.split].words += q.length;
        query[t.split].found += q.filter((w) => instruction.has(w)).length;
      } else if (parsed?.[0] === 'click' && isAsin(parsed[1].toUpperCase())) {
        clicks++;
        if (listedProducts(shown).has(parsed[1].toUpperCase())) onPage++;
      }
      shown = step.observation;
    }
  }
  if (!episodes) return null;
  const share = (q: { words: number; found: number }) => (q.words ? q.found / q.words : null);
  return {
    queryFromInstructionSeen: share(query.seen),
    queryFromInstructionUnseen: share(query.unseen),
    productClicksOnPage: clicks ? onPage / clicks : null,
    productClicksPerEpisode: clicks / episodes,
  };
}

/** The expert's profile on the given evaluation tasks (WebShop task ids): about 20 ms a task. */
export function expertReading(taskIds: readonly string[]): WebshopReadingProfile | null {
  return readingProfile(expertTrajectoriesOn('webshop', taskIds));
}
