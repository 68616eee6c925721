/**
 * Reliability test #1 (docs/reliability.md, "Window options factory"): every option of the one
 * BrowserWindow factory, and of every window the real main process creates, is the secure one.
 * main.ts runs against a recording stand-in for `electron` (no binary on test machines): the
 * windows are read back with getLastWebPreferences(), as the doc asks. Also: <webview> attach
 * is refused for any web contents, and every permission request is denied.
 */
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { windowOptions } from '../../main/electron/window-options';
import { reportFigure } from './figures';
import { recorded, startMain, type MainProcess } from './security-fake-electron';

vi.mock('electron', async () => (await import('./security-fake-electron')).electronModule());

/** Every key the factory may set, with the value it must have ('any' = not security-relevant). */
const TOP_LEVEL: Record<string, unknown> = {
  width: 'any',
  height: 'any',
  minWidth: 'any',
  minHeight: 'any',
  title: 'any',
  show: false,
  webPreferences: 'checked below',
};
const WEB_PREFERENCES: Record<string, unknown> = {
  preload: 'the preload path',
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: 'any',
};
/** Must be absent, named for the report (any key not in the tables above is a deviation too). */
const FORBIDDEN = new Set(['enableBlinkFeatures', 'enableRemoteModule', 'plugins', 'experimentalCanvasFeatures', 'disableBlinkFeatures', 'additionalArguments']);

interface Deviation {
  window: string;
  key: string;
  got: unknown;
  want: unknown;
}

/** Each option that is missing, unknown, or not the secure value. */
function deviations(name: string, options: Record<string, unknown>, prefs: Record<string, unknown>, preload: string): { checked: number; found: Deviation[] } {
  const found: Deviation[] = [];
  let checked = 0;
  const check = (scope: Record<string, unknown>, table: Record<string, unknown>, prefix: string) => {
    for (const key of new Set([...Object.keys(table), ...Object.keys(scope)])) {
      checked++;
      const want = table[key];
      const got = scope[key];
      if (FORBIDDEN.has(key)) found.push({ window: name, key: prefix + key, got, want: '(absent: weakens the renderer)' });
      else if (!(key in table)) found.push({ window: name, key: prefix + key, got, want: '(an option the factory does not set)' });
      else if (want === 'any' || want === 'checked below') continue;
      else if (want === 'the preload path') {
        if (got !== preload) found.push({ window: name, key: prefix + key, got, want: preload });
      } else if (got !== want) found.push({ window: name, key: prefix + key, got, want });
    }
  };
  check(options, TOP_LEVEL, '');
  check(prefs, WEB_PREFERENCES, 'webPreferences.');
  return { checked, found };
}

let main: MainProcess;
beforeAll(async () => {
  main = await startMain();
}, 60_000);
afterAll(async () => {
  await main?.stop();
});

describe('#1 window options: 0 deviations', () => {
  it('the factory, for any preload path, and every window main.ts creates', () => {
    const all: Deviation[] = [];
    let checked = 0;
    const preloads = ['/opt/SPA Studio/resources/app.asar/out/preload/index.cjs', 'C:\\Program Files\\SPA Studio\\preload.cjs', '/tmp/x.cjs'];
    for (const preload of preloads) {
      const options = windowOptions(preload) as Record<string, unknown>;
      const r = deviations(`factory(${preload})`, options, options.webPreferences as Record<string, unknown>, preload);
      checked += r.checked;
      all.push(...r.found);
    }
    // The windows the real main process made, read back as Electron reports them.
    expect(recorded.windows.length).toBeGreaterThanOrEqual(1);
    recorded.windows.forEach((win, i) => {
      const prefs = win.webContents.getLastWebPreferences();
      const r = deviations(`main.ts window ${i}`, win.options, prefs, String(prefs.preload ?? ''));
      expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
      checked += r.checked;
      all.push(...r.found);
    });
    // The checker itself finds a weakened window (so 0 below means something).
    const weak = windowOptions('/p.cjs') as { webPreferences: Record<string, unknown> };
    const planted = deviations('planted', weak, { ...weak.webPreferences, sandbox: false, nodeIntegration: true, enableBlinkFeatures: 'X', plugins: true }, '/p.cjs');
    expect(planted.found.map((d) => d.key).sort()).toEqual(['webPreferences.enableBlinkFeatures', 'webPreferences.nodeIntegration', 'webPreferences.plugins', 'webPreferences.sandbox']);

    expect(all).toEqual([]);
    const windows = preloads.length + recorded.windows.length;
    reportFigure(1, 'window options', `${checked} option checks over ${windows} windows (${preloads.length} factory calls + ${recorded.windows.length} created by main.ts): 0 deviations`, {
      checks: checked,
      windows,
      deviations: all.length,
    });
  });

  it('main.ts loads only its own file into the window, refuses <webview> and denies every permission', async () => {
    expect(main.window.loaded).toEqual([{ kind: 'file', target: main.rendererFile }]);
    // <webview>: every web contents gets a will-attach-webview guard that prevents the attach.
    const contents = new EventEmitter();
    recorded.app.emit('web-contents-created', {}, contents);
    let prevented = 0;
    contents.emit('will-attach-webview', { preventDefault: () => prevented++ }, {}, {});
    expect(prevented).toBe(1);
    // Permissions: all refused.
    const permissions = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'mediaKeySystem', 'idle-detection', 'hid', 'serial', 'usb', 'window-management', 'unknown'];
    expect(recorded.permissionHandlers).toHaveLength(1);
    const answers = await Promise.all(permissions.map((p) => new Promise<boolean>((resolve) => recorded.permissionHandlers[0]!({}, p, resolve))));
    expect(answers.every((a) => a === false)).toBe(true);
    // New windows: the open handler denies every one, so main.ts is the only window maker.
    const tries = ['https://example.com/', 'about:blank', main.rendererFile, 'file:///etc/passwd'];
    const windowsBefore = recorded.windows.length;
    for (const url of tries) expect(main.window.webContents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    expect(recorded.windows.length).toBe(windowsBefore);
    reportFigure(1, 'webview, permissions, window.open', `<webview> attach prevented 1/1; ${permissions.length}/${permissions.length} permission requests denied; ${tries.length}/${tries.length} window.open calls denied, 0 extra windows`, {
      webviewPrevented: prevented,
      permissionsDenied: permissions.length,
      windowOpenDenied: tries.length,
    });
  });
});
