/**
 * The Electron main process: thin glue over tested modules. One instance at a time (a second
 * launch focuses the first window), one service (the same as browser mode), every contract
 * channel registered as 'spa:<channel>' through guardHandler, events pushed to the window as
 * 'spa:event', and on quit the supervisor stops every worker before the app exits.
 */
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_NAMES, type ChannelName, type ParsedRequest } from '../../common/ipc-contract';
import { defaultDataDir } from '../data-dir';
import { createSupervisor } from '../jobs/supervisor';
import { callService, createStudioService, type StudioService } from '../services/studio-service';
import { installCsp, windowCsp } from './csp';
import { guardHandler, trustedFrameCheck, type IpcRefusal } from './ipc-guard';
import { installNavigationGuards } from './navigation';
import { windowOptions } from './window-options';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererFile = join(here, '../renderer/index.html');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const dataDir = defaultDataDir();

let mainWindow: BrowserWindow | null = null;
let service: StudioService | null = null;
let shutdown: (() => Promise<void>) | null = null;

const isAppUrl = trustedFrameCheck({ rendererFile, ...(devServerUrl ? { devServerUrl } : {}) });

/** One log line per refused IPC call: a foreign frame knocking, or our page breaking the contract. */
function reportRefusal(refusal: IpcRefusal): void {
  console.warn(`spa: refused IPC spa:${refusal.channel} (${refusal.kind}): ${refusal.reason.slice(0, 300)}`);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preloadPath));
  installNavigationGuards(win.webContents, { isAppUrl, openExternal: (url) => shell.openExternal(url) });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererFile);
  return win;
}

async function start(): Promise<void> {
  installCsp(session.defaultSession, windowCsp(devServerUrl));
  // The renderer needs no permission (camera, notifications, …): refuse every request.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const launcher = await createSupervisor({ dataDir });
  const svc = await createStudioService({ dataDir, launcher, mode: 'electron', version: app.getVersion() });
  service = svc;
  shutdown = async () => {
    await svc.close();
    await launcher.shutdown();
  };

  for (const channel of CHANNEL_NAMES) {
    const guarded = guardHandler(channel, (request: ParsedRequest<ChannelName>) => callService(svc, channel, request), isAppUrl, reportRefusal);
    ipcMain.handle(`spa:${channel}`, (event, payload: unknown) => guarded(event, payload));
  }
  svc.subscribe((event) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send('spa:event', event);
  });

  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    // No <webview> may be attached, whatever a page asks for.
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (service && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !shutdown) return;
    // Hold the quit until every worker has stopped: no orphaned training processes.
    event.preventDefault();
    quitting = true;
    shutdown()
      .catch((e: Error) => console.error(`spa: shutdown failed: ${e.message}`))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((e: Error) => {
      console.error(`spa: the studio could not start: ${e.message}`);
      app.exit(1);
    });
}
