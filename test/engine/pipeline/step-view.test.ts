import { describe, expect, it } from 'vitest';
import { rollout, RandomValidPolicy } from '../../../envs/core/rollout';
import { ENVIRONMENTS, makeEnv } from '../../../envs/registry';
import { ACK_STEP, episodeText, promptForStep, trainingSequences } from '../../../engine/pipeline/step-view';
import { buildEnvTokenizer } from '../../../engine/tokenizer';
import { turnText } from '../../../engine/pipeline/evaluate';

const tok = buildEnvTokenizer('alfworld', { tasks: 30 });
const env = makeEnv('alfworld');
const expert = rollout(env, ENVIRONMENTS.alfworld.createExpert(), { task: 'alfworld/v1/train/3', policyName: 'expert' });
const random = rollout(env, new RandomValidPolicy(env, 1), { task: 'alfworld/v1/train/3', policyName: 'random-valid' });

/** The texts of the scored agent turns, read back from the tokens between each <assistant> and its <eot>. */
function scoredTexts(seq: { tokens: number[]; stepEnds: { step: number; position: number }[] }): Map<number, string> {
  const out = new Map<number, string>();
  for (const { step, position } of seq.stepEnds) {
    const start = seq.tokens.lastIndexOf(tok.special.assistant, position);
    out.set(step, tok.decode(seq.tokens.slice(start + 1, position)));
  }
  return out;
}

