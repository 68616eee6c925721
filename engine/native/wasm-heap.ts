/**
 * How a native kernel reaches a tfjs-backend-wasm tensor: every tensor is a byte range of the
 * backend's one WebAssembly.Memory, so the addon gets the heap's ArrayBuffer and byte offsets.
 */
import type * as tf from '@tensorflow/tfjs';

/** The slice of tfjs-backend-wasm's BackendWasm a kernel uses (its .d.ts lacks HEAPU8). */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

/** Heap byte offset of a tensor's data. */
export function offsetOf(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

/**
 * The heap, to be read after the outputs' makeOutput (a malloc may have grown and so replaced
 * the buffer); null for a SharedArrayBuffer (threaded wasm), which the addon does not take.
 */
export function heapOf(backend: WasmBackendLike): ArrayBuffer | null {
  const heap = backend.wasm.HEAPU8.buffer;
  return heap instanceof ArrayBuffer ? heap : null;
}
