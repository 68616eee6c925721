/**
 * The one place BrowserWindow options are made (as VS Code does), with Electron's security
 * checklist applied: isolated, sandboxed renderer without Node, web security on, no insecure
 * content, no <webview>, no experimental Blink features, and only our preload bridge.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'SPA Studio',
    // Shown once the page has painted, so the user never sees a blank white frame.
    show: false,
    webPreferences: {
      preload,
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
      spellcheck: false,
    },
  };
}