describe('step views', () => {
  it('compact: an episode that fits is one sequence scoring every step at its closing <eot>', () => {
    const ep = episodeText(expert, 'compact');
    const seqs = trainingSequences(tok, ep, { context: 4096, reserve: 64 });
    expect(seqs).toHaveLength(1);
    const [s] = seqs;
    expect(s!.stepEnds.map((e) => e.step)).toEqual(expert.steps.map((_, i) => i));
    for (const e of s!.stepEnds) expect(s!.tokens[e.position]).toBe(tok.special.eot);
    expect([...scoredTexts(s!).values()]).toEqual(expert.steps.map((x) => x.text));
    // Targets: exactly the agent turns' content and <eot>.
    const targets = s!.targetMask.reduce((n, m) => n + m, 0);
    expect(targets).toBe(expert.steps.reduce((n, x) => n + tok.encode(x.text).length + 1, 0));
  });

  it('turns longer than the reserve (degenerate generations) never cost a step its score', () => {
    // "ActionAction…" re-encodes to many more tokens than were generated; such turns must still
    // be scored once each, without cutting a shared sequence past the context.
    const long = 'Action'.repeat(40);
    const degenerate = { ...random, steps: random.steps.slice(0, 12).map((st, i) => ({ ...st, text: i % 2 ? long : 'Thought: go.\nAction: look', observation: 'Nothing happens.' })) };
    const seqs = trainingSequences(tok, episodeText(degenerate, 'compact'), { context: 160, reserve: 40 });
    expect(seqs.flatMap((q) => q.stepEnds.map((e) => e.step))).toEqual(degenerate.steps.map((_, i) => i));
    for (const q of seqs) expect(q.tokens.length).toBeLessThanOrEqual(160);
  });

  it('turnText keeps a generated turn within its token budget after re-encoding', () => {
    const ids = Array.from({ length: 40 }, () => tok.encode('Action')).flat().slice(0, 40);
    const text = turnText(tok, ids, 40);
    expect(tok.encode(text).length).toBeLessThanOrEqual(40);
    expect(text.length).toBeGreaterThan(0);
  });

  it('a small context splits a long episode; every step is scored exactly once', () => {
    const ep = episodeText(random, 'compact');
    const seqs = trainingSequences(tok, ep, { context: 256, reserve: 64 });
    expect(seqs.length).toBeGreaterThan(2);
    const scored = seqs.flatMap((s) => s.stepEnds.map((e) => e.step));
    expect(scored).toEqual(random.steps.map((_, i) => i));
    for (const s of seqs) expect(s.tokens.length).toBeLessThanOrEqual(256);
    const texts = new Map(seqs.flatMap((s) => [...scoredTexts(s)]));
    expect([...texts.values()]).toEqual(random.steps.map((x) => x.text));
  });

  it('training and generation see the same text before each step', () => {
    const ep = episodeText(random, 'compact');
    for (const context of [256, 512]) {
      for (const s of trainingSequences(tok, ep, { context, reserve: 64 })) {
        for (const { step, position } of s.stepEnds) {
          const own = tok.encode(random.steps[step]!.text).length + 1; // content + <eot>, generated
          const roleAt = s.tokens.lastIndexOf(tok.special.assistant, position);
          expect(promptForStep(tok, ep, step, { context, reserve: 64 })).toEqual(s.tokens.slice(0, roleAt + 1));
          expect(roleAt + 1 + own).toBe(position + 1);
        }
      }
    }
  });

  it('the previous observation is always in view: a page longer than the room keeps its end (WebShop)', () => {
    const shopTok = buildEnvTokenizer('webshop', { tasks: 30 });
    const shopEnv = makeEnv('webshop');
    const shop = rollout(shopEnv, ENVIRONMENTS.webshop.createExpert(), { task: 'webshop/v1/train/1', policyName: 'expert' });
    const ep = episodeText(shop, 'compact');
    const opts = { context: 256, reserve: 48 };
    const budget = opts.context - opts.reserve - 2;
    const longest = Math.max(...shop.steps.map((st) => shopTok.encode(st.observation).length));
    expect(longest).toBeGreaterThan(budget); // the case under test: a results page alone overflows the view
    for (let t = 1; t < shop.steps.length; t++) {
      const prompt = promptForStep(shopTok, episodeText({ ...shop, steps: shop.steps.slice(0, t) }, 'compact', { open: true }), t, opts);
      const previous = shopTok.encode(shop.steps[t - 1]!.observation);
      // The prompt ends with the previous observation's last tokens (then <eot>, <assistant>).
      expect(prompt.slice(-2 - Math.min(previous.length, budget / 2), -2)).toEqual(previous.slice(-Math.min(previous.length, budget / 2)));
      expect(prompt.length).toBeLessThanOrEqual(budget + 1);
      expect(shopTok.decode(prompt)).toContain(shop.goal); // the task message is kept
    }
    // Training sees exactly those prompts.
    for (const q of trainingSequences(shopTok, ep, opts)) {
      for (const { step, position } of q.stepEnds) {
        const roleAt = q.tokens.lastIndexOf(shopTok.special.assistant, position);
        expect(promptForStep(shopTok, ep, step, opts)).toEqual(q.tokens.slice(0, roleAt + 1));
      }
    }
  });

  it('a header longer than the budget is cut the same way in training and in the prompt', () => {
    const ep = episodeText(expert, 'full');
    const opts = { context: 96, reserve: 40 };
    for (const q of trainingSequences(tok, ep, opts)) {
      for (const { step, position } of q.stepEnds) {
        if (step === ACK_STEP) continue;
        const roleAt = q.tokens.lastIndexOf(tok.special.assistant, position);
        expect(promptForStep(tok, ep, step, opts)).toEqual(q.tokens.slice(0, roleAt + 1));
      }
    }
  });

  it('full layout: instruction, "OK", ICL and task; the "OK" turn is scored once as the ack step', () => {
    const ep = episodeText(expert, 'full');
    expect(ep.header).toHaveLength(1 + 1 + 10 + 1);
    const seqs = trainingSequences(tok, ep, { context: 2048, reserve: 64 });
    const acks = seqs.flatMap((s) => s.stepEnds.filter((e) => e.step === ACK_STEP));
    expect(acks).toHaveLength(1);
    expect(scoredTexts(seqs[0]!).get(ACK_STEP)).toBe('OK');
    expect(trainingSequences(tok, ep, { context: 2048, reserve: 64, includeAckStep: false }).flatMap((s) => s.stepEnds).some((e) => e.step === ACK_STEP)).toBe(false);
  });

  it('a turn longer than the room left cuts the header from the left, keeping <bos> and the turn', () => {
    const ep = episodeText(expert, 'full');
    const seqs = trainingSequences(tok, ep, { context: 96, reserve: 40 });
    expect(seqs.every((s) => s.tokens.length <= 96 && s.tokens[0] === tok.special.bos)).toBe(true);
    expect(seqs.some((s) => s.headerTruncated)).toBe(true);
    expect(seqs.flatMap((s) => s.stepEnds.map((e) => e.step)).filter((x) => x >= 0)).toEqual(expert.steps.map((_, i) => i));
  });
});
