/**
 * Tensors ↔ the standard TF.js weights format: a `model.json` whose `weightsManifest` lists
 * `.bin` shards, as tf.io writes them (tf.io.encodeWeights / decodeWeights). Model variables
 * are group "model" and optimizer slots group "optimizer", the grouping tfjs-layers uses when
 * it saves an optimizer with a model, all in one byte stream split into shards.
 *
 * There is no Layers topology (`modelTopology: null`): the engine's model is a set of named
 * variables, and its architecture lives in model-config.json next to it.
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs-core's NamedTensor (what getWeights() returns), which the tfjs package does not re-export. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export const MODEL_JSON = 'model.json';
export const MODEL_FORMAT = 'spa-studio/variables';
/** The TF.js converter's default shard size. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

/**
 * An optimizer's state: `getWeights()` in its order (setWeights() depends on it: Adam keeps
 * its moments by position, not by name) plus what getWeights() leaves out. Adam rebuilds its
 * running β-powers as pow(β, iter+1) in setWeights(), while training multiplies them step by
 * step; the two differ in the last float32 bits, so the exact values are kept in `extras`.
 */
export interface OptimizerState {
  className: string;
  config: Record<string, unknown>;
  weights: NamedTensor[];
  extras: Record<string, number>;
}

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  generatedBy: string;
  convertedBy: null;
  modelTopology: null;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  userDefinedMetadata: {
    step: number;
    optimizer: { className: string; config: Record<string, unknown>; extras: Record<string, number> } | null;
  };
}

export interface EncodedWeights {
  modelJson: ModelJson;
  shards: { name: string; data: Uint8Array }[];
}

const ADAM_EXTRAS = ['accBeta1', 'accBeta2'] as const;

/** Reads an optimizer's full state. Disposes nothing the optimizer owns. */
export async function captureOptimizer(optimizer: tf.Optimizer): Promise<OptimizerState> {
  const weights = await optimizer.getWeights(); // throws for optimizers without it (Adamax)
  const extras: Record<string, number> = {};
  const hidden = optimizer as unknown as Record<string, unknown>;
  for (const key of ADAM_EXTRAS) {
    const v = hidden[key];
    if (v instanceof tf.Variable) extras[key] = (await v.data())[0] as number;
  }
  return { className: optimizer.getClassName(), config: optimizer.getConfig() as Record<string, unknown>, weights, extras };
}

/**
 * Puts a saved state into a freshly built optimizer of the same class. `variables` (the
 * trainable variables, in gradient order) lets Adam's positional slots be checked against them.
 */
export async function restoreOptimizer(optimizer: tf.Optimizer, state: OptimizerState, variables?: readonly { readonly shape: readonly number[] }[]): Promise<void> {
  if (optimizer.getClassName() !== state.className) {
    throw new Error(`checkpoint holds ${state.className} state; cannot restore it into ${optimizer.getClassName()}`);
  }
  // Adam keeps its slots by position ([iter, m of each variable, v of each variable]), and the
  // slot names are TF.js auto names (variable ids) that differ for the same model built twice in
  // one process. So the check is structural: one m and one v per variable, each of its shape.
  if (variables && state.className === 'Adam') {
    const n = variables.length;
    const slots = state.weights;
    const shapeOf = (i: number) => `[${(slots[i]?.tensor.shape ?? []).join(',')}]`;
    const problem =
      slots.length !== 1 + 2 * n
        ? `${(slots.length - 1) / 2} variables' slots for ${n} variables`
        : variables
            .map((v, i) => ({ want: `[${v.shape.join(',')}]`, m: shapeOf(1 + i), v: shapeOf(1 + n + i), i }))
            .filter((x) => x.m !== x.want || x.v !== x.want)
            .map((x) => `variable ${x.i} is ${x.want}, its saved slots are m ${x.m}, v ${x.v}`)[0];
    if (problem) throw new Error(`Adam state does not fit the variables it is restored into: ${problem}`);
  }
  await optimizer.setWeights(state.weights);
  const hidden = optimizer as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(state.extras)) {
    const v = hidden[key];
    if (!(v instanceof tf.Variable)) throw new Error(`${state.className} has no "${key}" to restore`);
    tf.tidy(() => v.assign(tf.scalar(value, v.dtype)));
  }
}

/** Variables to save: a name → tensor map (object or Map), or tf.Variables named by `.name`. */
export type WeightsInput = tf.NamedTensorMap | ReadonlyMap<string, tf.Tensor> | readonly tf.Variable[];

function toNamed(weights: WeightsInput): NamedTensor[] {
  if (weights instanceof Map) return [...(weights as ReadonlyMap<string, tf.Tensor>)].map(([name, tensor]) => ({ name, tensor }));
  if (Array.isArray(weights)) return (weights as readonly tf.Variable[]).map((v) => ({ name: v.name, tensor: v }));
  return Object.entries(weights as tf.NamedTensorMap).map(([name, tensor]) => ({ name, tensor }));
}

