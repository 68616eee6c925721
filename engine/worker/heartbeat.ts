/**
 * Liveness of a stage worker. The supervisor kills a worker it has not heard from for a while
 * (main/jobs/worker-process.ts: a hung environment step or a deadlock blocks the thread for
 * good, and nothing else would notice). Every message a worker sends counts; on top of them:
 *
 *   - a timer sends `heartbeat` every interval while the event loop turns (awaits, file I/O);
 *   - synchronous work calls `pulse()`, which sends one when an interval has passed: the model's
 *     ops (every linear layer and attention block, forward and backward, the log-probs), the
 *     rollout and minibatch loops, the tokenizer's corpus, and the wait for an environment
 *     thread. A whole-batch forward pass that holds the thread for seconds still pulses, so a
 *     healthy worker is never quiet for long (each stage's longest silence is in the run log)
 *     while a stuck one is silent at once: the supervisor says so after a second.
 *
 * `pulse()` is a no-op until `startHeartbeat` runs (tests, benchmarks, and workers whose parent
 * did not ask for heartbeats). It also notices a dead parent: once this process has been
 * re-parented, nothing will read what it writes, and a resumed run must not meet a second
 * writer in its logs, so it exits at once instead of finishing its synchronous loop first.
 */

let beat: (() => void) | null = null;
let intervalMs = 1000;
let last = 0;
let parentPid = 0;

function parentGone(): boolean {
  return parentPid !== 0 && process.ppid !== parentPid;
}

function send(): void {
  last = Date.now();
  if (parentGone()) process.exit(3);
  beat?.();
}

/** Sends a heartbeat when one is due. Cheap (one clock read) when none is: call it freely in loops. */
export function pulse(): void {
  if (beat && Date.now() - last >= intervalMs) send();
}

/** Starts the heartbeat (`send` posts the message); returns the stop function. */
export function startHeartbeat(sendBeat: () => void, everyMs: number): () => void {
  beat = sendBeat;
  intervalMs = Math.max(10, everyMs);
  parentPid = process.ppid;
  send();
  const timer = setInterval(send, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    beat = null;
  };
}
