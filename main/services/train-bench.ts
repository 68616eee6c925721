/**
 * `spa bench train`: training throughput of the policy transformer (forward + backward +
 * Adam) on the fixed benchmark model (2 layers, width 128, 4 heads, MLP 512, context 256,
 * batch 16 × 256 tokens per process, the ALFWorld tokenizer's vocabulary) and real ALFWorld
 * expert conversations as data.
 *
 * Every measurement runs in child processes (forked with `node --import tsx`), one per core:
 * TF.js wasm is single-threaded in Node. With `processes: n > 1` the children train
 * data-parallel: each computes the gradient of its own 16 sequences, the parent averages the
 * n gradients and sends the mean back, every child applies the same Adam update, and the
 * weights stay bit-identical (checked at the end by hashing them). The step time is the
 * parent's wall clock for the whole round (compute, exchange, update), so the combined rate
 * includes the communication.
 *
 * FLOPs: 3 × forwardFlops(config, 16, 256) per step and process (engine/model/config.ts:
 * matmul multiply-adds × 2, attention over the full T×T square, tied head).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { toChat } from '../../envs/core/conversation';
import { rollout } from '../../envs/core/rollout';
import { ENVIRONMENTS, makeEnv } from '../../envs/registry';
import { initBackend, type BackendPreference } from '../../engine/backend';
import { benchModelConfig, forwardFlops, parameterCount, type ModelConfig } from '../../engine/model/config';
import { lmGradients, lmTrainStep, type TokenBatch } from '../../engine/model/train-step';
import { TransformerLM, type KernelMode } from '../../engine/model/transformer';
import { buildEnvTokenizer, type Tokenizer } from '../../engine/tokenizer';
import { median } from './median';

export const BENCH_BATCH = 16;
export const BENCH_SEQ_LEN = 256;

export const FLOP_FORMULA =
  'per step and process: 3 × [2·(4d² + 2·d·dFF)·B·T·L (qkv, out-proj, MLP) + 4·T²·d·B·L (QKᵀ and P·V over the full T×T square) + 2·d·V·B·T (tied head)]';

export interface TrainBenchOptions {
  /** Data-parallel child processes (default 1). */
  processes?: number;
  /** Backends to measure, each in its own children (default ['auto']: the best available). */
  backends?: BackendPreference[];
  /** 'fast' (default): the custom kernels; 'reference': TF.js built-ins (the stock path). */
  kernels?: KernelMode[];
  /** Timed steps per configuration; the median is reported (default 5). */
  repetitions?: number;
  /** Untimed steps first (JIT, kernel caches, allocator). Default 1. */
  warmup?: number;
  /**
   * Rows per gradient micro-batch inside a process (default 16: none; exact either way, see
   * train-step.ts). Smaller micro-batches were not faster here (2 processes: 2,400 tok/s with
   * 2 rows vs 2,800 with 16): the per-pass overheads outweigh the smaller working set.
   */
  microBatch?: number;
  /** Called with done = 0 first, then once per step of every configuration. */
  onProgress?: (done: number, total: number, detail: string) => void;
}

export interface TrainBenchResult {
  backend: string;
  backendReason: string;
  kernels: KernelMode;
  processes: number;
  model: ModelConfig;
  parameters: number;
  batchPerProcess: number;
  seqLen: number;
  microBatch: number;
  /** Median step time (ms) over the timed repetitions. */
  msPerStep: number;
  stepMs: number[];
  /** Combined over all processes: processes × batch × seqLen / median step time. */
  tokensPerSecond: number;
  /** Combined achieved matmul FLOP rate (see flopFormula). */
  gflopPerSecond: number;
  flopsPerStepPerProcess: number;
  flopFormula: string;
  /** Mean loss of the first and last timed step (the model is learning the data). */
  firstLoss: number;
  lastLoss: number;
  /** processes > 1: every child's weights hash the same after the run. */
  weightsInSync: boolean | null;
  /** 1-minute load average before and after (this machine may be shared). */
  loadAverage: [number, number];
}

// ------------------------------------------------------------------------------------------
// Data: ALFWorld expert conversations, tokenised and cut into next-token windows.
// ------------------------------------------------------------------------------------------

/** Token stream of expert chats (instruction, "OK", task, turns) of the first training tasks. */
function expertStream(tokenizer: Tokenizer, minTokens: number): Int32Array {
  const def = ENVIRONMENTS.alfworld;
  const env = makeEnv('alfworld');
  const ids: number[] = [];
  try {
    for (let i = 0; ids.length < minTokens; i++) {
      const traj = rollout(env, def.createExpert(), { task: def.generator.task('train', i), seed: i, policyName: 'expert' });
      for (const id of tokenizer.encodeChat(toChat(traj, { icl: false }))) ids.push(id);
    }
  } finally {
    env.close();
  }
  return Int32Array.from(ids);
}

