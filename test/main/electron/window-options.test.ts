import { describe, expect, it } from 'vitest';
import { windowCsp } from '../../../main/electron/csp';
import { EXTERNAL_LINKS, installNavigationGuards, isAllowedExternal } from '../../../main/electron/navigation';
import { windowOptions } from '../../../main/electron/window-options';

describe('window options', () => {
  it('isolate and sandbox the renderer, with only our preload', () => {
    const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });
});

describe('navigation', () => {
  it('allows only https links on the allow-list, compared as parsed URLs', () => {
    expect(isAllowedExternal(`${EXTERNAL_LINKS[0]}/issues/7`)).toBe(true);
    expect(isAllowedExternal(EXTERNAL_LINKS[0]!)).toBe(true);
    for (const bad of [
      'http://github.com/WangHanLinHenry/SPA-RL-Agent',
      'https://github.com.evil.example/WangHanLinHenry/SPA-RL-Agent',
      'https://github.com/WangHanLinHenry/SPA-RL-Agent-evil',
      'https://user:pw@github.com/WangHanLinHenry/SPA-RL-Agent',
      'https://github.com/other/repo',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternal(bad), bad).toBe(false);
    }
  });

  it('keeps the window on our page, denies new windows, opens allowed links externally', () => {
    const opened: string[] = [];
    let navigate: ((e: { preventDefault(): void }, url: string) => void) | null = null;
    let windowOpen: ((d: { url: string }) => { action: 'deny' }) | null = null;
    installNavigationGuards(
      {
        on: (_event, listener) => (navigate = listener),
        setWindowOpenHandler: (h) => (windowOpen = h),
      },
      { isAppUrl: (u) => u.startsWith('file:///app/'), openExternal: (u) => opened.push(u) },
    );
    const prevented: string[] = [];
    const go = (url: string) => navigate!({ preventDefault: () => prevented.push(url) }, url);
    go('file:///app/index.html#/runs');
    go('https://evil.example/');
    go(`${EXTERNAL_LINKS[0]}/blob/main/README.md`);
    expect(prevented).toEqual(['https://evil.example/', `${EXTERNAL_LINKS[0]}/blob/main/README.md`]);
    expect(windowOpen!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(windowOpen!({ url: EXTERNAL_LINKS[0]! })).toEqual({ action: 'deny' });
    expect(opened).toEqual([`${EXTERNAL_LINKS[0]}/blob/main/README.md`, EXTERNAL_LINKS[0]]);
  });
});

describe('window CSP', () => {
  it('is strict, and lets only the dev server HMR socket connect in development', () => {
    expect(windowCsp()).toMatch(/^default-src 'self'; script-src 'self'; .*connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'/);
    expect(windowCsp('http://localhost:5173/')).toContain("connect-src 'self' ws://localhost:5173;");
  });
});
