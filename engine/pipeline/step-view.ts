/**
 * What the model sees at each agent step, for training and for generation alike.
 *
 * A step's view is the header (`full`: instruction, "OK", ICL example, task message — the
 * SPA-RL layout; `compact`: the task message only) plus the most recent earlier turns that
 * fit in `context − reserve − 2` (reserve = the generation budget of a turn, 2 = the turn's
 * <assistant> role token and closing <eot>). The previous turn is always in the view: its
 * observation is the state the agent acts on. When it does not fit whole (a long WebShop
 * results page), the view keeps its most recent tokens, at least half the budget, cutting the
 * header from the left only if both cannot fit. Training and acting use this one rule, so a
 * policy is trained on exactly the text it will condition on. Consecutive steps with the same
 * view start share one training sequence, so an episode that fits the context is one sequence.
 */
import type { Trajectory } from '../../common/trajectory';
import type { ChatMessage } from '../../envs/core/prompts';
import { ICL_EXAMPLES, INSTRUCTIONS } from '../../envs/core/prompts';
import type { Tokenizer } from '../tokenizer';

export type PromptLayout = 'full' | 'compact';

/** Step index of the "OK" acknowledgement turn (step 0 in the code; env steps are 0..T−1 here). */
export const ACK_STEP = -1;

export interface EpisodeText {
  header: ChatMessage[];
  /** Index in `header` of the scored "OK" turn, or −1 when the layout has none. */
  ackIndex: number;
  /** Agent turns and the observations that answered them (null after the last turn). */
  turns: { agent: string; observation: string | null }[];
}

/**
 * The episode as chat pieces. A finished trajectory drops the observation after its last turn
 * (nothing conditions on it); an `open` episode (still being played) keeps every observation,
 * the last one being the input of the turn to generate.
 */
export function episodeText(
  traj: Pick<Trajectory, 'env' | 'initialObservation'> & { steps: readonly Pick<Trajectory['steps'][number], 'text' | 'observation'>[] },
  layout: PromptLayout,
  opts: { open?: boolean } = {},
): EpisodeText {
  const task: ChatMessage = { role: 'user', content: traj.initialObservation };
  const header: ChatMessage[] =
    layout === 'full' ? [{ role: 'user', content: INSTRUCTIONS[traj.env] }, { role: 'assistant', content: 'OK' }, ...ICL_EXAMPLES[traj.env], task] : [task];
  const last = opts.open ? traj.steps.length : traj.steps.length - 1;
  const turns = traj.steps.map((s, i) => ({ agent: s.text, observation: i < last ? s.observation : null }));
  return { header, ackIndex: layout === 'full' ? 1 : -1, turns };
}

/** One message as tokens: role token, content, closing <eot>. */
function messageTokens(tok: Tokenizer, m: ChatMessage): number[] {
  return [m.role === 'user' ? tok.special.user : tok.special.assistant, ...tok.encode(m.content), tok.special.eot];
}

/** Token pieces of an episode, encoded once and reused by every view. */
interface EncodedPieces {
  header: number[][];
  agent: number[][];
  observation: (number[] | null)[];
}

function encodePieces(tok: Tokenizer, ep: EpisodeText): EncodedPieces {
  return {
    header: ep.header.map((m) => messageTokens(tok, m)),
    agent: ep.turns.map((t) => messageTokens(tok, { role: 'assistant', content: t.agent })),
    observation: ep.turns.map((t) => (t.observation === null ? null : messageTokens(tok, { role: 'user', content: t.observation }))),
  };
}

const turnLength = (p: EncodedPieces, i: number) => (p.agent[i] as number[]).length + (p.observation[i]?.length ?? 0);

/** Where a view starts: a turn, and how many of its tokens (agent text, then observation) are left out from its front. */
interface ViewStart {
  turn: number;
  skip: number;
}

/**
 * Step t's view start: the earliest earlier turn from which every turn fits in `budget` tokens
 * after the header. The previous turn is always kept: when it alone is too long, the view starts
 * `skip` tokens into it, keeping its observation's end and at least half the budget.
 */
function viewStart(p: EncodedPieces, headerLength: number, t: number, budget: number): ViewStart {
  let used = headerLength;
  let a = t;
  while (a > 0 && used + turnLength(p, a - 1) <= budget) {
    used += turnLength(p, a - 1);
    a--;
  }
  if (a < t || t === 0) return { turn: a, skip: 0 };
  const room = Math.max(budget - headerLength, Math.floor(budget / 2));
  return { turn: t - 1, skip: Math.max(0, turnLength(p, t - 1) - room) };
}

const sameStart = (x: ViewStart, y: ViewStart) => x.turn === y.turn && x.skip === y.skip;

/** Turn i's tokens (agent turn, then its observation), without the first `skip`. */
const turnTokens = (p: EncodedPieces, i: number, skip = 0) => [...(p.agent[i] as number[]), ...((p.observation[i] as number[] | null) ?? [])].slice(skip);

const headerLength = (p: EncodedPieces) => 1 + p.header.reduce((n, m) => n + m.length, 0); // + <bos>

