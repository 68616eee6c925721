/**
 * The timing helpers the benchmark installs in the studio page (as an init script, so they
 * exist from navigation start). Plain JavaScript in a string: it runs in the browser, where
 * this project's Node types do not apply, and a string survives any transpiler untouched.
 *
 * Times are `performance.now()` in the page. "Painted" means: a task posted from the
 * requestAnimationFrame callback of the frame that shows the change has run, i.e. that
 * frame's style, layout and paint are done. Inputs that must fit in a frame are dispatched at
 * the start of a frame (inside requestAnimationFrame), so the figure is the work of the
 * frame and not the wait for the next vsync.
 */
import type { Page } from 'playwright-core';

export const IN_PAGE_HELPERS = String.raw`
(() => {
  if (window.__spaBench) return;
  const now = () => performance.now();
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const settle = async (ms) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await nextFrame();
    await nextFrame();
  };
  // Called inside requestAnimationFrame: calls back once the frame being rendered is painted.
  const whenFramePainted = (callback) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      callback(now());
    };
    channel.port2.postMessage(null);
  };
  // Checks cond() at every frame; resolves with the time the first frame where it held was painted.
  const untilPainted = (what, cond, timeoutMs) =>
    new Promise((resolve, reject) => {
      const start = now();
      const tick = () => {
        let ok = false;
        try {
          ok = !!cond();
        } catch {
          ok = false;
        }
        if (ok) return whenFramePainted(resolve);
        if (now() - start > timeoutMs) return reject(new Error('timed out after ' + Math.round(timeoutMs) + ' ms waiting for ' + what));
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  const digits = (s) => String(s || '').replace(/[^0-9]/g, '');
  const listShows = (total) => () => {
    const count = document.querySelector('[aria-label="Trajectory filters"] .count');
    if (!count || count.textContent.includes('\u2026') || digits(count.textContent) !== String(total)) return false;
    return document.querySelector('[role="listbox"][aria-label="Trajectories"] [role="option"]') !== null;
  };
  const stepText = () => (document.querySelector('[aria-label="Current step"]')?.textContent || '').replace(/\s+/g, ' ').trim();
  const stepShows = (k, n) => () => stepText() === 'Step ' + k + ' / ' + n;
  const figure = (metric) => document.querySelector('figure[data-metric="' + CSS.escape(metric) + '"]');
  const updatesOf = (fig) => Number(fig?.dataset.updates || 0);

  const replayOpened = async (total, steps, timeoutMs) => {
    const [list, view] = await Promise.all([
      untilPainted(total + ' trajectories listed', listShows(total), timeoutMs),
      untilPainted('step 1 / ' + steps, stepShows(1, steps), timeoutMs),
    ]);
    return { listMs: list, stepViewMs: view };
  };

  window.__spaBench = {
    settle,
    /** After a page load: ms from navigation start until the replay list (and the first step) were painted. */
    replayOpened,
    /** The runs list, showing the given run. */
    async showRuns(runId, timeoutMs) {
      if (location.hash !== '#/runs') location.hash = '#/runs';
      await untilPainted('run ' + runId + ' in the runs list', () => document.querySelector('tr[data-run-id="' + CSS.escape(runId) + '"]'), timeoutMs);
      await settle(100);
    },
    /** From the runs list, opens the replay by route change (how = 'hash', arg = the hash) or by clicking (how = 'click', arg = a selector). */
    async openReplay(how, arg, total, steps, timeoutMs) {
      await nextFrame();
      const t0 = now();
      if (how === 'hash') location.hash = arg;
      else {
        const el = document.querySelector(arg);
        if (!el) throw new Error('nothing to click at ' + arg);
        el.click();
      }
      const r = await replayOpened(total, steps, timeoutMs);
      return { listMs: r.listMs - t0, stepViewMs: r.stepViewMs - t0 };
    },
    /**
     * Dispatches one key press at the start of a frame; ms until the step it leads to was painted
     * (late: not in that same frame), and until the DOM was updated and laid out.
     */
    async pressKey(key, expectStep, steps) {
      await nextFrame();
      return new Promise((resolve, reject) =>
        requestAnimationFrame(() => {
          const t0 = now();
          let scriptMs = NaN;
          document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
          // Svelte flushes its updates in a microtask queued by the handler, before this one.
          queueMicrotask(() => {
            void document.body.offsetHeight;
            scriptMs = now() - t0;
          });
          whenFramePainted((t1) => {
            if (stepShows(expectStep, steps)()) return resolve({ frameMs: t1 - t0, scriptMs, late: false });
            // Not in the frame it was pressed in: time it until it is painted.
            untilPainted('step ' + expectStep + ' / ' + steps + ' (showing ' + stepText() + ')', stepShows(expectStep, steps), 10000).then(
              (t2) => resolve({ frameMs: t2 - t0, scriptMs, late: true }),
              reject,
            );
          });
        }),
      );
    },
    stepText,
    /** After a page load: ms from navigation start until the chart holds all its points and was drawn. */
    async chartLoaded(metric, total, timeoutMs) {
      const t = await untilPainted(metric + ' with ' + total + ' points', () => {
        const fig = figure(metric);
        return fig && fig.dataset.total === String(total) && updatesOf(fig) > 0;
      }, timeoutMs);
      return { loadMs: t, chartMs: Number(figure(metric).dataset.updateMs) };
    },
    /** Moves the smoothing slider at the start of a frame; ms until the re-smoothed chart was painted (late: not in that frame), and the chart's own update + draw. */
    async smooth(metric, value) {
      await nextFrame();
      const fig = figure(metric);
      const input = document.querySelector('input[aria-label="Smoothing"]');
      if (!fig || !input) throw new Error('no chart ' + metric + ' or no smoothing slider');
      const before = updatesOf(fig);
      return new Promise((resolve, reject) =>
        requestAnimationFrame(() => {
          const t0 = now();
          input.value = String(value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          whenFramePainted((t1) => {
            if (updatesOf(fig) > before) return resolve({ frameMs: t1 - t0, chartMs: Number(fig.dataset.updateMs), late: false });
            untilPainted(metric + ' re-smoothed', () => updatesOf(fig) > before, 10000).then(
              (t2) => resolve({ frameMs: t2 - t0, chartMs: Number(fig.dataset.updateMs), late: true }),
              reject,
            );
          });
        }),
      );
    },
    /** Resizes the chart's figure; ms until the chart redrew at its new size was painted, and the chart's own update + draw. */
    async resize(metric, width, timeoutMs) {
      await nextFrame();
      const fig = figure(metric);
      if (!fig) throw new Error('no chart ' + metric);
      const before = updatesOf(fig);
      const t0 = now();
      fig.style.width = width;
      const t1 = await untilPainted(metric + ' redrawn at width ' + width, () => updatesOf(fig) > before, timeoutMs);
      return { frameMs: t1 - t0, chartMs: Number(fig.dataset.updateMs) };
    },
  };
})();
`;

/** Calls `window.__spaBench[name](...args)` in the page (the arguments travel as JSON). */
export function inPage<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`window.__spaBench.${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`) as Promise<T>;
}
