/** View preferences that should survive navigation and reloads (not run data). */
import { X_AXES, type XAxis } from './metrics';

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
      xAxis: X_AXES.some((a) => a.value === raw.xAxis) ? (raw.xAxis as XAxis) : fallback.xAxis,
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
