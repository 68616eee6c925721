/**
 * The policy: a decoder-only transformer written with raw tf ops over named tf.Variables
 * (no tf.layers), so a checkpoint is just `namedWeights()` and a copy is cheap.
 *
 * Layout (see config.ts): x = wte[tokens] + wpe[positions]; per layer
 * x += Wo·attn(LN1(x)·Wqkv); x += W2·gelu(LN2(x)·W1); hidden = LNf(x); logits = hidden·wteᵀ.
 * Activations are kept as 2-D [B·T, ·] matrices internally because every fast wasm kernel
 * is 2-D; the public outputs are [B, T, ·].
 *
 * kernels: 'fast' (default) uses the hand-written ops in ops/ (custom gradients, JS-side
 * lookups and attention blocks); 'reference' uses TF.js built-ins throughout (one-hot
 * embedding, rank-4 attention, autodiff everywhere) and exists to check the fast ops and to
 * benchmark against the stock path. Both compute the same function.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedKernelsActive } from '../native/fused-kernels';
import { validateConfig, type ModelConfig } from './config';
import { generate, type GenerateOptions, type GenerateResult } from './generate';
import { normalTensor } from './init';
import { causalAttention, causalAttentionReference, DEFAULT_ATTENTION_CHUNK } from './ops/attention';
import { embed, embedReference } from './ops/embedding';
import { gelu, geluReference } from './ops/gelu';
import { layerNorm, layerNormReference } from './ops/layer-norm';
import { linear, linearReference, transpose2d } from './ops/linear';
import { tokenLogProbs, tokenLogProbsReference } from './ops/log-probs';

export type KernelMode = 'fast' | 'reference';

export interface TransformerOptions {
  /** Seed of the initial weights (default 0); the same seed gives the same weights everywhere. */
  seed?: string | number;
  kernels?: KernelMode;
  /** Query rows per attention chunk (fast kernels only; exact for any value). */
  attentionChunk?: number;
}

/** Hooks into the trunk, used by cached generation. */
export interface TrunkHooks {
  /** Sees each layer's packed q|k|v projection [N, 3d] (to fill a KV cache). */
  onQkv?: (layer: number, qkv: tf.Tensor2D) => void;
  /** Replaces causal self-attention (e.g. one new token against a KV cache): qkv [N, 3d] → [N, d]. */
  attend?: (layer: number, qkv: tf.Tensor2D) => tf.Tensor2D;
}

/** The weight names and shapes of a config, in a stable order. */
export function weightShapes(c: ModelConfig): [string, number[]][] {
  const d = c.dModel;
  const out: [string, number[]][] = [
    ['wte', [c.vocabSize, d]],
    ['wpe', [c.context, d]],
  ];
  for (let l = 0; l < c.nLayers; l++) {
    out.push(
      [`h${l}.ln1.g`, [d]],
      [`h${l}.ln1.b`, [d]],
      [`h${l}.attn.wqkv`, [d, 3 * d]],
      [`h${l}.attn.bqkv`, [3 * d]],
      [`h${l}.attn.wo`, [d, d]],
      [`h${l}.attn.bo`, [d]],
      [`h${l}.ln2.g`, [d]],
      [`h${l}.ln2.b`, [d]],
      [`h${l}.mlp.w1`, [d, c.dFF]],
      [`h${l}.mlp.b1`, [c.dFF]],
      [`h${l}.mlp.w2`, [c.dFF, d]],
      [`h${l}.mlp.b2`, [d]],
    );
  }
  out.push(['lnf.g', [d]], ['lnf.b', [d]]);
  return out;
}

/** GPT-2 initialisation: N(0, 0.02²), residual output projections scaled by 1/√(2·nLayers), LN gains 1, biases 0. */
function initialValue(name: string, shape: number[], c: ModelConfig, seed: string): tf.Tensor {
  if (/\.g$/.test(name)) return tf.ones(shape);
  if (/\.b[a-z0-9]*$/.test(name) && shape.length === 1) return tf.zeros(shape);
  const residual = /attn\.wo$|mlp\.w2$/.test(name);
  const std = residual ? 0.02 / Math.sqrt(2 * c.nLayers) : 0.02;
  return normalTensor(shape, std, `${seed}/${name}`);
}

