/**
 * The fused ops of fused.c as TF.js kernels of the wasm backend ('SpaAttention',
 * 'SpaLayerNormGrad', …). They have no stock counterpart: engine/native/fused-ops.ts runs
 * them (through tf.engine().runKernel, so TF.js tracks their outputs like any tensor) only
 * while they are registered and wasm is the active backend, and the model's ops fall back to
 * their TF.js formulation otherwise.
 *
 * Each kernel allocates its outputs with makeOutput first, then reads the heap (a malloc may
 * have grown and replaced it) and passes the addon byte offsets: nothing is copied.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from './index';
import { heapOf, offsetOf, type WasmBackendLike } from './wasm-heap';

export const FUSED = {
  attention: 'SpaAttention',
  attentionGrad: 'SpaAttentionGrad',
  layerNorm: 'SpaLayerNorm',
  layerNormGrad: 'SpaLayerNormGrad',
  gelu: 'SpaGelu',
  geluGrad: 'SpaGeluGrad',
  logProbs: 'SpaLogProbs',
  logProbsGrad: 'SpaLogProbsGrad',
} as const;

type Outputs = [number[], tf.DataType][];

/**
 * A kernel that allocates `outputs(inputs, attrs)` and calls `run(heap, offsets of the inputs
 * in `order`, offsets of the outputs, attrs)`.
 */
function kernel(
  order: string[],
  outputs: (inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>) => Outputs,
  run: (heap: ArrayBuffer, ins: number[], outs: number[], attrs: Record<string, unknown>, inputs: Record<string, tf.TensorInfo>) => void,
): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as unknown as WasmBackendLike;
    const inputs = args.inputs as Record<string, tf.TensorInfo>;
    const attrs = (args.attrs ?? {}) as Record<string, unknown>;
    // Checked before allocating (a heap stays shared or not as it grows), so a refusal leaks nothing.
    if (!heapOf(backend)) throw new Error('native fused ops: the wasm heap is a SharedArrayBuffer (threaded wasm is not supported)');
    const outs = outputs(inputs, attrs).map(([shape, dtype]) => backend.makeOutput(shape, dtype));
    const offset = (t: tf.TensorInfo): number => offsetOf(backend, t);
    try {
      run(heapOf(backend)!, order.map((name) => offset(inputs[name]!)), outs.map(offset), attrs, inputs);
    } catch (e) {
      // The addon refused (a target id out of range, out of memory): free what was allocated for it.
      for (const out of outs) (args.backend as tf.KernelBackend).disposeData(out.dataId);
      throw e;
    }
    return outs.length === 1 ? outs[0]! : outs;
  };
}

function kernels(addon: NativeAddon): [string, tf.KernelFunc][] {
  const f32 = 'float32' as const;
  return [
    [
      FUSED.attention, // qkv [B·T, 3d] → out [B·T, d], lse [B·H·T]
      kernel(
        ['qkv'],
        ({ qkv }, { nHeads }) => [
          [[qkv!.shape[0]!, qkv!.shape[1]! / 3], f32],
          [[qkv!.shape[0]! * (nHeads as number)], f32],
        ],
        (heap, [qkv], [out, lse], { batch, seqLen, nHeads }, { qkv: q }) =>
          addon.attentionForward(heap, qkv!, out!, lse!, batch as number, seqLen as number, nHeads as number, q!.shape[1]! / 3 / (nHeads as number)),
      ),
    ],
    [
      FUSED.attentionGrad, // qkv, lse, dy → dqkv
      kernel(
        ['qkv', 'lse', 'dy'],
        ({ qkv }) => [[qkv!.shape.slice(), f32]],
        (heap, [qkv, lse, dy], [dqkv], { batch, seqLen, nHeads }, { qkv: q }) =>
          addon.attentionBackward(heap, qkv!, lse!, dy!, dqkv!, batch as number, seqLen as number, nHeads as number, q!.shape[1]! / 3 / (nHeads as number)),
      ),
    ],
    [
      FUSED.layerNorm, // x [N, d], g, b → y, mean [N], rstd [N]
      kernel(
        ['x', 'g', 'b'],
        ({ x }) => [
          [x!.shape.slice(), f32],
          [[x!.shape[0]!], f32],
          [[x!.shape[0]!], f32],
        ],
        (heap, [x, g, b], [y, mean, rstd], { eps }, { x: xi }) => addon.layerNormForward(heap, x!, g!, b!, y!, mean!, rstd!, xi!.shape[0]!, xi!.shape[1]!, eps as number),
      ),
    ],
    [
      FUSED.layerNormGrad, // x, g, mean, rstd, dy → dx, dg, db
      kernel(
        ['x', 'g', 'mean', 'rstd', 'dy'],
        ({ x }) => [
          [x!.shape.slice(), f32],
          [[x!.shape[1]!], f32],
          [[x!.shape[1]!], f32],
        ],
        (heap, [x, g, mean, rstd, dy], [dx, dg, db], _attrs, { x: xi }) => addon.layerNormBackward(heap, x!, g!, mean!, rstd!, dy!, dx!, dg!, db!, xi!.shape[0]!, xi!.shape[1]!),
      ),
    ],
    [
      FUSED.gelu,
      kernel(
        ['x'],
        ({ x }) => [[x!.shape.slice(), f32]],
        (heap, [x], [y], _attrs, { x: xi }) => addon.geluForward(heap, x!, y!, tf.util.sizeFromShape(xi!.shape)),
      ),
    ],
    [
      FUSED.geluGrad,
      kernel(
        ['x', 'dy'],
        ({ x }) => [[x!.shape.slice(), f32]],
        (heap, [x, dy], [dx], _attrs, { x: xi }) => addon.geluBackward(heap, x!, dy!, dx!, tf.util.sizeFromShape(xi!.shape)),
      ),
    ],
    [
      FUSED.logProbs, // logits [N, V], targets [N] int32 → lp [N], lse [N]
      kernel(
        ['logits', 'targets'],
        ({ logits }) => [
          [[logits!.shape[0]!], f32],
          [[logits!.shape[0]!], f32],
        ],
        (heap, [logits, targets], [lp, lse], _attrs, { logits: l }) => addon.logProbsForward(heap, logits!, targets!, lp!, lse!, l!.shape[0]!, l!.shape[1]!),
      ),
    ],
    [
      FUSED.logProbsGrad, // logits, targets, lse, dy → dlogits
      kernel(
        ['logits', 'targets', 'lse', 'dy'],
        ({ logits }) => [[logits!.shape.slice(), f32]],
        (heap, [logits, targets, lse, dy], [dl], _attrs, { logits: l }) => addon.logProbsBackward(heap, logits!, targets!, lse!, dy!, dl!, l!.shape[0]!, l!.shape[1]!),
      ),
    ],
  ];
}

let registered = false;

/** Registers the fused kernels for the wasm backend (idempotent). */
export function registerFusedKernels(addon: NativeAddon): void {
  if (registered) return;
  for (const [kernelName, kernelFunc] of kernels(addon)) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  registered = true;
}

export function unregisterFusedKernels(): void {
  if (!registered) return;
  for (const name of Object.values(FUSED)) tf.unregisterKernel(name, 'wasm');
  registered = false;
}

/** The fused ops can run now: registered, and wasm is the active backend. */
export function fusedKernelsActive(): boolean {
  return registered && tf.getBackend() === 'wasm';
}