/** `count` batches of `rows` windows of T+1 tokens: inputs [0, T), targets [1, T]. */
export function benchBatches(stream: Int32Array, count: number, rows: number, T: number, offset = 0): TokenBatch[] {
  const out: TokenBatch[] = [];
  let pos = offset;
  for (let k = 0; k < count; k++) {
    const tokens = new Int32Array(rows * T);
    const targets = new Int32Array(rows * T);
    for (let r = 0; r < rows; r++) {
      if (pos + T + 1 > stream.length) pos = 0;
      tokens.set(stream.subarray(pos, pos + T), r * T);
      targets.set(stream.subarray(pos + 1, pos + T + 1), r * T);
      pos += T;
    }
    out.push({ tokens, targets, batch: rows, seqLen: T });
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Child process side
// ------------------------------------------------------------------------------------------

type ToWorker =
  | { type: 'init'; backend: BackendPreference; kernels: KernelMode; microBatch: number; config: ModelConfig; batches: TokenBatch[]; shared: boolean }
  | { type: 'step'; index: number }
  | { type: 'apply'; grads: Float32Array[] }
  | { type: 'checksum' }
  | { type: 'exit' };

type FromWorker =
  | { type: 'ready'; backend: string; reason: string }
  | { type: 'grads'; loss: number; grads: Float32Array[] }
  | { type: 'stepped'; loss: number }
  | { type: 'applied' }
  | { type: 'checksum'; value: string }
  | { type: 'error'; message: string };

/** FNV-1a over the bytes of every weight, in order. */
function weightsHash(model: TransformerLM): string {
  let h = 0x811c9dc5;
  for (const v of model.trainableVariables()) {
    const bytes = new Uint8Array((v.dataSync() as Float32Array).slice().buffer);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  }
  return (h >>> 0).toString(16);
}

async function runWorker(): Promise<void> {
  const send = (m: FromWorker) => process.send!(m);
  let model: TransformerLM | null = null;
  let optimizer: tf.Optimizer | null = null;
  let init: Extract<ToWorker, { type: 'init' }> | null = null;
  process.on('disconnect', () => process.exit(0)); // the parent is gone: never linger
  process.on('message', async (msg: ToWorker) => {
    try {
      switch (msg.type) {
        case 'init': {
          init = msg;
          const info = await initBackend(msg.backend);
          model = new TransformerLM(msg.config, { seed: 'bench', kernels: msg.kernels });
          optimizer = tf.train.adam(3e-4);
          send({ type: 'ready', backend: info.backend, reason: info.reason });
          break;
        }
        case 'step': {
          const batch = init!.batches[msg.index % init!.batches.length]!;
          if (!init!.shared) {
            send({ type: 'stepped', loss: lmTrainStep(model!, optimizer!, batch, { microBatch: init!.microBatch }) });
            break;
          }
          const { loss, grads } = lmGradients(model!, batch, init!.microBatch);
          const arrays = model!.trainableVariables().map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array);
          tf.dispose(grads);
          send({ type: 'grads', loss, grads: arrays });
          break;
        }
        case 'apply': {
          const vars = model!.trainableVariables();
          const named: tf.NamedTensorMap = {};
          vars.forEach((v, i) => (named[v.name] = tf.tensor(msg.grads[i] as Float32Array, v.shape)));
          optimizer!.applyGradients(named);
          tf.dispose(Object.values(named));
          send({ type: 'applied' });
          break;
        }
        case 'checksum':
          send({ type: 'checksum', value: weightsHash(model!) });
          break;
        case 'exit':
          process.exit(0);
      }
    } catch (e) {
      send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}

if (process.env.SPA_TRAIN_BENCH_WORKER === '1' && process.send) void runWorker();

// ------------------------------------------------------------------------------------------
// Parent side
// ------------------------------------------------------------------------------------------

class Worker {
  private readonly child: ChildProcess;
  private readonly queue: FromWorker[] = [];
  private waiting: ((m: FromWorker) => void) | null = null;
  private failure: Error | null = null;

  constructor() {
    const require = createRequire(import.meta.url);
    this.child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
      serialization: 'advanced',
      env: { ...process.env, SPA_TRAIN_BENCH_WORKER: '1' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: FromWorker) => this.deliver(m));
    this.child.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`benchmark worker exited with code ${code}`));
    });
    this.child.on('error', (e) => this.fail(e));
  }

  private deliver(m: FromWorker): void {
    if (m.type === 'error') return this.fail(new Error(`benchmark worker: ${m.message}`));
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(m);
    } else this.queue.push(m);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ type: 'error', message: e.message });
    }
  }

  send(m: ToWorker): void {
    this.child.send(m);
  }

  async next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    const m = this.queue.shift() ?? (await new Promise<FromWorker>((resolve) => (this.waiting = resolve)));
    if (this.failure || m.type === 'error') throw this.failure ?? new Error((m as { message: string }).message);
    if (m.type !== type) throw new Error(`benchmark worker: expected ${type}, got ${m.type}`);
    return m as Extract<FromWorker, { type: T }>;
  }

  stop(): void {
    if (this.child.connected) this.child.send({ type: 'exit' } satisfies ToWorker);
    setTimeout(() => this.child.kill(), 2000).unref();
  }
}


