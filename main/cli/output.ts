/**
 * How every `spa` subcommand talks to its caller: human text and progress bars on a
 * terminal, or `--json`: one JSON object per line on stdout ({"type": …}), progress
 * included, nothing else on stdout. Without a terminal (a log file, nohup, CI) progress is
 * a plain line on stderr at most every LOG_PROGRESS_MS, so an overnight grid's log shows
 * where it is.
 */
import cliProgress from 'cli-progress';

export interface Output {
  readonly json: boolean;
  /** A result record: a JSON line in --json mode, else formatted by `human`. */
  record(type: string, data: Record<string, unknown>, human?: () => string): void;
  /** Free text for people; dropped in --json mode. */
  say(text: string): void;
  /** Starts a progress indicator for `total` units of work. */
  progress(label: string, total: number): Progress;
  /** A progress indicator for services that report `(done, total, detail)`; the bar starts once the total is known. */
  follow(label: string): FollowedProgress;
}

export interface FollowedProgress {
  onProgress(done: number, total: number, detail: string): void;
  stop(): void;
}

export interface Progress {
  tick(done: number, detail?: string): void;
  stop(): void;
}

/** How often a non-terminal gets a progress line (the last one always comes). */
export const LOG_PROGRESS_MS = 60_000;

/**
 * Progress lines for a log file: at most one a minute. A tick that comes too soon is not lost:
 * it is written when its minute is up unless a newer one came first (a resumed grid finds 24
 * finished runs in a second; its log said 0/63 until the next run finished half an hour later).
 */
function logProgress(label: string, total: number, stderr: NodeJS.WritableStream, now: () => number): Progress {
  let last = -Infinity;
  let lastDone = -1;
  let pending: { done: number; detail?: string } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = (done: number, detail?: string) => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = null;
    last = now();
    lastDone = done;
    stderr.write(`${new Date().toISOString().slice(0, 19)}Z ${label} ${done}/${total}${detail ? ` ${detail}` : ''}\n`);
  };
  const flush = () => {
    if (pending) write(pending.done, pending.detail);
  };
  return {
    tick(done, detail) {
      if (done === lastDone) return;
      const wait = LOG_PROGRESS_MS - (now() - last);
      if (wait <= 0 || done >= total) return write(done, detail);
      pending = { done, detail };
      if (!timer) {
        timer = setTimeout(flush, wait);
        timer.unref?.();
      }
    },
    stop: flush,
  };
}

export function createOutput(json: boolean, stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Output {
  const output: Output = {
    json,
    record(type, data, human) {
      if (json) stdout.write(JSON.stringify({ type, ...data }) + '\n');
      else if (human) stdout.write(human() + '\n');
    },
    say(text) {
      if (!json) stdout.write(text + '\n');
    },
    progress(label, total) {
      if (json) {
        // Progress as JSON lines, at most twice a second, so a UI can follow long work.
        let last = 0;
        return {
          tick(done, detail) {
            const now = Date.now();
            if (now - last < 500 && done < total) return;
            last = now;
            stdout.write(JSON.stringify({ type: 'progress', label, done, total, ...(detail ? { detail } : {}) }) + '\n');
          },
          stop() {},
        };
      }
      if (!stderr.isTTY) return logProgress(label, total, stderr, now);
      const bar = new cliProgress.SingleBar(
        { format: `${label} [{bar}] {percentage}% {value}/{total} {detail} eta {eta_formatted}`, stream: stderr, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { detail: '' });
      return {
        tick: (done, detail) => bar.update(done, { detail: detail ?? '' }),
        stop: () => bar.stop(),
      };
    },
    follow(label) {
      let bar: Progress | null = null;
      let total = -1;
      return {
        onProgress(done, t, detail) {
          if (t !== total) {
            bar?.stop();
            bar = output.progress(label, t);
            total = t;
          }
          bar?.tick(done, detail);
        },
        stop: () => bar?.stop(),
      };
    },
  };
  return output;
}

/** Fixed-width table for human output. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
