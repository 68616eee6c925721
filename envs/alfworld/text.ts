/**
 * The exact feedback texts of ALFWorld's TextWorld grammar (alfred.twl2 as shipped with ETO/SPA),
 * with the `You arrive at loc N. ` prefix already stripped the way SPA's `process_ob` does.
 */

/** `a x, a y, and a z`; `a x, and a y` for two; `a x` for one; `nothing` for none. Article is always `a`. */
export function formatItems(names: readonly string[]): string {
  const n = names.length;
  if (n === 0) return 'nothing';
  if (n === 1) return 'a ' + names[0];
  let out = '';
  for (let i = 0; i < n - 1; i++) out += 'a ' + names[i] + ', ';
  return out + 'and a ' + names[n - 1];
}

/** `x, and y` (no articles): the `look` text's list of receptacles at the agent's spot. */
export function formatBare(names: readonly string[]): string {
  const n = names.length;
  if (n === 1) return names[0] as string;
  let out = '';
  for (let i = 0; i < n - 1; i++) out += names[i] + ', ';
  return out + 'and ' + names[n - 1];
}

export const INTRO_PREFIX = 'You are in the middle of a room. Looking quickly around you, you see ';

export const texts = {
  /** The look text before any move, and the first paragraph of the task message. */
  intro: (receptacles: readonly string[]) => `${INTRO_PREFIX}${formatItems(receptacles)}.`,
  task: (goal: string) => `Your task is to: ${goal}.`,
  /** examineReceptacle (also what `go to` returns). */
  openReceptacle: (r: string, items: readonly string[]) => `The ${r} is open. In it, you see ${formatItems(items)}.`,
  closedReceptacle: (r: string) => `The ${r} is closed.`,
  surface: (r: string, items: readonly string[]) => `On the ${r}, you see ${formatItems(items)}.`,
  open: (r: string, items: readonly string[]) => `You open the ${r}. The ${r} is open. In it, you see ${formatItems(items)}.`,
  close: (r: string) => `You close the ${r}.`,
  take: (o: string, r: string) => `You pick up the ${o} from the ${r}.`,
  put: (o: string, r: string) => `You put the ${o} in/on the ${r}.`,
  heat: (o: string, r: string) => `You heat the ${o} using the ${r}.`,
  cool: (o: string, r: string) => `You cool the ${o} using the ${r}.`,
  clean: (o: string, r: string) => `You clean the ${o} using the ${r}.`,
  /** ToggleObject: the `istoggled` branch is checked first, and `use` leaves lamps toggled. */
  use: (o: string) => `You turn on the ${o}.`,
  inventory: (o: string) => `You are carrying: a ${o}.`,
  inventoryEmpty: 'You are not carrying anything.',
  look: (receptaclesHere: readonly string[]) => `You are facing the ${formatBare(receptaclesHere)}. Next to it, you see nothing.`,
  examineObject: (o: string, hot: boolean, cool: boolean, clean: boolean) => {
    if (hot && clean) return `This is a hot and clean ${o}.`;
    if (cool && clean) return `This is a cold and clean ${o}.`;
    if (hot) return `This is a hot ${o}.`;
    if (cool) return `This is a cold ${o}.`;
    if (clean) return `This is a clean ${o}.`;
    return `There's nothing special about ${o}.`;
  },
} as const;