async function benchOne(
  backend: BackendPreference,
  kernels: KernelMode,
  processes: number,
  config: ModelConfig,
  stream: Int32Array,
  opts: Required<Pick<TrainBenchOptions, 'repetitions' | 'warmup' | 'microBatch'>>,
  tick: (detail: string) => void,
): Promise<TrainBenchResult> {
  const load0 = loadavg()[0] as number;
  const steps = opts.warmup + opts.repetitions;
  const workers = Array.from({ length: processes }, () => new Worker());
  try {
    workers.forEach((w, i) =>
      w.send({
        type: 'init',
        backend,
        kernels,
        microBatch: opts.microBatch,
        config,
        // Each process reads its own shard of the stream.
        batches: benchBatches(stream, Math.min(steps, 4), BENCH_BATCH, BENCH_SEQ_LEN, i * 4 * BENCH_BATCH * BENCH_SEQ_LEN),
        shared: processes > 1,
      }),
    );
    const ready = await Promise.all(workers.map((w) => w.next('ready')));
    const stepMs: number[] = [];
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const t0 = performance.now();
      workers.forEach((w) => w.send({ type: 'step', index: s }));
      let loss = 0;
      if (processes === 1) {
        loss = (await workers[0]!.next('stepped')).loss;
      } else {
        const all = await Promise.all(workers.map((w) => w.next('grads')));
        const mean = all[0]!.grads.map((g) => new Float32Array(g.length));
        for (const r of all) {
          loss += r.loss / processes;
          r.grads.forEach((g, i) => {
            const m = mean[i]!;
            for (let j = 0; j < g.length; j++) m[j] = (m[j] as number) + (g[j] as number) / processes;
          });
        }
        workers.forEach((w) => w.send({ type: 'apply', grads: mean }));
        await Promise.all(workers.map((w) => w.next('applied')));
      }
      const ms = performance.now() - t0;
      if (s >= opts.warmup) {
        stepMs.push(ms);
        losses.push(loss);
      }
      tick(`${ready[0]!.backend}/${kernels} ×${processes}: step ${s + 1}/${steps} ${ms.toFixed(0)} ms`);
    }
    let weightsInSync: boolean | null = null;
    if (processes > 1) {
      workers.forEach((w) => w.send({ type: 'checksum' }));
      const hashes = await Promise.all(workers.map((w) => w.next('checksum')));
      weightsInSync = hashes.every((h) => h.value === hashes[0]!.value);
    }
    const msPerStep = median(stepMs);
    const flops = 3 * forwardFlops(config, BENCH_BATCH, BENCH_SEQ_LEN);
    return {
      backend: ready[0]!.backend,
      backendReason: ready[0]!.reason,
      kernels,
      processes,
      model: config,
      parameters: parameterCount(config),
      batchPerProcess: BENCH_BATCH,
      seqLen: BENCH_SEQ_LEN,
      microBatch: opts.microBatch,
      msPerStep: Math.round(msPerStep),
      stepMs: stepMs.map(Math.round),
      tokensPerSecond: Math.round((processes * BENCH_BATCH * BENCH_SEQ_LEN * 1000) / msPerStep),
      gflopPerSecond: Math.round(((processes * flops) / msPerStep / 1e6) * 10) / 10,
      flopsPerStepPerProcess: flops,
      flopFormula: FLOP_FORMULA,
      firstLoss: losses[0] as number,
      lastLoss: losses[losses.length - 1] as number,
      weightsInSync,
      loadAverage: [Math.round(load0 * 100) / 100, Math.round((loadavg()[0] as number) * 100) / 100],
    };
  } finally {
    workers.forEach((w) => w.stop());
  }
}

/** Measures training throughput per backend and kernel mode (see the file header). */
export async function benchTrain(options: TrainBenchOptions = {}): Promise<TrainBenchResult[]> {
  const processes = options.processes ?? 1;
  if (!Number.isInteger(processes) || processes < 1) throw new RangeError(`processes must be a positive integer, got ${processes}`);
  const backends = options.backends ?? ['auto'];
  const kernels = options.kernels ?? ['fast'];
  const opts = { repetitions: options.repetitions ?? 5, warmup: options.warmup ?? 1, microBatch: options.microBatch ?? BENCH_BATCH };
  const total = backends.length * kernels.length * (opts.warmup + opts.repetitions);
  options.onProgress?.(0, total, 'ALFWorld tokenizer and expert data');
  const tokenizer = buildEnvTokenizer('alfworld');
  const config = benchModelConfig(tokenizer.vocabSize);
  const stream = expertStream(tokenizer, (processes * 4 + 1) * BENCH_BATCH * BENCH_SEQ_LEN);
  let done = 0;
  const results: TrainBenchResult[] = [];
  for (const backend of backends) {
    for (const k of kernels) {
      results.push(
        await benchOne(backend, k, processes, config, stream, opts, (detail) => options.onProgress?.(++done, total, detail)),
      );
    }
  }
  return results;
}
