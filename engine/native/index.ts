/**
 * Optional native kernels for the wasm backend, from a Node-API addon built at install by
 * scripts/build-native.mjs, working directly on the wasm heap:
 * - replacements of two stock kernels: 'BatchMatMul' by a C GEMM (sgemm.c) and 'Transpose' by
 *   a tiled copy (transpose.c);
 * - fused ops with no stock counterpart (fused.c, registered by fused-kernels.ts): causal
 *   attention, LayerNorm, GELU and token log-probs, forward and backward, which the model's ops
 *   use while these kernels are enabled (engine/model/ops/);
 * - the KV-cache attention of generation (attentionDecode), on plain JS typed arrays.
 *
 * Why: on wasm, matMul was ~2/3 of a training step (tfjs-wasm's XNNPACK path reaches 10–13
 * GFLOP/s on our shapes, a register-blocked AVX-512 kernel on the same core 40–90), and what
 * remained was per-kernel overhead and JS copies around many small kernels (engine/model/README.md).
 *
 * Zero copy: tensors on the wasm backend are byte ranges of one WebAssembly.Memory, so a
 * kernel allocates its outputs with backend.makeOutput and hands the addon the heap's
 * ArrayBuffer and byte offsets. The buffer is read after makeOutput on every call: a malloc
 * that grows the heap replaces it (the old one is detached).
 *
 * Anything the replaced kernels do not cover (non-float32 products, batch shapes that need real
 * broadcasting, permutations that are not a swap of two axis groups, empty tensors, a
 * SharedArrayBuffer heap) goes to the original wasm kernel, kept from tf.getKernel; with the
 * addon absent or disabled the model's ops run their TF.js formulations, so behaviour never
 * depends on the addon being present.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { registerFusedKernels, unregisterFusedKernels } from './fused-kernels';
import { heapOf, offsetOf, type WasmBackendLike } from './wasm-heap';

export interface NativeAddon {
  /** C = op(A)·op(B) per batch entry; offsets in bytes, strides in elements (0 = broadcast). See addon.c. */
  sgemm(
    heap: ArrayBuffer,
    aOff: number, bOff: number, cOff: number,
    batch: number, m: number, n: number, k: number,
    transA: number, transB: number, aStride: number, bStride: number,
  ): void;
  /** out[b][c][r][0:elem] = in[b][r][c][0:elem] for 4-byte elements; offsets in bytes. */
  transpose(heap: ArrayBuffer, inOff: number, outOff: number, batch: number, rows: number, cols: number, elem: number): void;
  /** The fused ops of fused.c (offsets in bytes, then sizes); see addon.c and fused-kernels.ts. */
  attentionForward(heap: ArrayBuffer, qkvOff: number, outOff: number, lseOff: number, batch: number, seqLen: number, nHeads: number, headDim: number): void;
  attentionBackward(heap: ArrayBuffer, qkvOff: number, lseOff: number, dyOff: number, dqkvOff: number, batch: number, seqLen: number, nHeads: number, headDim: number): void;
  layerNormForward(heap: ArrayBuffer, xOff: number, gOff: number, bOff: number, yOff: number, meanOff: number, rstdOff: number, rows: number, d: number, eps: number): void;
  layerNormBackward(heap: ArrayBuffer, xOff: number, gOff: number, meanOff: number, rstdOff: number, dyOff: number, dxOff: number, dgOff: number, dbOff: number, rows: number, d: number): void;
  geluForward(heap: ArrayBuffer, xOff: number, yOff: number, n: number): void;
  geluBackward(heap: ArrayBuffer, xOff: number, dyOff: number, dxOff: number, n: number): void;
  logProbsForward(heap: ArrayBuffer, logitsOff: number, targetsOff: number, lpOff: number, lseOff: number, rows: number, vocab: number): void;
  logProbsBackward(heap: ArrayBuffer, logitsOff: number, targetsOff: number, lseOff: number, dyOff: number, dlOff: number, rows: number, vocab: number): void;
  /**
   * Generation: writes each row's new k and v into the caches at its position, then attends over
   * positions 0..t of its slot (see fused.c). Caches: k [slot][head][dh][context] (transposed), v [slot][head][context][dh].
   */
  attentionDecode(qkv: Float32Array, out: Float32Array, k: Float32Array, v: Float32Array, slots: Int32Array, positions: Int32Array, nHeads: number, context: number): void;
  /** The vector ISA it was compiled for: 'avx512', 'avx2' or 'generic-128'. */
  isa: string;
}

export interface NativeStatus {
  /** The native kernels are registered for the wasm backend. */
  loaded: boolean;
  /** One line: what runs, or why the addon is not used. */
  reason: string;
}

/**
 * build/native/spa_native.node at the repository root. This file sits two levels below it
 * (engine/native/) in source, and electron-vite's bundle (out/main/) is two levels below too.
 */
export function addonPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'native', 'spa_native.node');
}

let loaded: { addon: NativeAddon | null; reason: string } | null = null;

/** Loads the addon once; null with the reason when it is not built or does not load. */
export function loadNativeAddon(): { addon: NativeAddon | null; reason: string } {
  if (loaded) return loaded;
  const file = addonPath();
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    if (typeof addon.sgemm !== 'function' || typeof addon.transpose !== 'function' || typeof addon.attentionForward !== 'function') throw new Error('an addon from another version: rebuild it (npm run build:native)');
    loaded = { addon, reason: `native sgemm (${addon.isa})` };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'MODULE_NOT_FOUND' ? 'not built (npm run build:native)' : (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
    loaded = { addon: null, reason: `native sgemm unavailable: ${why}` };
  }
  return loaded;
}