export async function encodeCheckpointWeights(
  step: number,
  weights: WeightsInput,
  optimizer: OptimizerState | null,
  shardBytes = DEFAULT_SHARD_BYTES,
): Promise<EncodedWeights> {
  const model = toNamed(weights);
  const slots = optimizer?.weights ?? [];
  const seen = new Set<string>();
  for (const { name } of [...model, ...slots]) {
    if (!name) throw new Error('every saved tensor needs a name');
    if (seen.has(name)) throw new Error(`two saved tensors are both named "${name}"`);
    seen.add(name);
  }
  const m = await tf.io.encodeWeights(model, 'model');
  const o = await tf.io.encodeWeights(slots, 'optimizer');
  const all = new Uint8Array(m.data.byteLength + o.data.byteLength);
  all.set(new Uint8Array(m.data), 0);
  all.set(new Uint8Array(o.data), m.data.byteLength);

  const count = Math.max(1, Math.ceil(all.byteLength / shardBytes));
  const shards = [];
  for (let i = 0; i < count; i++) {
    shards.push({ name: `group1-shard${i + 1}of${count}.bin`, data: all.subarray(i * shardBytes, Math.min(all.byteLength, (i + 1) * shardBytes)) });
  }
  const modelJson: ModelJson = {
    format: MODEL_FORMAT,
    generatedBy: `SPA Studio, TensorFlow.js ${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: null,
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: [...m.specs, ...o.specs] }],
    userDefinedMetadata: {
      step,
      optimizer: optimizer ? { className: optimizer.className, config: optimizer.config, extras: optimizer.extras } : null,
    },
  };
  return { modelJson, shards };
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Bytes a weights group must hold; refuses what we never write (strings, quantized). */
export function expectedGroupBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const s of specs) {
    const per = DTYPE_BYTES[s.dtype];
    if (per === undefined || s.quantization) throw new Error(`unsupported weight encoding for "${s.name}" (${s.dtype})`);
    total += s.shape.reduce((a, b) => a * b, 1) * per;
  }
  return total;
}

/** Decodes verified shard bytes into fresh tensors (the caller owns and disposes them). */
export function decodeCheckpointWeights(
  modelJson: ModelJson,
  files: ReadonlyMap<string, Uint8Array>,
): { weights: tf.NamedTensorMap; optimizer: OptimizerState | null } {
  // Check every group before decoding any, so a bad file cannot leave tensors half-made.
  const groups = modelJson.weightsManifest.map((group) => {
    const parts = group.paths.map((p) => files.get(p));
    if (parts.some((p) => p === undefined)) throw new Error(`a shard of model.json is not among the checked files`);
    const size = parts.reduce((a, p) => a + (p as Uint8Array).byteLength, 0);
    const need = expectedGroupBytes(group.weights);
    if (size !== need) throw new Error(`weights need ${need} bytes but the shards hold ${size}`);
    return { specs: group.weights, parts: parts as Uint8Array[], size };
  });
  const weights: tf.NamedTensorMap = {};
  const slots: NamedTensor[] = [];
  for (const { specs, parts, size } of groups) {
    const joined = new Uint8Array(size);
    let off = 0;
    for (const p of parts) {
      joined.set(p, off);
      off += p.byteLength;
    }
    const decoded = tf.io.decodeWeights(joined.buffer, specs);
    for (const spec of specs) {
      const t = decoded[spec.name] as tf.Tensor;
      if (spec.group === 'optimizer') slots.push({ name: spec.name, tensor: t });
      else weights[spec.name] = t;
    }
  }
  const meta = modelJson.userDefinedMetadata.optimizer;
  const optimizer = meta ? { className: meta.className, config: meta.config, extras: meta.extras, weights: slots } : null;
  if (!optimizer) tf.dispose(slots.map((s) => s.tensor));
  return { weights, optimizer };
}

/**
 * Copies saved tensors into live variables, by name; every variable must be present with
 * the same shape and dtype (a mismatch means a different model config, not a resume).
 */
export function assignWeights(
  variables: Record<string, tf.Variable> | ReadonlyMap<string, tf.Variable> | readonly tf.Variable[],
  weights: tf.NamedTensorMap,
): void {
  const named: (readonly [string, tf.Variable])[] =
    variables instanceof Map
      ? [...(variables as ReadonlyMap<string, tf.Variable>)]
      : Array.isArray(variables)
        ? (variables as readonly tf.Variable[]).map((v) => [v.name, v] as const)
        : Object.entries(variables as Record<string, tf.Variable>);
  const problems: string[] = [];
  for (const [name, v] of named) {
    const t = weights[name];
    if (!t) problems.push(`"${name}" is not in the checkpoint`);
    else if (t.dtype !== v.dtype || t.shape.join(',') !== v.shape.join(',')) {
      problems.push(`"${name}" is ${t.dtype}[${t.shape}] in the checkpoint, ${v.dtype}[${v.shape}] in the model`);
    }
  }
  const extra = Object.keys(weights).filter((n) => !named.some(([k]) => k === n));
  if (extra.length) problems.push(`the checkpoint has variables the model lacks: ${extra.join(', ')}`);
  if (problems.length) throw new Error(`checkpoint does not fit the model: ${problems.join('; ')}`);
  for (const [name, v] of named) v.assign(weights[name] as tf.Tensor);
}
