/**
 * The TF.js backend ladder: tfjs-node-gpu → tfjs-node → wasm → cpu.
 *
 * The native packages are optional dependencies that cannot install without a libtensorflow
 * download, so they are tried with a dynamic import and their absence is recorded, not
 * fatal. wasm is the portable fast path (single-threaded in Node: run one process per core);
 * cpu is the pure-JS correctness reference. `SPA_BACKEND` overrides the caller's preference.
 *
 * On wasm, matMul and transpose run in the optional native addon when it is built
 * (engine/native/: matMul at ~5× the wasm kernel's GFLOP/s); `SPA_NATIVE=0` keeps the stock
 * kernels. A missing or broken addon only changes `native.reason`: wasm then runs as before.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { disableNativeKernels, enableNativeKernels, type NativeStatus } from './native';

export const BACKEND_PREFERENCES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export interface BackendAttempt {
  /** Ladder rung: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'. */
  name: string;
  /** Why this rung was not used (absent when it was chosen). */
  error?: string;
}

export interface BackendInfo {
  /** The TF.js backend now active (tf.getBackend()): 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  /** One line: why this backend. */
  reason: string;
  tried: BackendAttempt[];
  /** wasm only: whether matMul and transpose run in the native addon, and why (not). */
  native?: NativeStatus;
}

type Rung = Exclude<BackendPreference, 'auto'>;
const LADDER: readonly Rung[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

let wasmPathsSet = false;
let current: { key: string; info: BackendInfo } | null = null;
let pending: { key: string; promise: Promise<BackendInfo> } | null = null;

function isPreference(value: string): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly string[]).includes(value);
}

/** The folder holding the wasm binaries, resolved from the package itself (any cwd works). */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main entry is dist/tf-backend-wasm.node.js; the .wasm files sit beside it.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

/** Imports a native binding by a computed name so bundlers and tsc do not require it. */
async function importOptional(name: string): Promise<void> {
  await import(/* @vite-ignore */ name);
}

async function tryRung(rung: Rung): Promise<void> {
  switch (rung) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      await importOptional(rung === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
      // Both packages register the backend under the name 'tensorflow'.
      if (!(await tf.setBackend('tensorflow'))) throw new Error("backend 'tensorflow' did not initialise");
      return;
    }
    case 'wasm': {
      if (!wasmPathsSet) {
        setWasmPaths(wasmDistDir());
        wasmPathsSet = true;
      }
      // The emscripten glue adds process-wide uncaughtException/unhandledRejection handlers
      // that rethrow from inside the minified glue, so any later uncaught error prints a
      // screenful of it. Node's own handling is the same minus the noise: remove them.
      const before = new Set([...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')]);
      const ok = await tf.setBackend('wasm');
      for (const l of process.listeners('uncaughtException')) if (!before.has(l)) process.removeListener('uncaughtException', l);
      for (const l of process.listeners('unhandledRejection')) if (!before.has(l)) process.removeListener('unhandledRejection', l);
      if (!ok) throw new Error("backend 'wasm' did not initialise");
      return;
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) throw new Error("backend 'cpu' did not initialise");
      return;
    }
  }
}

/** Registers (or, with SPA_NATIVE=0, removes) the native kernels on the wasm backend. */
function nativeKernels(): NativeStatus {
  if (process.env.SPA_NATIVE?.trim() === '0') {
    disableNativeKernels();
    return { loaded: false, reason: 'native sgemm disabled by SPA_NATIVE=0' };
  }
  try {
    return enableNativeKernels();
  } catch (e) {
    disableNativeKernels();
    return { loaded: false, reason: `native sgemm unavailable: ${shortError(e)}` };
  }
}

function shortError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0]!.slice(0, 300);
}

async function climb(preference: BackendPreference): Promise<BackendInfo> {
  const start = preference === 'auto' ? 0 : LADDER.indexOf(preference);
  const tried: BackendAttempt[] = [];
  for (const rung of LADDER.slice(start)) {
    try {
      await tryRung(rung);
      await tf.ready();
      tried.push({ name: rung });
      // Production mode only silences TF.js console warnings (e.g. the cpu backend's
      // "install tfjs-node" banner); it changes no numerics.
      tf.enableProdMode();
      const fellBack = tried.length > 1 ? ` (fell back: ${tried.slice(0, -1).map((t) => t.name).join(', ')} unavailable)` : '';
      const why = preference === 'auto' ? 'best available' : `requested ${preference}`;
      const info: BackendInfo = { backend: tf.getBackend(), reason: `${why}${fellBack}`, tried };
      if (info.backend === 'wasm') {
        info.native = nativeKernels();
        if (info.native.loaded) info.reason += ` + ${info.native.reason}`;
      }
      return info;
    } catch (e) {
      tried.push({ name: rung, error: shortError(e) });
    }
  }
  throw new Error(`No TF.js backend could be initialised: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
}

/**
 * Selects the best available backend (or the preferred one, falling down the ladder when it
 * is unavailable). Idempotent: the same preference returns the same result without
 * re-initialising; a different preference switches. `SPA_BACKEND` wins over the argument.
 */
export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  const fromEnv = process.env.SPA_BACKEND?.trim();
  let pref: BackendPreference = preference;
  if (fromEnv) {
    if (!isPreference(fromEnv)) throw new Error(`SPA_BACKEND="${fromEnv}" is not one of ${BACKEND_PREFERENCES.join(', ')}`);
    pref = fromEnv;
  }
  const key = `${pref}|${fromEnv ?? ''}|${process.env.SPA_NATIVE ?? ''}`;
  if (current && current.key === key && tf.getBackend() === current.info.backend) return current.info;
  if (pending && pending.key === key) return pending.promise;
  const promise = climb(pref).then(
    (info) => {
      const reason = fromEnv ? `${info.reason}; SPA_BACKEND=${fromEnv}` : info.reason;
      const withEnv = { ...info, reason };
      current = { key, info: withEnv };
      pending = null;
      return withEnv;
    },
    (e: unknown) => {
      pending = null;
      throw e;
    },
  );
  pending = { key, promise };
  return promise;
}
