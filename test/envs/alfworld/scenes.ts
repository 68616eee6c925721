/** Hand-written scenes shared by the ALFWorld tests (and documented in envs/alfworld/README.md). */
import type { AlfworldScene } from '../../../envs/alfworld';

/** A small kitchen: a shared-spot cabinet pair, an open-shelf drawer, apples on the counter and in the fridge. */
export const KITCHEN_HEAT: AlfworldScene = {
  roomType: 'kitchen',
  taskType: 'heat',
  object: 'apple',
  receptacle: 'diningtable',
  goal: 'heat some apple and put it in diningtable',
  receptacles: [
    { name: 'cabinet 1', contents: ['mug 1'] },
    { name: 'cabinet 2', sameLocationAs: 'cabinet 1' },
    { name: 'drawer 1', openable: false, contents: ['fork 2'] },
    { name: 'countertop 1', contents: ['knife 1', 'apple 2', 'bread 1'] },
    { name: 'diningtable 1' },
    { name: 'fridge 1', contents: ['egg 1', 'apple 1'] },
    { name: 'microwave 1' },
    { name: 'sinkbasin 1' },
  ],
};

export const KITCHEN_INTRO =
  'You are in the middle of a room. Looking quickly around you, you see a cabinet 2, a cabinet 1, a countertop 1, a diningtable 1, a drawer 1, a fridge 1, a microwave 1, and a sinkbasin 1.';

/** A bedroom with a desk lamp, two books and two credit cards. */
export const BEDROOM_EXAMINE: AlfworldScene = {
  roomType: 'bedroom',
  taskType: 'examine',
  object: 'book',
  toggle: 'desklamp',
  goal: 'look at book under the desklamp',
  receptacles: [
    { name: 'bed 1', contents: ['pillow 1', 'book 1'] },
    { name: 'desk 1', contents: ['pen 1', 'desklamp 1'] },
    { name: 'drawer 1', contents: ['creditcard 2'] },
    { name: 'drawer 2', contents: [] },
    { name: 'dresser 1', contents: ['creditcard 1', 'book 2'] },
  ],
};
