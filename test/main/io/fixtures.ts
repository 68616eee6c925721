/**
 * SPA-RL files written from the examples in docs/spa-rl-method.md §4 (the doc's text where it
 * gives it; "…" placeholders filled with the real instruction/ICL where a record needs them).
 */
import { ICL_EXAMPLES, INSTRUCTIONS } from '../../../envs/core/prompts';

/** §4.1, verbatim: the doc abbreviates the instruction, which still starts "You are web shopping." */
export const WEBSHOP_SFT_DOC = `[{"id": 0,
  "conversations": [
    {"from": "human", "value": "You are web shopping.\\nI will give you instructions ... Thought: I think ...\\nAction: click[something]"},
    {"from": "gpt",   "value": "OK"},
    {"from": "human", "value": "Observation:\\nWebShop [SEP] Instruction: [SEP] i need a long lasting 6.76 fl oz bottle of l'eau d'issey ... [SEP] Search"},
    {"from": "gpt",   "value": "Thought: I think I should use the search bar ...\\nAction: search[l'eau d'issey 6.76 fl oz bottle price < 100.00]"},
    {"from": "human", "value": "Observation:\\nInstruction: [SEP] ... [SEP] B000VOHH8I [SEP] ..."},
    {"from": "gpt",   "value": "Thought: ...\\nAction: click[B000VOHH8I]"}
  ]}]`;

/** §4.2: an ALFWorld shard (bool reward, game_file, the 10 ICL messages, ends on an observation). */
export function alfworldExplorationDoc(): unknown[] {
  const task = 'You are in the middle of a room. Looking quickly around you, you see a cabinet 1, a countertop 1, and a sinkbasin 1.\n\nYour task is to: put a clean apple in countertop.';
  return [
    {
      id: 1234,
      iteration: 0,
      agent_conversations: [
        { role: 'user', content: INSTRUCTIONS.alfworld },
        { role: 'assistant', content: 'OK' },
        ...ICL_EXAMPLES.alfworld,
        { role: 'user', content: task },
        { role: 'assistant', content: 'Thought: ...\nAction: go to cabinet 1' },
        { role: 'user', content: 'Observation: Nothing happens.' },
        { role: 'assistant', content: 'Thought: I should look at the countertop.\nAction: go to countertop 1' },
        { role: 'user', content: 'Observation: On the countertop 1, you see a apple 1.' },
      ],
      agent_final_reward: true,
      time: 12.3,
      game_file: 'json_2.1.1/train/pick_clean_then_place_in_recep-Apple-None-CounterTop-1/trial_1/game.tw-pddl',
    },
    {
      id: 1234,
      iteration: 1,
      agent_conversations: [
        { role: 'user', content: INSTRUCTIONS.alfworld },
        { role: 'assistant', content: 'OK' },
        ...ICL_EXAMPLES.alfworld,
        { role: 'user', content: task },
        { role: 'assistant', content: 'I am not sure.' },
        { role: 'user', content: "Observation: Error Input. Your input must contains 'Action: '" },
      ],
      agent_final_reward: false,
      time: 3.1,
      game_file: 'json_2.1.1/train/pick_clean_then_place_in_recep-Apple-None-CounterTop-1/trial_1/game.tw-pddl',
    },
  ];
}

/** §4.4: 5 turn_values for 5 gpt turns ("OK" + 4 steps), with the `path` VirtualHome records have. */
export function virtualhomeInferenceDoc(): unknown[] {
  return [
    {
      sample_id: 0,
      prediction: 0.93,
      ground_truth: 1.0,
      loss: 0.0049,
      turn_values: [0.02, 0.11, 0.35, -0.04, 0.49],
      conversations: [
        { from: 'human', value: INSTRUCTIONS.virtualhome },
        { from: 'gpt', value: 'OK' },
        { from: 'human', value: 'The task is Drink (Go to the dining room, take the cup and drink water from it).' },
        { from: 'gpt', value: 'Thought: I should go to the dining room first.\nAction: Walk to dining room' },
        { from: 'human', value: 'Observation: ' },
        { from: 'gpt', value: 'Thought: I will go to the cup now.\nAction: Walk to cup' },
        { from: 'human', value: 'Observation: cup is CLEAN. ' },
        { from: 'gpt', value: 'Thought: Open the cup.\nAction: Open cup' },
        { from: 'human', value: 'Nothing happens.' },
        { from: 'gpt', value: 'Thought: Now I can drink.\nAction: Grab cup' },
      ],
      id: 1234,
      iteration: 3,
      agent_final_reward: 1.0,
      path: 'virtualhome/programs/drink_1234.txt',
    },
  ];
}

/** §4.1 for VirtualHome: JSON Lines with path/task/description (the extra keys are ignored). */
export function virtualhomeSftJsonl(): string {
  const record = (id: number, action: string) => ({
    id,
    path: `virtualhome/programs/${id}.txt`,
    task: 'Drink',
    description: 'drink some water',
    revised_graph: {},
    object_id_dict: {},
    conversations: [
      { from: 'human', value: INSTRUCTIONS.virtualhome },
      { from: 'gpt', value: 'OK' },
      { from: 'human', value: 'The task is Drink (Drink water).' },
      { from: 'gpt', value: `Thought: Go.\nAction: ${action}` },
      { from: 'human', value: 'Observation: water_glass is CLEAN. ' },
      { from: 'gpt', value: 'Thought: Drink.\nAction: Drink water glass' },
    ],
  });
  return [record(0, 'Walk to dining room'), record(1, 'Walk to kitchen')].map((r) => JSON.stringify(r)).join('\n') + '\n';
}
