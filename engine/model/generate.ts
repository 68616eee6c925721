/**
 * Batched autoregressive generation, with or without a key/value cache.
 *
 * With the cache, the prompts are run once through the normal forward (right-padded to the
 * longest; causal attention keeps pads invisible to real tokens) and each layer's keys and
 * values are kept in JS arrays (KvCache). Every new token then costs one position: the trunk
 * runs on [rows, d] and attention is one pass over that row's own cached positions (native
 * when the addon is loaded), so rows of different lengths need no padding or masks at all. Rows
 * that finish drop out of the batch.
 *
 * Without the cache (`useCache: false`, for benchmarks and the equivalence test), every
 * step re-runs the whole forward over each row's full sequence.
 *
 * log-probs are log π(token) under the model's unmodified distribution (temperature 1, no
 * top-p), which is what PPO's ratio needs when sampling at temperature 1.
 */
import * as tf from '@tensorflow/tfjs';
import { enabledAddon } from '../native';
import { logSoftmaxAt, sampleToken, type SamplingOptions } from './sampling';
import type { TransformerLM } from './transformer';

export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  /** Generation of a row stops after it emits one of these (the stop token is included). */
  stopTokens?: number[];
  /** Uniform [0, 1) source; draws happen in row order, one per sampled token. */
  rng: () => number;
  /** Default true. */
  useCache?: boolean;
  /** Sees each step's logits for the rows still generating: [rows.length, V], row-major. */
  onStep?: (step: number, rows: readonly number[], logits: Float32Array) => void;
}

/** 'stop': emitted a stop token; 'length': maxNewTokens reached; 'context': the sequence filled the context. */
export type FinishReason = 'stop' | 'length' | 'context';

export interface GenerateResult {
  /** The new tokens of each prompt (stop token included). */
  tokens: number[][];
  /** log π of each new token (temperature 1, unfiltered). */
  logProbs: number[][];
  finishReasons: FinishReason[];
}

function validate(model: TransformerLM, prompts: number[][], opts: GenerateOptions): void {
  const { vocabSize, context } = model.config;
  if (!Number.isInteger(opts.maxNewTokens) || opts.maxNewTokens < 0) throw new RangeError(`maxNewTokens must be a non-negative integer, got ${opts.maxNewTokens}`);
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new RangeError(`prompt ${i} is empty`);
    if (p.length >= context) throw new RangeError(`prompt ${i} has ${p.length} tokens; the context (${context}) leaves no room to generate`);
    for (const t of p) if (!(Number.isInteger(t) && t >= 0 && t < vocabSize)) throw new RangeError(`prompt ${i} has token id ${t} outside [0, ${vocabSize})`);
  });
}

/** Right-pads rows into one [n, L] id array with positions 0..L−1. */
function pack(seqs: readonly number[][]): { ids: Int32Array; positions: Int32Array; L: number } {
  const L = Math.max(...seqs.map((s) => s.length));
  const ids = new Int32Array(seqs.length * L); // pads are id 0 (<pad>), after every real token
  const positions = new Int32Array(seqs.length * L);
  seqs.forEach((s, i) => {
    ids.set(s, i * L);
    for (let t = 0; t < L; t++) positions[i * L + t] = t;
  });
  return { ids, positions, L };
}

/** Logits at each row's last position via a full forward: [n, V]. */
function lastLogits(model: TransformerLM, seqs: readonly number[][], hooks?: Parameters<TransformerLM['trunk']>[4]): Float32Array {
  const { ids, positions, L } = pack(seqs);
  const last = tf.tensor1d(
    seqs.map((s, i) => i * L + s.length - 1),
    'int32',
  );
  const logits = tf.tidy(() => model.head(tf.gather(model.trunk(ids, positions, seqs.length, L, hooks), last) as tf.Tensor2D)); // [n, V]
  const out = logits.dataSync() as Float32Array;
  tf.dispose([logits, last]);
  return out;
}

/**
 * Keys and values of every layer, per row, in JS: keys transposed [row][head][dh][position]
 * (a query's scores are then a loop over contiguous positions), values [row][head][position][dh].
 * The new token's attention runs in the native addon when it is loaded (engine/native/fused.c,
 * attentionDecode), else in the JS loop below; both compute the same thing.
 */
class KvCache {
  private readonly k: Float32Array[];
  private readonly v: Float32Array[];
  /** Positions filled per row. */
  readonly len: Int32Array;
  private readonly H: number;
  private readonly dh: number;
  private readonly d: number;
  private readonly ctx: number;
  private readonly addon = enabledAddon();

  constructor(
    private readonly model: TransformerLM,
    rows: number,
  ) {
    const c = model.config;
    this.H = c.nHeads;
    this.d = c.dModel;
    this.dh = c.dModel / c.nHeads;
    this.ctx = c.context;
    const size = rows * this.H * this.ctx * this.dh;
    this.k = Array.from({ length: c.nLayers }, () => new Float32Array(size));
    this.v = Array.from({ length: c.nLayers }, () => new Float32Array(size));
    this.len = new Int32Array(rows);
  }

  /** Start of a (row, head)'s block in either cache (both are ctx·dh per block). */
  private base(row: number, head: number): number {
    return (row * this.H + head) * this.ctx * this.dh;
  }

  /** Stores the k and v of one qkv row (at src in data, [3d] wide) at position t of a row's cache. */
  private write(layer: number, row: number, t: number, data: Float32Array, src: number): void {
    const { d, dh, H, ctx } = this;
    const K = this.k[layer]!;
    const V = this.v[layer]!;
    for (let h = 0; h < H; h++) {
      const base = this.base(row, h);
      for (let c = 0; c < dh; c++) K[base + c * ctx + t] = data[src + d + h * dh + c] as number;
      V.set(data.subarray(src + 2 * d + h * dh, src + 2 * d + (h + 1) * dh), base + t * dh);
    }
  }

