/**
 * The policy's shape. A pre-LayerNorm GPT (GPT-2 / nanoGPT layout): learned token and
 * position embeddings, nLayers × [LN → causal self-attention → residual, LN → MLP(GELU) →
 * residual], a final LN, and an output head tied to the token embedding (logits = h·wteᵀ;
 * tying halves the embedding parameters and is what GPT-2 and nanoGPT do).
 */
export interface ModelConfig {
  /** Tokenizer vocabulary size (rows of the token embedding and the tied head). */
  vocabSize: number;
  /** Residual stream width d. */
  dModel: number;
  nLayers: number;
  /** Attention heads; dModel must be divisible by it. */
  nHeads: number;
  /** MLP hidden width (GPT uses 4·dModel). */
  dFF: number;
  /** Maximum sequence length (rows of the position embedding). */
  context: number;
}

/** The fixed benchmark model of `spa bench train` / `spa bench rollout` (vocabulary: the ALFWorld tokenizer's). */
export function benchModelConfig(vocabSize: number): ModelConfig {
  return { vocabSize, dModel: 128, nLayers: 2, nHeads: 4, dFF: 512, context: 256 };
}

export function validateConfig(c: ModelConfig): ModelConfig {
  for (const key of ['vocabSize', 'dModel', 'nLayers', 'nHeads', 'dFF', 'context'] as const) {
    const v = c[key];
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`ModelConfig.${key} must be a positive integer, got ${v}`);
  }
  if (c.dModel % c.nHeads !== 0) throw new RangeError(`ModelConfig.dModel (${c.dModel}) must be divisible by nHeads (${c.nHeads})`);
  return c;
}

/** Parameter count (tied head; the value/progress heads are separate). */
export function parameterCount(c: ModelConfig): number {
  const d = c.dModel;
  const perLayer = 2 * 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * c.dFF + c.dFF) + (c.dFF * d + d);
  return c.vocabSize * d + c.context * d + c.nLayers * perLayer + 2 * d;
}

/**
 * Matmul FLOPs of one forward pass over B sequences of T tokens, counting 2 FLOPs per
 * multiply-add of every matrix product the model performs:
 *   per token and layer: 2·(3d² + d² + 2·d·dFF)   (qkv, output projection, MLP)
 *   per sequence and layer: 2·2·T²·d              (QKᵀ and P·V over the full T×T square, as computed)
 *   per token: 2·d·V                               (tied output head)
 * Embedding lookups, LayerNorm, softmax and elementwise work are not counted. A training
 * step (forward + backward) is 3× the forward.
 */
export function forwardFlops(c: ModelConfig, batch: number, seqLen: number): number {
  const d = c.dModel;
  const tokens = batch * seqLen;
  const linear = 2 * (4 * d * d + 2 * d * c.dFF) * tokens * c.nLayers;
  const attention = 2 * 2 * seqLen * seqLen * d * batch * c.nLayers;
  const head = 2 * d * c.vocabSize * tokens;
  return linear + attention + head;
}
