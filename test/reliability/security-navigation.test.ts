/**
 * Reliability test #6 (docs/reliability.md, "External links and navigation"): URL cases —
 * allow-listed https, http, file:, javascript:, data:, smb:, custom schemes, look-alike hosts,
 * IDN homographs, userinfo tricks, path traversal, ports, parser-differential characters —
 * through the window-open handler and will-navigate of the window the real main.ts creates
 * (recording stand-in for `electron`). → shell.openExternal only for allow-listed https pages,
 * with exactly the URL that was checked (0 false accepts); every navigation away from the
 * app's page prevented; every new window denied.
 */
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allowedExternal, EXTERNAL_LINKS } from '../../main/electron/navigation';
import { reportFigure } from './figures';
import { recorded, startMain, type MainProcess } from './security-fake-electron';

vi.mock('electron', async () => (await import('./security-fake-electron')).electronModule());

const REPO = EXTERNAL_LINKS[0]!; // https://github.com/WangHanLinHenry/SPA-RL-Agent

/** [url, the URL shell.openExternal must get (null = never opened)]. */
const CASES: [string, string | null][] = [
  [REPO, REPO],
  [`${REPO}/`, `${REPO}/`],
  [`${REPO}/blob/main/README.md`, `${REPO}/blob/main/README.md`],
  [`${REPO}/issues?q=is%3Aopen#top`, `${REPO}/issues?q=is%3Aopen#top`],
  ['https://GITHUB.com:443/WangHanLinHenry/SPA-RL-Agent', REPO], // normalised: opened as checked
  ['http://github.com/WangHanLinHenry/SPA-RL-Agent', null],
  ['file:///etc/passwd', null],
  ['file://evil-host/share/x.exe', null],
  ['javascript:alert(1)', null],
  ['data:text/html,<script>alert(1)</script>', null],
  ['smb://evil.example/share/payload.exe', null],
  ['ms-msdt:/id PCWDiagnostic /skip force', null],
  ['vscode://file/etc/passwd', null],
  ['mailto:someone@example.com', null],
  ['ftp://github.com/WangHanLinHenry/SPA-RL-Agent', null],
  ['https://github.com.evil.example/WangHanLinHenry/SPA-RL-Agent', null],
  ['https://evil.example/github.com/WangHanLinHenry/SPA-RL-Agent', null],
  ['https://github.com@evil.example/WangHanLinHenry/SPA-RL-Agent', null],
  ['https://user:pw@github.com/WangHanLinHenry/SPA-RL-Agent', null],
  ['https://github.com/WangHanLinHenry/SPA-RL-Agent-evil', null],
  ['https://github.com/WangHanLinHenry/SPA-RL-Agent/../../evil/repo', null],
  ['https://github.com/WangHanLinHenry/SPA-RL-Agent/%2e%2e/%2e%2e/evil', null],
  ['https://github.com/WangHanLinHenry/SPA-RL-Agent%2F..%2F..%2Fevil', null],
  ['https://gіthub.com/WangHanLinHenry/SPA-RL-Agent', null], // Cyrillic і (IDN homograph)
  ['https://xn--gthub-n4a.com/WangHanLinHenry/SPA-RL-Agent', null],
  ['https://github.com:8443/WangHanLinHenry/SPA-RL-Agent', null],
  ['https://github.com/wanghanlinhenry/spa-rl-agent', null],
  ['https://git\nhub.com/WangHanLinHenry/SPA-RL-Agent', null], // the URL parser drops \n: would read github.com
  ['https://github.com/WangHanLinHenry/SPA-RL-Agent\t/x', null],
  ['https:\\\\github.com\\WangHanLinHenry\\SPA-RL-Agent', null], // backslashes read as slashes by the parser
  [' https://github.com/WangHanLinHenry/SPA-RL-Agent', null],
  ['https://github.com/WangHanLinHenry/SPA-RL-Agent\u0000.evil', null],
  ['not a url', null],
  ['', null],
];

let main: MainProcess;
beforeAll(async () => {
  main = await startMain();
}, 60_000);
afterAll(async () => {
  await main?.stop();
});

describe('#6 external links and navigation', () => {
  it('the allow-list check alone: every case as expected, the returned URL is the normalised one', () => {
    for (const [url, expected] of CASES) expect(allowedExternal(url), JSON.stringify(url)).toBe(expected);
  });

  it('through main.ts: openExternal only for allow-listed https (0 false accepts), every navigation away prevented, every new window denied', async () => {
    const contents = main.window.webContents;
    const navigate = contents.listeners('will-navigate') as ((e: { preventDefault(): void }, url: string) => void)[];
    expect(navigate).toHaveLength(1);
    expect(contents.windowOpenHandler).not.toBeNull();
    const appUrl = pathToFileURL(main.rendererFile).href;
    const inApp = [appUrl, `${appUrl}#/runs`, `${appUrl}?tab=compare#/compare`];

    let prevented = 0;
    let awayNavigations = 0;
    const wrongly: string[] = [];
    for (const [url] of CASES) {
      let p = 0;
      navigate[0]!({ preventDefault: () => p++ }, url);
      awayNavigations++;
      if (p === 1) prevented++;
      else wrongly.push(`not prevented: ${JSON.stringify(url)}`);
    }
    for (const url of inApp) {
      let p = 0;
      navigate[0]!({ preventDefault: () => p++ }, url);
      if (p !== 0) wrongly.push(`in-app navigation prevented: ${url}`);
    }
    let denied = 0;
    for (const [url] of [...CASES, ...inApp.map((u) => [u, null] as const)]) {
      const r = contents.windowOpenHandler!({ url });
      if (r.action === 'deny') denied++;
      else wrongly.push(`window allowed: ${url}`);
    }
    await new Promise((r) => setTimeout(r, 20)); // openExternal is fire-and-forget
    expect(wrongly).toEqual([]);

    // Each allowed case opened once per door (will-navigate, window.open), as its normalised URL; nothing else.
    const expectedOpened = CASES.filter(([, e]) => e !== null).flatMap(([, e]) => [e, e]);
    expect([...recorded.openedExternal].sort()).toEqual([...expectedOpened].sort());
    const falseAccepts = recorded.openedExternal.filter((u) => !CASES.some(([, e]) => e === u)).length;
    expect(falseAccepts).toBe(0);
    for (const u of recorded.openedExternal) expect(new URL(u).href).toBe(u);

    const allowed = CASES.filter(([, e]) => e !== null).length;
    reportFigure(6, 'external links and navigation', `${CASES.length} URL cases × 2 doors (will-navigate, window.open): shell.openExternal called ${recorded.openedExternal.length} times, only for the ${allowed} allow-listed https cases and with the normalised URL (0 false accepts); ${prevented}/${awayNavigations} navigations away prevented, ${inApp.length}/${inApp.length} in-app navigations allowed; ${denied}/${denied} new windows denied`, {
      cases: CASES.length,
      allowedCases: allowed,
      openExternalCalls: recorded.openedExternal.length,
      falseAccepts,
      preventedPct: (100 * prevented) / awayNavigations,
      windowsDenied: denied,
    });
  });
});