/**
 * The prompt for generating step t (0-based): header, the turns that fit, then the <assistant> role token.
 * It re-encodes the episode on each call: about 0.7 ms for a 40-step ALFWorld episode in the full layout,
 * negligible beside generating the turn.
 */
export function promptForStep(tok: Tokenizer, ep: EpisodeText, t: number, opts: { context: number; reserve: number }): number[] {
  const p = encodePieces(tok, ep);
  const budget = opts.context - opts.reserve - 2; // − the turn's <assistant> role token and closing <eot>
  const start = viewStart(p, headerLength(p), t, budget);
  const out = [tok.special.bos, ...p.header.flat()];
  for (let i = start.turn; i < t; i++) out.push(...turnTokens(p, i, i === start.turn ? start.skip : 0));
  out.push(tok.special.assistant);
  return leftTruncate(tok, out, budget + 1).tokens;
}

export interface TrainingSequence {
  tokens: number[];
  /** 1 where tokens[p] is a trained target (assistant content and its <eot>), predicted from p − 1. */
  targetMask: number[];
  /** The closing <eot> of each step scored in this sequence; `step` is ACK_STEP for the "OK" turn. */
  stepEnds: { step: number; position: number }[];
  /** The header was cut from the left because one turn alone nearly filled the context. */
  headerTruncated: boolean;
}

function leftTruncate(tok: Tokenizer, tokens: number[], limit: number): { tokens: number[]; cut: number } {
  if (tokens.length <= limit) return { tokens, cut: 0 };
  const cut = tokens.length - limit;
  return { tokens: [tok.special.bos, ...tokens.slice(cut + 1)], cut };
}

/**
 * Sequences that score every agent step exactly once (and the "OK" turn once, in the full layout).
 * `reserve` must be the generation budget the policy acts with, so that each step's view here is
 * the prompt `promptForStep` builds when acting; a turn longer than it keeps its view and may cut the header.
 * A step whose view starts inside the previous turn (`skip` > 0) gets a sequence of its own.
 */
export function trainingSequences(tok: Tokenizer, ep: EpisodeText, opts: { context: number; reserve: number; includeAckStep?: boolean }): TrainingSequence[] {
  const p = encodePieces(tok, ep);
  const hLen = headerLength(p);
  const T = ep.turns.length;
  const budget = opts.context - opts.reserve - 2; // the same budget as promptForStep
  const starts = Array.from({ length: T }, (_, t) => viewStart(p, hLen, t, budget));
  const sequences: TrainingSequence[] = [];
  let ackPending = ep.ackIndex >= 0 && (opts.includeAckStep ?? true);
  for (let first = 0; first < T; ) {
    let last = first;
    // Later steps join while their view starts at the same turn and the sequence still fits:
    // a generated turn can exceed the reserve by its closing <eot> (or re-encode longer), and
    // left truncation must never cut a scored step out of a shared sequence.
    const start = starts[first] as ViewStart;
    let length = hLen - start.skip + (p.agent[first] as number[]).length;
    for (let i = start.turn; i < first; i++) length += turnLength(p, i);
    while (last + 1 < T && sameStart(starts[last + 1] as ViewStart, start)) {
      const grown = length + ((p.observation[last] as number[] | null)?.length ?? 0) + (p.agent[last + 1] as number[]).length;
      if (grown > opts.context) break;
      length = grown;
      last++;
    }
    const tokens: number[] = [tok.special.bos];
    const targetMask: number[] = [0];
    const stepEnds: TrainingSequence['stepEnds'] = [];
    const push = (ids: number[], scored: boolean, step: number) => {
      ids.forEach((id, k) => {
        tokens.push(id);
        targetMask.push(scored && k > 0 ? 1 : 0); // the role token is given, not predicted
      });
      if (scored) stepEnds.push({ step, position: tokens.length - 1 });
    };
    p.header.forEach((m, i) => push(m, ackPending && i === ep.ackIndex, ACK_STEP));
    ackPending = false;
    for (let i = start.turn; i < first; i++) push(turnTokens(p, i, i === start.turn ? start.skip : 0), false, i);
    const prefix = tokens.length + 1; // up to the first scored turn's <assistant>: its prompt
    for (let i = first; i <= last; i++) {
      push(p.agent[i] as number[], true, i);
      if (i < last) push(p.observation[i] as number[], false, i);
    }
    // Cut the header as promptForStep does (prompt ≤ budget + 1), and further only if the turns overflow the context.
    const { tokens: kept, cut } = leftTruncate(tok, tokens, tokens.length - Math.max(0, prefix - (budget + 1), tokens.length - opts.context));
    const mask = cut ? [0, ...targetMask.slice(cut + 1)] : targetMask;
    sequences.push({
      tokens: kept,
      targetMask: mask,
      stepEnds: stepEnds.filter((e) => e.position > cut).map((e) => ({ step: e.step, position: e.position - cut })),
      headerTruncated: cut > 0,
    });
    first = last + 1;
  }
  return sequences;
}
