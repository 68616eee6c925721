/** View preferences that should survive navigation and reloads (not run data). */
import type { XAxis } from './metrics';

const KEY = 'spa-studio.prefs';

interface Prefs {
  smoothing: number;
  xAxis: XAxis;
}

function load(): Prefs {
  const fallback: Prefs = { smoothing: 0.6, xAxis: 'step' };
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
    return {
      smoothing: typeof raw.smoothing === 'number' && raw.smoothing >= 0 && raw.smoothing < 1 ? raw.smoothing : fallback.smoothing,
      xAxis: raw.xAxis === 'global_step' || raw.xAxis === 't' || raw.xAxis === 'step' ? raw.xAxis : fallback.xAxis,
    };
  } catch {
    return fallback;
  }
}

export const prefs = $state<Prefs>(load());

$effect.root(() => {
  $effect(() => {
    const snapshot = { smoothing: prefs.smoothing, xAxis: prefs.xAxis };
    try {
      localStorage.setItem(KEY, JSON.stringify(snapshot));
    } catch {
      // Storage may be off (private mode): preferences then last for this window only.
    }
  });
});