  /** Runs the prompts, fills the cache; returns the logits after each prompt [n, V]. */
  prefill(rows: readonly number[], prompts: readonly number[][]): Float32Array {
    const { d } = this;
    const L = Math.max(...prompts.map((p) => p.length));
    const logits = lastLogits(this.model, prompts, {
      onQkv: (layer, qkv) => {
        const data = qkv.dataSync() as Float32Array; // [n·L, 3d]
        rows.forEach((row, i) => {
          for (let t = 0; t < (prompts[i] as number[]).length; t++) this.write(layer, row, t, data, (i * L + t) * 3 * d);
        });
      },
    });
    rows.forEach((row, i) => (this.len[row] = (prompts[i] as number[]).length));
    return logits;
  }

  /** JS attention of each row's new query over its cached positions 0..t (the new k, v already written). */
  private attendJs(layer: number, rows: Int32Array, positions: Int32Array, data: Float32Array, out: Float32Array): void {
    const { d, dh, H, ctx } = this;
    const scale = 1 / Math.sqrt(dh);
    const K = this.k[layer]!;
    const V = this.v[layer]!;
    const scores = new Float64Array(ctx);
    const acc = new Float64Array(dh);
    for (let i = 0; i < rows.length; i++) {
      const t = positions[i] as number;
      for (let h = 0; h < H; h++) {
        const base = this.base(rows[i] as number, h);
        scores.fill(0, 0, t + 1);
        for (let c = 0; c < dh; c++) {
          const q = (data[i * 3 * d + h * dh + c] as number) * scale;
          const kc = base + c * ctx;
          for (let p = 0; p <= t; p++) scores[p] = (scores[p] as number) + q * (K[kc + p] as number);
        }
        let max = -Infinity;
        for (let p = 0; p <= t; p++) max = Math.max(max, scores[p] as number);
        let z = 0;
        for (let p = 0; p <= t; p++) {
          const e = Math.exp((scores[p] as number) - max);
          scores[p] = e;
          z += e;
        }
        acc.fill(0);
        for (let p = 0, vo = base; p <= t; p++, vo += dh) {
          const w = (scores[p] as number) / z;
          for (let c = 0; c < dh; c++) acc[c] = (acc[c] as number) + w * (V[vo + c] as number);
        }
        out.set(acc, i * d + h * dh);
      }
    }
  }

  /** Feeds one token per row at that row's next position; returns the next logits [n, V]. */
  step(rows: readonly number[], tokens: readonly number[]): Float32Array {
    const { d, H, ctx } = this;
    const n = rows.length;
    const slots = Int32Array.from(rows);
    const positions = Int32Array.from(rows, (r) => this.len[r] as number);
    const attend = (layer: number, qkv: tf.Tensor2D): tf.Tensor2D => {
      const data = qkv.dataSync() as Float32Array; // [n, 3d]
      const out = new Float32Array(n * d);
      if (this.addon) {
        this.addon.attentionDecode(data, out, this.k[layer]!, this.v[layer]!, slots, positions, H, ctx);
      } else {
        for (let i = 0; i < n; i++) this.write(layer, rows[i] as number, positions[i] as number, data, i * 3 * d);
        this.attendJs(layer, slots, positions, data, out);
      }
      return tf.tensor2d(out, [n, d]);
    };
    const logits = tf.tidy(() => this.model.head(this.model.trunk(Int32Array.from(tokens), positions, n, 1, { attend }))); // [n, V]
    const values = logits.dataSync() as Float32Array;
    logits.dispose();
    for (const r of rows) this.len[r] = (this.len[r] as number) + 1;
    return values;
  }
}

/** Generates continuations of each prompt (see the file header). */
export function generate(model: TransformerLM, prompts: number[][], opts: GenerateOptions): GenerateResult {
  validate(model, prompts, opts);
  const { vocabSize: V, context } = model.config;
  const seqs = prompts.map((p) => p.slice());
  const tokens: number[][] = prompts.map(() => []);
  const logProbs: number[][] = prompts.map(() => []);
  const finishReasons: FinishReason[] = prompts.map(() => 'length');
  const stop = new Set(opts.stopTokens ?? []);
  let active = prompts.map((_, i) => i);
  if (opts.maxNewTokens === 0 || active.length === 0) return { tokens, logProbs, finishReasons };
  const cache = opts.useCache === false ? null : new KvCache(model, prompts.length);
  let logits = cache ? cache.prefill(active, seqs) : lastLogits(model, seqs);
  for (let step = 0; ; step++) {
    opts.onStep?.(step, active, logits);
    const next: number[] = [];
    active.forEach((b, i) => {
      const row = logits.subarray(i * V, (i + 1) * V);
      const token = sampleToken(row, opts, opts.rng);
      tokens[b]!.push(token);
      logProbs[b]!.push(logSoftmaxAt(row, token));
      seqs[b]!.push(token);
      if (stop.has(token)) finishReasons[b] = 'stop';
      else if (tokens[b]!.length >= opts.maxNewTokens) finishReasons[b] = 'length';
      else if (seqs[b]!.length >= context) finishReasons[b] = 'context';
      else next.push(b);
    });
    if (next.length === 0) break;
    active = next;
    logits = cache
      ? cache.step(
          active,
          active.map((b) => seqs[b]![seqs[b]!.length - 1] as number),
        )
      : lastLogits(
          model,
          active.map((b) => seqs[b]!),
        );
  }
  return { tokens, logProbs, finishReasons };
}
