/**
 * A stage worker's environments, run in a worker thread of their own (env-thread.ts) so that a
 * step that hangs or runs past its time limit can be abandoned and the run go on. Environments
 * are synchronous, and so is this: each call posts a request and blocks on Atomics.wait for at
 * most the step time limit. On a timeout the thread is terminated (V8 stops even a tight loop),
 * the call throws `EnvStepTimeout` — the training stages record it as that episode's
 * environment error, counted against the stage's error limit — and a fresh thread starts.
 * The other episodes that lived in the old thread are rebuilt there by replaying their reset
 * and steps: the environments are deterministic given task, seed and actions (reliability #25
 * checks exactly that), so they continue as if nothing happened.
 *
 * Cost: about 70 µs more per call (ALFWorld expert episodes, 1,896 steps: 31–61 µs per step in
 * this thread, 105–126 µs through the environment thread), against milliseconds of generation per
 * agent turn. The thread starts in ~1.2 s from the TypeScript source (tsx), much less bundled.
 * Without `isolateEnvironments` (tests, tools, benchmarks) `createEnv` is plain `makeEnv`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { EnvName, ResetOptions, ResetResult, StepResult, TaskBase, TextEnv } from '../../envs/core/types';
import { makeEnv } from '../../envs/registry';
import type { EnvCall, EnvReply, EnvRequest, EnvShape, EnvValue } from './env-protocol';
import { pulse } from './heartbeat';

/** Longest single Atomics.wait (ms): the caller pulses between waits. */
const WAIT_SLICE_MS = 100;

/** A call that did not answer within its limit: the environment was abandoned. */
export class EnvStepTimeout extends Error {
  constructor(
    readonly op: string,
    readonly limitMs: number,
  ) {
    super(`environment ${op} did not return within ${limitMs} ms; abandoned (its thread was stopped)`);
    this.name = 'EnvStepTimeout';
  }
}

/** The environment thread could not start (a packaging problem, say): the stages fall back to their own thread. */
export class EnvThreadUnavailable extends Error {
  constructor(reason: string) {
    super(`the environment thread could not start: ${reason}`);
    this.name = 'EnvThreadUnavailable';
  }
}

/** An environment's own exception, carried across the thread with its name and stack. */
class EnvThreadError extends Error {
  constructor(e: { name: string; message: string; stack: string }) {
    super(e.message);
    this.name = e.name;
    this.stack = e.stack || `${e.name}: ${e.message}`;
  }
}

/**
 * The thread's entry: in a checkout, a small .mjs that registers tsx in the thread and imports
 * the TypeScript source (`entry`); in a build, the bundled file beside the forked worker entry.
 */
export function envThreadEntry(): { file: string; entry: string | null } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { file: join(dirname(here), 'env-thread-dev.mjs'), entry: pathToFileURL(join(dirname(here), 'env-thread.ts')).href };
  // Bundled: this code may sit in a shared chunk; the thread entry is beside the forked entry (out/main/).
  // In a packaged app that is inside app.asar; electron-builder.yml unpacks out/main/ so the thread
  // loads real files (whether Node's workers read asar archives is not something to count on).
  const file = join(dirname(process.argv[1] ?? here), 'env-thread.js');
  const unpacked = file.replace(/\.asar([\\/])/, '.asar.unpacked$1');
  return { file: unpacked !== file && existsSync(unpacked) ? unpacked : file, entry: null };
}

export interface EnvHostOptions {
  /** Wall-time limit of one call (reset, step, …) in ms. */
  stepTimeoutMs: number;
  /** Time the thread may take to start (module loading) in ms. Default 30 s. */
  startTimeoutMs?: number;
  /** A module the thread imports before it serves (fault-injection tests). */
  preload?: string | null;
}

class EnvThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly word: Int32Array;
  private seq = 0;

  constructor(opts: EnvHostOptions) {
    const signal = new SharedArrayBuffer(4);
    this.word = new Int32Array(signal);
    Atomics.store(this.word, 0, -1);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const entry = envThreadEntry();
    if (!existsSync(entry.file)) throw new EnvThreadUnavailable(`no ${entry.file}`);
    this.worker = new Worker(entry.file, {
      workerData: { entry: entry.entry, port: port2, signal, preload: opts.preload ?? null },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.worker.on('error', () => undefined); // a start failure surfaces as the handshake's error or timeout
    try {
      this.await(0, opts.startTimeoutMs ?? 30_000, 'start');
    } catch (e) {
      this.kill();
      throw new EnvThreadUnavailable((e as Error).message);
    }
  }

  call(req: EnvCall, timeoutMs: number): EnvValue {
    const seq = ++this.seq;
    this.port.postMessage({ ...req, seq } as EnvRequest);
    return this.await(seq, timeoutMs, req.op);
  }

  private await(seq: number, timeoutMs: number, op: string): EnvValue {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.word, 0);
      if (seen === seq) break;
      const left = deadline - performance.now();
      if (left <= 0) throw new EnvStepTimeout(op, timeoutMs);
      // In slices: the thread's start (its modules load) takes a second or two, and the
      // supervisor must keep hearing from this one meanwhile.
      Atomics.wait(this.word, 0, seen, Math.min(left, WAIT_SLICE_MS));
      pulse();
    }
    const msg = receiveMessageOnPort(this.port)?.message as EnvReply | undefined;
    if (!msg || msg.seq !== seq) throw new Error(`environment thread answered out of order (wanted ${seq}, got ${msg?.seq ?? 'nothing'})`);
    if (msg.error) throw new EnvThreadError(msg.error);
    return msg.value;
  }

  kill(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

export class EnvHost {
  private thread: EnvThread | null = null;
  /** Bumped at every thread restart: environments built in an older one must be rebuilt. */
  generation = 0;
  private nextId = 1;
  /** For tests and the run log. */
  readonly stats = { restarts: 0, replayedSteps: 0, calls: 0 };

  constructor(readonly opts: EnvHostOptions) {}

  create(name: EnvName): TextEnv {
    return new ThreadedEnv(this, name, this.nextId++);
  }

  /** One call; on a timeout the thread is stopped (the next call starts another) and the timeout thrown. */
  call(req: EnvCall): EnvValue {
    this.thread ??= new EnvThread(this.opts);
    this.stats.calls++;
    try {
      return this.thread.call(req, this.opts.stepTimeoutMs);
    } catch (e) {
      if (e instanceof EnvStepTimeout) this.restart();
      throw e;
    }
  }

  private restart(): void {
    this.thread?.kill();
    this.thread = null;
    this.generation++;
    this.stats.restarts++;
  }

  close(): void {
    this.thread?.kill();
    this.thread = null;
  }
}

/** A TextEnv whose state lives in the host's thread; it rebuilds itself there after a restart. */
class ThreadedEnv implements TextEnv {
  readonly maxSteps: number;
  readonly maxObservationLength: number;
  private generation: number;
  private history: { options: ResetOptions | undefined; texts: string[] } | null = null;
  private abandoned: EnvStepTimeout | null = null;

  constructor(
    private readonly host: EnvHost,
    readonly name: EnvName,
    private readonly id: number,
  ) {
    this.generation = host.generation;
    const shape = this.call({ op: 'create', id, env: name }) as EnvShape;
    this.maxSteps = shape.maxSteps;
    this.maxObservationLength = shape.maxObservationLength;
  }

  reset(options?: ResetOptions): ResetResult {
    const r = this.call({ op: 'reset', id: this.id, options }) as ResetResult;
    this.history = { options, texts: [] };
    return r;
  }

  step(text: string): StepResult {
    const r = this.call({ op: 'step', id: this.id, text }) as StepResult;
    this.history?.texts.push(text);
    return r;
  }

  admissibleActions(): string[] {
    return this.call({ op: 'admissible', id: this.id }) as string[];
  }

  currentTask(): TaskBase {
    return this.call({ op: 'task', id: this.id }) as TaskBase;
  }

  close(): void {
    if (this.abandoned || this.generation !== this.host.generation) return; // nothing left in a live thread
    this.host.call({ op: 'close', id: this.id });
  }

  private call(req: EnvCall): EnvValue {
    if (this.abandoned) throw this.abandoned;
    try {
      if (this.generation !== this.host.generation) this.rebuild();
      return this.host.call(req);
    } catch (e) {
      if (e instanceof EnvStepTimeout) this.abandoned = e;
      throw e;
    }
  }

  /** Recreates this environment in the current thread by replaying its episode so far. */
  private rebuild(): void {
    this.generation = this.host.generation;
    this.host.call({ op: 'create', id: this.id, env: this.name });
    if (!this.history) return;
    this.host.call({ op: 'reset', id: this.id, options: this.history.options });
    for (const text of this.history.texts) {
      this.host.call({ op: 'step', id: this.id, text });
      this.host.stats.replayedSteps++;
    }
  }
}

let isolated: EnvHost | null = null;
let notice: (message: string) => void = () => undefined;

/**
 * From now on `createEnv` builds environments in a thread with this time limit (stage workers).
 * `onNotice` hears about a fallback to this thread (for the run log).
 */
export function isolateEnvironments(opts: EnvHostOptions, onNotice?: (message: string) => void): EnvHost {
  isolated?.close();
  isolated = new EnvHost(opts);
  notice = onNotice ?? (() => undefined);
  return isolated;
}

/** The environment the stages play: in the isolation thread when it is on, else in this thread. */
export function createEnv(name: EnvName): TextEnv {
  if (!isolated) return makeEnv(name);
  try {
    return isolated.create(name);
  } catch (e) {
    if (!(e instanceof EnvThreadUnavailable)) throw e;
    // Playing without the thread still trains; only a hung step would need the watchdog again.
    isolated.close();
    isolated = null;
    notice(`${e.message}; environments run in the stage's own thread (a step that hangs can then only be ended by the watchdog)`);
    return makeEnv(name);
  }
}