/** The stock wasm kernels while ours are registered. */
const originals = new Map<string, tf.KernelConfig>();

function matMulKernel(addon: NativeAddon, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as unknown as WasmBackendLike;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const ar = a.shape.length;
    const br = b.shape.length;
    const m = a.shape[transposeA ? ar - 1 : ar - 2]!;
    const k = a.shape[transposeA ? ar - 2 : ar - 1]!;
    const kb = b.shape[transposeB ? br - 1 : br - 2]!;
    const n = b.shape[transposeB ? br - 2 : br - 1]!;
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const batch = Math.max(batchA, batchB);
    // Batch dims: equal, or one side a single matrix (stride 0). [2,1] × [1,3]-style
    // broadcasting, shape errors and empty products are the original kernel's business.
    if (k !== kb || (batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1) || batch * m * n * k === 0) return fallback(args);
    let outer: number[];
    try {
      outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    } catch {
      return fallback(args);
    }
    if (tf.util.sizeFromShape(outer) !== batch) return fallback(args);
    const out = backend.makeOutput([...outer, m, n], 'float32');
    const heap = heapOf(backend);
    if (!heap) {
      (args.backend as tf.KernelBackend).disposeData(out.dataId);
      return fallback(args);
    }
    addon.sgemm(heap, offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out), batch, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n);
    return out;
  };
}

/**
 * A permutation as out[b][c][r][e] = in[b][r][c][e] ([batch, rows, cols, elem]), or null.
 * Size-1 axes are dropped and runs of axes that stay adjacent and in order are merged; what
 * is left must be a swap of two groups, with an optional leading (batch) and trailing (elem)
 * group kept in place: [1,0], [0,2,1], [1,0,2] or [0,2,1,3]. The identity is left to the
 * stock kernel (it clones).
 */
export function transposePlan(shape: number[], perm: number[]): [number, number, number, number] | null {
  const kept = shape.map((_, i) => i).filter((i) => shape[i] !== 1);
  const dims = kept.map((i) => shape[i]!);
  const p = perm.filter((a) => shape[a] !== 1).map((a) => kept.indexOf(a));
  const groups: number[][] = []; // output order; each group is consecutive input axes
  for (const a of p) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1]! + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((x, y) => x[0]! - y[0]!); // the collapsed input axes
  const q = groups.map((g) => byInput.indexOf(g)).join(); // the collapsed permutation
  const s = byInput.map((g) => g.reduce((n, a) => n * dims[a]!, 1)); // the collapsed input shape
  switch (q) {
    case '1,0':
      return [1, s[0]!, s[1]!, 1];
    case '0,2,1':
      return [s[0]!, s[1]!, s[2]!, 1];
    case '1,0,2':
      return [1, s[0]!, s[1]!, s[2]!];
    case '0,2,1,3':
      return [s[0]!, s[1]!, s[2]!, s[3]!];
    default:
      return null;
  }
}

function transposeKernel(addon: NativeAddon, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { perm } = args.attrs as { perm: number[] };
    const backend = args.backend as unknown as WasmBackendLike;
    // 4-byte elements only (bool is 1 byte, complex64 and string are not plain buffers).
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || tf.util.sizeFromShape(x.shape) === 0) return fallback(args);
    const plan = transposePlan(x.shape, perm);
    if (!plan) return fallback(args);
    const out = backend.makeOutput(perm.map((a) => x.shape[a]!), x.dtype);
    const heap = heapOf(backend);
    if (!heap) {
      (args.backend as tf.KernelBackend).disposeData(out.dataId);
      return fallback(args);
    }
    addon.transpose(heap, offsetOf(backend, x), offsetOf(backend, out), ...plan);
    return out;
  };
}

const KERNELS: [string, (addon: NativeAddon, fallback: tf.KernelFunc) => tf.KernelFunc][] = [
  ['BatchMatMul', matMulKernel],
  ['Transpose', transposeKernel],
];

/**
 * Registers the native kernels for the 'wasm' backend (idempotent). The wasm kernels must be
 * registered already (importing @tensorflow/tfjs-backend-wasm does it).
 */
export function enableNativeKernels(): NativeStatus {
  const { addon, reason } = loadNativeAddon();
  if (!addon) return { loaded: false, reason };
  for (const [name, make] of KERNELS) {
    if (originals.has(name)) continue;
    const config = tf.getKernel(name, 'wasm');
    if (!config) {
      disableNativeKernels();
      return { loaded: false, reason: `native sgemm unavailable: no wasm ${name} kernel to replace` };
    }
    originals.set(name, config);
    tf.unregisterKernel(name, 'wasm');
    // Keep the original's setupFunc (it binds the wasm function the fallback calls) and disposeFunc.
    tf.registerKernel({ ...config, kernelFunc: make(addon, config.kernelFunc) });
  }
  registerFusedKernels(addon);
  return { loaded: true, reason };
}

/** Puts the stock wasm kernels back (SPA_NATIVE=0, tests). */
export function disableNativeKernels(): void {
  unregisterFusedKernels();
  for (const [name, config] of originals) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
  originals.clear();
}

export function nativeKernelsEnabled(): boolean {
  return originals.size > 0;
}

/** The addon while the native kernels are enabled (for calls outside TF.js, e.g. the KV cache), else null. */
export function enabledAddon(): NativeAddon | null {
  return nativeKernelsEnabled() ? loadNativeAddon().addon : null;
}