export class TransformerLM {
  readonly config: ModelConfig;
  kernels: KernelMode;
  attentionChunk: number;
  private readonly vars = new Map<string, tf.Variable>();

  constructor(config: ModelConfig, opts: TransformerOptions = {}, weights?: ReadonlyMap<string, tf.Tensor>) {
    this.config = validateConfig({ ...config });
    this.kernels = opts.kernels ?? 'fast';
    this.attentionChunk = opts.attentionChunk ?? DEFAULT_ATTENTION_CHUNK;
    const seed = String(opts.seed ?? 0);
    for (const [name, shape] of weightShapes(this.config)) {
      const given = weights?.get(name);
      if (weights && !given) throw new Error(`TransformerLM: missing weight "${name}"`);
      if (given && !tf.util.arraysEqual(given.shape, shape)) {
        throw new Error(`TransformerLM: weight "${name}" has shape [${given.shape}], expected [${shape}]`);
      }
      // tf.variable copies nothing; the clone/initial tensor's data becomes the variable's.
      const init = given ? tf.clone(given) : initialValue(name, shape, this.config, seed);
      this.vars.set(name, tf.variable(init, true));
      init.dispose();
    }
  }

  /** Stable name → variable map (the checkpoint writer saves these). */
  namedWeights(): Map<string, tf.Variable> {
    return this.vars;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  private w(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`TransformerLM: no weight "${name}"`);
    return v;
  }

  /**
   * The residual trunk on token ids: returns the final-LayerNorm hidden state [N, d].
   * tokens/positions are flat [N] arrays of B rows of T.
   */
  trunk(tokens: Int32Array, positions: Int32Array, batch: number, seqLen: number, hooks: TrunkHooks = {}): tf.Tensor2D {
    const c = this.config;
    if (tokens.length !== batch * seqLen) throw new RangeError(`trunk: ${tokens.length} tokens for ${batch}×${seqLen}`);
    const fast = this.kernels === 'fast';
    const lin = fast ? linear : linearReference;
    const ln = fast ? layerNorm : layerNormReference;
    const act = fast ? gelu : geluReference;
    const shape = { batch, seqLen, nHeads: c.nHeads };
    return tf.tidy(() => {
      let x = (fast ? embed : embedReference)(tokens, positions, this.w('wte') as tf.Tensor2D, this.w('wpe') as tf.Tensor2D); // [N, d]
      for (let l = 0; l < c.nLayers; l++) {
        const p = `h${l}.`;
        const h1 = ln(x, this.w(p + 'ln1.g') as tf.Tensor1D, this.w(p + 'ln1.b') as tf.Tensor1D);
        const qkv = lin(h1, this.w(p + 'attn.wqkv') as tf.Tensor2D, this.w(p + 'attn.bqkv') as tf.Tensor1D); // [N, 3d]
        hooks.onQkv?.(l, qkv);
        const att = hooks.attend
          ? hooks.attend(l, qkv)
          : fast
            ? causalAttention(qkv, shape, this.attentionChunk)
            : causalAttentionReference(qkv, shape); // [N, d]
        x = tf.add(x, lin(att, this.w(p + 'attn.wo') as tf.Tensor2D, this.w(p + 'attn.bo') as tf.Tensor1D));
        const h2 = ln(x, this.w(p + 'ln2.g') as tf.Tensor1D, this.w(p + 'ln2.b') as tf.Tensor1D);
        const mlp = lin(act(lin(h2, this.w(p + 'mlp.w1') as tf.Tensor2D, this.w(p + 'mlp.b1') as tf.Tensor1D)), this.w(p + 'mlp.w2') as tf.Tensor2D, this.w(p + 'mlp.b2') as tf.Tensor1D);
        x = tf.add(x, mlp); // [N, d]
      }
      return ln(x, this.w('lnf.g') as tf.Tensor1D, this.w('lnf.b') as tf.Tensor1D);
    });
  }

  /** Logits of a [N, d] hidden state through the tied head: [N, V]. */
  head(hidden: tf.Tensor2D): tf.Tensor2D {
    const wte = this.w('wte') as tf.Tensor2D;
    // With the native GEMM, hidden·wteᵀ and both products of its gradient take their transposes for free.
    if (this.kernels === 'fast' && fusedKernelsActive()) return tf.matMul(hidden, wte, false, true);
    return tf.tidy(() => (this.kernels === 'fast' ? linear : linearReference)(hidden, transpose2d(wte)));
  }

