import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../envs/core/rng';
import { initBackend } from '../../../engine/backend';
import type { ModelConfig } from '../../../engine/model/config';
import { logSoftmaxAt } from '../../../engine/model/sampling';
import { TransformerLM } from '../../../engine/model/transformer';

const CFG: ModelConfig = { vocabSize: 29, dModel: 32, nLayers: 2, nHeads: 4, dFF: 64, context: 24 };
// Different lengths: the cache must handle rows that start and stop at different positions.
const PROMPTS = [[1, 5, 7, 9, 2], [3, 4], [8, 8, 8, 8, 8, 8, 8, 8, 8]];

let model: TransformerLM;
beforeAll(async () => {
  await initBackend('cpu');
  model = new TransformerLM(CFG, { seed: 11, attentionChunk: 3 });
  // Initial weights (std 0.02) make attention nearly uniform; scaled up, a wrong cached score shows in the logits.
  for (const [name, w] of model.namedWeights()) if (/attn\.wqkv$/.test(name)) w.assign(tf.mul(w, 25));
});
afterAll(() => model.dispose());

const seeded = (seed: string) => {
  const r = new Rng(seed);
  return () => r.next();
};

function run(useCache: boolean, extra: Partial<Parameters<TransformerLM['generate']>[1]> = {}) {
  const logits: Float32Array[] = [];
  const rows: number[][] = [];
  const out = model.generate(PROMPTS, {
    maxNewTokens: 10,
    temperature: 1,
    topP: 1,
    greedy: true,
    rng: seeded('g'),
    useCache,
    onStep: (_s, r, l) => {
      rows.push([...r]);
      logits.push(l.slice());
    },
    ...extra,
  });
  return { out, logits, rows };
}

describe('generate with a KV cache', () => {
  it('gives the same logits as re-running the full forward (1e-4) and the same greedy tokens', () => {
    const cached = run(true);
    const full = run(false);
    expect(cached.out.tokens).toEqual(full.out.tokens);
    expect(cached.rows).toEqual(full.rows);
    expect(cached.logits.length).toBe(10);
    let maxDiff = 0;
    cached.logits.forEach((l, s) => l.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - (full.logits[s]![j] as number))))));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(cached.out.tokens.map((t) => t.length)).toEqual([10, 10, 10]);
    expect(cached.out.finishReasons).toEqual(['length', 'length', 'length']);
  });

  it('gives each row the tokens it gets when generated alone', () => {
    const batched = run(true).out.tokens;
    PROMPTS.forEach((p, i) => {
      const alone = model.generate([p], { maxNewTokens: 10, temperature: 1, topP: 1, greedy: true, rng: seeded('g') });
      expect(alone.tokens[0]).toEqual(batched[i]);
    });
  });

  it('samples reproducibly under a seeded rng, identically with and without the cache', () => {
    const opts = { greedy: false, temperature: 1.3, topP: 0.9, rng: seeded('sample') };
    const a = run(true, opts).out;
    const b = run(true, { ...opts, rng: seeded('sample') }).out;
    const c = run(false, { ...opts, rng: seeded('sample') }).out;
    expect(b.tokens).toEqual(a.tokens);
    expect(c.tokens).toEqual(a.tokens);
    expect(run(true, { ...opts, rng: seeded('other') }).out.tokens).not.toEqual(a.tokens);
  });

  it('returns log π(token) of the unmodified distribution', () => {
    const { out, logits } = run(true, { greedy: false, temperature: 0.7, topP: 0.8, rng: seeded('lp') });
    // step 0: every row is active, in order
    PROMPTS.forEach((_p, i) => {
      const row = logits[0]!.subarray(i * CFG.vocabSize, (i + 1) * CFG.vocabSize);
      expect(out.logProbs[i]![0]).toBeCloseTo(logSoftmaxAt(row, out.tokens[i]![0] as number), 10);
    });
  });

  it('stops a row at its stop token (included) and drops it from the batch', () => {
    const free = run(true).out.tokens;
    const stopAt = free[0]![2] as number; // row 0's third greedy token
    const { out, rows } = run(true, { stopTokens: [stopAt] });
    const firstStop = out.tokens[0]!.indexOf(stopAt);
    expect(firstStop).toBeLessThanOrEqual(2);
    expect(out.tokens[0]).toEqual(free[0]!.slice(0, firstStop + 1));
    expect(out.finishReasons[0]).toBe('stop');
    expect(rows[firstStop + 1] ?? []).not.toContain(0);
  });

  it('stops at the context: a prompt of context − 2 tokens gets 2 new tokens', () => {
    const out = model.generate([Array.from({ length: CFG.context - 2 }, (_, i) => i % 7)], {
      maxNewTokens: 10,
      temperature: 1,
      topP: 1,
      greedy: true,
      rng: seeded('c'),
    });
    expect(out.tokens[0]!.length).toBe(2);
    expect(out.finishReasons).toEqual(['context']);
  });

  it('validates prompts and options', () => {
    const base = { maxNewTokens: 3, temperature: 1, topP: 1, rng: seeded('v') };
    expect(() => model.generate([[]], base)).toThrow(/empty/);
    expect(() => model.generate([[CFG.vocabSize]], base)).toThrow(/outside/);
    expect(() => model.generate([new Array(CFG.context).fill(1)], base)).toThrow(/context/);
    expect(() => model.generate([[1]], { ...base, maxNewTokens: -1 })).toThrow(RangeError);
    expect(model.generate([[1]], { ...base, maxNewTokens: 0 })).toEqual({ tokens: [[]], logProbs: [[]], finishReasons: ['length'] });
  });

  it('leaks no tensors per generate call, with or without the cache', () => {
    run(true);
    run(false);
    const n0 = tf.memory().numTensors;
    run(true);
    run(false);
    run(true, { greedy: false, rng: seeded('leak') });
    expect(tf.memory().numTensors).toBe(n0);
  });
});
