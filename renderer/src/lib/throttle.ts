/**
 * Runs `fn` at most once per `ms`, always finishing with a trailing call, and never two at
 * once: an event storm from a fast run turns into one re-read per interval.
 */
export function throttled(fn: () => Promise<void>, ms: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let pending = false;
  let last = 0;
  let cancelled = false;

  const run = async () => {
    timer = null;
    if (cancelled) return;
    if (running) {
      pending = true;
      return;
    }
    running = true;
    last = Date.now();
    try {
      await fn();
    } catch (err) {
      console.error(err);
    } finally {
      running = false;
      if (pending && !cancelled) {
        pending = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    if (timer || cancelled) return;
    timer = setTimeout(run, Math.max(0, last + ms - Date.now()));
  };
  schedule.cancel = () => {
    cancelled = true;
    if (timer) clearTimeout(timer);
  };
  return schedule;
}

/** Classic trailing debounce with an explicit flush (used for annotation text). */
export function debounced(fn: () => void, ms: number): { (): void; flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const call = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
  call.flush = () => {
    if (!timer) return;
    clearTimeout(timer);
    timer = null;
    fn();
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return call;
}