  private prepare(tokens: tf.Tensor2D): { ids: Int32Array; positions: Int32Array; B: number; T: number } {
    const [B, T] = tokens.shape;
    if (T > this.config.context) throw new RangeError(`Sequence length ${T} exceeds the context (${this.config.context})`);
    const ids = Int32Array.from(tokens.dataSync());
    const positions = new Int32Array(B * T);
    for (let i = 0; i < positions.length; i++) positions[i] = i % T;
    return { ids, positions, B, T };
  }

  /** tokens [B, T] → hidden [B, T, d] (final LayerNorm output) and logits [B, T, V]. */
  forward(tokens: tf.Tensor2D): { hidden: tf.Tensor3D; logits: tf.Tensor3D } {
    const { ids, positions, B, T } = this.prepare(tokens);
    return tf.tidy(() => {
      const h = this.trunk(ids, positions, B, T); // [B·T, d]
      const logits = this.head(h); // [B·T, V]
      return {
        hidden: tf.reshape(h, [B, T, this.config.dModel]) as tf.Tensor3D, // [B, T, d]
        logits: tf.reshape(logits, [B, T, this.config.vocabSize]) as tf.Tensor3D, // [B, T, V]
      };
    });
  }

  /**
   * log π(targets[b,t] | tokens[b, ≤t]) [B, T] and the hidden state [B, T, d] from one pass
   * (PPO needs both: log-probs for the ratio, hidden for the value head). Differentiable.
   * At `temperature` ≠ 1 these are the log-probs of softmax(logits / temperature), the
   * distribution that sampling at that temperature draws from.
   */
  logProbsAndHidden(tokens: tf.Tensor2D, targets: tf.Tensor2D, temperature = 1): { logProbs: tf.Tensor2D; hidden: tf.Tensor3D } {
    if (!(temperature > 0)) throw new RangeError(`temperature must be positive, got ${temperature}`);
    if (!tf.util.arraysEqual(tokens.shape, targets.shape)) throw new RangeError(`targets [${targets.shape}] must match tokens [${tokens.shape}]`);
    const { ids, positions, B, T } = this.prepare(tokens);
    return tf.tidy(() => {
      const h = this.trunk(ids, positions, B, T); // [B·T, d]
      const raw = this.head(h); // [B·T, V]
      const logits = temperature === 1 ? raw : (tf.div(raw, temperature) as tf.Tensor2D);
      const flatTargets = tf.cast(tf.reshape(targets, [B * T]), 'int32') as tf.Tensor1D;
      const lp = (this.kernels === 'fast' ? tokenLogProbs : tokenLogProbsReference)(logits, flatTargets); // [B·T]
      return {
        logProbs: tf.reshape(lp, [B, T]) as tf.Tensor2D,
        hidden: tf.reshape(h, [B, T, this.config.dModel]) as tf.Tensor3D,
      };
    });
  }

  /** log π of the given next tokens, [B, T], at `temperature` (see logProbsAndHidden). Differentiable. */
  logProbsOf(tokens: tf.Tensor2D, targets: tf.Tensor2D, temperature = 1): tf.Tensor2D {
    return tf.tidy(() => {
      const { logProbs, hidden } = this.logProbsAndHidden(tokens, targets, temperature);
      hidden.dispose();
      return logProbs;
    });
  }

  /** Batched sampling / greedy decoding with a KV cache (see generate.ts). */
  generate(prompts: number[][], opts: GenerateOptions): GenerateResult {
    return generate(this, prompts, opts);
  }

  /** A deep copy (new variables), e.g. the frozen KL reference. */
  clone(): TransformerLM {
    return new TransformerLM(this.config, { kernels: this.kernels, attentionChunk: this.attentionChunk }, this.vars);
  }

  /** Overwrites this model's weights with another's (same config). */
  copyWeightsFrom(other: TransformerLM): void {
    for (const [name, v] of this.vars) {
      const src = other.vars.get(name);
      if (!src || !tf.util.arraysEqual(src.shape, v.shape)) throw new Error(`copyWeightsFrom: incompatible weight "${name}"`);
      v.assign(src);
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
