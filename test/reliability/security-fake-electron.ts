/**
 * A stand-in for the `electron` module, so the real main process (main/electron/main.ts) can be
 * started in Node and watched: every BrowserWindow it makes (with its options), every
 * ipcMain.handle registration, the session's header and permission handlers, the app events,
 * every shell.openExternal. No Electron binary exists on the test machines, and this records
 * exactly what main.ts asks Electron to do.
 *
 * Use: `vi.mock('electron', async () => (await import('./security-fake-electron')).electronModule())`
 * before importing main.ts, then `await startMain()`.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Listener = (...args: never[]) => unknown;

export interface FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null;
  sent: { channel: string; payload: unknown }[];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void;
  send(channel: string, payload: unknown): void;
  /** What Electron would report for the window (its webPreferences as given). */
  getLastWebPreferences(): Record<string, unknown>;
}

export interface FakeWindow extends EventEmitter {
  options: Record<string, unknown>;
  webContents: FakeWebContents;
  loaded: { kind: 'file' | 'url'; target: string }[];
}

export const recorded = {
  windows: [] as FakeWindow[],
  handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
  ipcOn: [] as string[],
  headerListeners: [] as ((details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void)[],
  permissionHandlers: [] as ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)[],
  openedExternal: [] as string[],
  app: new EventEmitter(),
  quitCalls: 0,
};

function fakeWebContents(prefs: Record<string, unknown>): FakeWebContents {
  const wc = new EventEmitter() as FakeWebContents;
  wc.windowOpenHandler = null;
  wc.sent = [];
  wc.setWindowOpenHandler = (handler) => {
    wc.windowOpenHandler = handler;
  };
  wc.send = (channel, payload) => {
    wc.sent.push({ channel, payload });
  };
  wc.getLastWebPreferences = () => ({ ...prefs });
  return wc;
}

class BrowserWindow extends EventEmitter {
  static getAllWindows(): FakeWindow[] {
    return [...recorded.windows];
  }
  options: Record<string, unknown>;
  webContents: FakeWebContents;
  loaded: { kind: 'file' | 'url'; target: string }[] = [];
  constructor(options: Record<string, unknown>) {
    super();
    this.options = structuredClone(options);
    this.webContents = fakeWebContents((options.webPreferences as Record<string, unknown>) ?? {});
    recorded.windows.push(this as unknown as FakeWindow);
    recorded.app.emit('browser-window-created', {}, this);
  }
  loadFile(file: string): Promise<void> {
    this.loaded.push({ kind: 'file', target: file });
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push({ kind: 'url', target: url });
    return Promise.resolve();
  }
  show(): void {}
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
}

/** The module object vi.mock('electron') returns. */
export function electronModule(): Record<string, unknown> {
  const app = Object.assign(recorded.app, {
    isPackaged: false,
    getVersion: () => '0.0.0-test',
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    quit: () => {
      recorded.quitCalls++;
    },
    exit: (code: number) => {
      throw new Error(`app.exit(${code}) called: main.ts failed to start`);
    },
  });
  const ipcMain = {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => {
      if (recorded.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      recorded.handlers.set(channel, fn);
    },
    on: (channel: string) => {
      recorded.ipcOn.push(channel);
    },
    listenerCount: (channel: string) => (recorded.handlers.has(channel) ? 1 : 0),
  };
  const session = {
    defaultSession: {
      webRequest: { onHeadersReceived: (l: (typeof recorded.headerListeners)[number]) => recorded.headerListeners.push(l) },
      setPermissionRequestHandler: (h: (typeof recorded.permissionHandlers)[number]) => recorded.permissionHandlers.push(h),
    },
  };
  const shell = {
    openExternal: (url: string) => {
      recorded.openedExternal.push(url);
      return Promise.resolve();
    },
  };
  return { app, BrowserWindow, ipcMain, session, shell, default: { app, BrowserWindow, ipcMain, session, shell } };
}

export interface MainProcess {
  dataDir: string;
  window: FakeWindow;
  /** The file main.ts loads into the window (its trusted page). */
  rendererFile: string;
  /** Quits the way the user would (before-quit → supervisor shutdown) and removes the data folder. */
  stop(): Promise<void>;
}

async function until<T>(get: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`main.ts did not ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Imports main.ts (once per test file) on a fresh data folder and waits for its window. */
export async function startMain(): Promise<MainProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spa-fake-electron-'));
  process.env.SPA_STUDIO_DATA = dataDir;
  delete process.env.ELECTRON_RENDERER_URL;
  await import('../../main/electron/main');
  const window = await until(() => recorded.windows[0], 'create its window');
  const loaded = await until(() => window.loaded[0], 'load its page');
  return {
    dataDir,
    window,
    rendererFile: loaded.target,
    async stop() {
      const quit = new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (recorded.quitCalls > 0) {
            clearInterval(timer);
            resolve();
          }
        }, 10);
      });
      const event = { defaultPrevented: false, preventDefault() {
        this.defaultPrevented = true;
      } };
      recorded.app.emit('before-quit', event);
      await quit;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type { Listener };
