/**
 * Reliability test #3 (docs/reliability.md, "Sender validation"): for EVERY channel of the
 * contract, a call from anything but the studio's own live top-level page is refused before
 * the handler runs, and each refusal is reported exactly once. Run twice: against the guard
 * itself, and against the handlers the real main.ts registers with ipcMain (a recording
 * stand-in for `electron`; the service behind it is counted, never reached).
 *
 * Decision (see main/electron/ipc-guard.ts): about:blank and a missing URL are refused. VS
 * Code lets them through for Playwright-on-Electron runs and devtools reloads; the studio's
 * e2e tests drive browser mode and its page is always its own file, so nothing legitimate
 * sends from them.
 */
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, type ChannelName } from '../../common/ipc-contract';
import { guardHandler, trustedFrameCheck, type IpcRefusal, type IpcSender } from '../../main/electron/ipc-guard';
import { reportFigure } from './figures';
import { VALID } from './ipc-payloads';
import { recorded, startMain, type MainProcess } from './security-fake-electron';

vi.mock('electron', async () => (await import('./security-fake-electron')).electronModule());

/** Every call that got past the guard in main.ts (the real service is never reached). */
const serviceCalls: string[] = [];
vi.mock('../../main/services/studio-service', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/services/studio-service')>();
  return {
    ...real,
    callService: async (_service: unknown, channel: string) => {
      serviceCalls.push(channel);
      return { counted: channel };
    },
  };
});

const frame = (url: unknown, parent: unknown = null): IpcSender => ({ senderFrame: { url, parent } as { url: string; parent: unknown } });

/** The hostile and broken senders, named. `appUrl` is the page main.ts trusts. */
function badSenders(appUrl: string, rendererFile: string): [string, IpcSender][] {
  const disposed: IpcSender = {
    get senderFrame(): IpcSender['senderFrame'] {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed');
    },
  };
  const urlThrows: IpcSender = {
    senderFrame: {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
      parent: null,
    },
  };
  const dir = rendererFile.slice(0, rendererFile.lastIndexOf('/'));
  return [
    ['sub-frame showing our page', frame(appUrl, { url: appUrl })],
    ['sub-frame of a foreign page', frame('https://evil.example/', { url: appUrl })],
    ['parent missing (not known to be a top frame)', { senderFrame: { url: appUrl } as unknown as { url: string; parent: unknown } }],
    ['foreign origin', frame('https://example.com/')],
    ['look-alike host', frame('https://example.com.attacker.com/')],
    ['dev-server look-alike', frame('http://localhost:5173.evil.example/')],
    ['dev server (not in dev mode)', frame('http://localhost:5173/')],
    ['another local file', frame(pathToFileURL('/tmp/evil/index.html').href)],
    ['look-alike file (suffix)', frame(pathToFileURL(`${rendererFile}.evil`).href)],
    ['look-alike file (sibling)', frame(pathToFileURL(`${dir}/index.html.html`).href)],
    ['look-alike file (case)', frame(pathToFileURL(rendererFile.toUpperCase()).href)],
    ['file URL on a remote host (UNC)', frame(`file://evil-host${pathToFileURL(rendererFile).pathname}`)],
    ['encoded slash in the path', frame(pathToFileURL(dir).href + '%2Findex.html')],
    ['malformed URL', frame('not a url')],
    ['malformed URL (bracket)', frame('http://[::1')],
    ['about:blank', frame('about:blank')],
    ['about:srcdoc', frame('about:srcdoc')],
    ['missing URL (empty)', frame('')],
    ['missing URL (undefined)', frame(undefined)],
    ['URL not a string', frame(42)],
    ['data: URL', frame('data:text/html,<script>window.spa</script>')],
    ['blob: URL', frame(`blob:${appUrl}`)],
    ['javascript: URL', frame('javascript:alert(1)')],
    ['devtools page', frame('devtools://devtools/bundled/inspector.html')],
    ['chrome-extension page', frame('chrome-extension://abcdefghijklmnop/index.html')],
    ['frame gone (null)', { senderFrame: null }],
    ['frame disposed (getter throws)', disposed],
    ['frame url getter throws', urlThrows],
  ];
}

const goodSenders = (appUrl: string): [string, IpcSender][] => [
  ['our page', frame(appUrl)],
  ['our page with a route', frame(`${appUrl}#/runs/2026-11-22T10-00-00-alfworld-spa-s1`)],
  ['our page with a query', frame(`${appUrl}?tab=charts`)],
];

describe('#3 sender validation, at the guard', () => {
  it('every channel × every hostile sender: refused, handler 0 runs, 1 report per refusal; our page accepted', async () => {
    const rendererFile = '/opt/SPA Studio/resources/app.asar/out/renderer/index.html';
    const appUrl = pathToFileURL(rendererFile).href;
    const isTrusted = trustedFrameCheck({ rendererFile });
    const bad = badSenders(appUrl, rendererFile);
    let runs = 0;
    let rejections = 0;
    const reports: IpcRefusal[] = [];
    for (const channel of CHANNEL_NAMES) {
      const guarded = guardHandler(
        channel,
        async () => {
          runs++;
          return 'ran';
        },
        isTrusted,
        (r) => reports.push(r),
      );
      for (const [name, sender] of bad) {
        const before = reports.length;
        const reply = await guarded(sender, VALID[channel]);
        expect(reply, `${channel} / ${name}`).toEqual({ ok: false, error: `refused ${channel}: the request did not come from the studio's own window` });
        expect(reports.length - before, `${channel} / ${name}: reports`).toBe(1);
        expect(reports.at(-1)).toMatchObject({ channel, kind: 'sender' });
        rejections++;
      }
    }
    expect(runs).toBe(0);
    expect(reports).toHaveLength(rejections);
    // Valid senders are accepted, and produce no report.
    let accepted = 0;
    for (const channel of CHANNEL_NAMES) {
      const guarded = guardHandler(channel, async () => 'ran', isTrusted, (r) => reports.push(r));
      for (const [name, sender] of goodSenders(appUrl)) {
        expect(await guarded(sender, VALID[channel]), `${channel} / ${name}`).toEqual({ ok: true, result: 'ran' });
        accepted++;
      }
    }
    expect(reports).toHaveLength(rejections);
    // A reporter that throws does not turn a refusal into an exception.
    const guarded = guardHandler('app.info', async () => 'ran', isTrusted, () => {
      throw new Error('log is gone');
    });
    expect(await guarded(frame('https://evil.example/'), {})).toMatchObject({ ok: false });
    reportFigure(3, 'sender validation (guard)', `${CHANNEL_NAMES.length} channels × ${bad.length} hostile senders = ${rejections} calls: 100 % refused, handler ran 0 times, ${reports.length} reports (1 per refusal); ${accepted}/${accepted} calls from our page accepted`, {
      channels: CHANNEL_NAMES.length,
      senders: bad.length,
      rejected: rejections,
      handlerRuns: runs,
      reports: reports.length,
      accepted,
    });
  });
});

describe('#3 sender validation, through the handlers main.ts registers', () => {
  let main: MainProcess;
  beforeAll(async () => {
    main = await startMain();
  }, 60_000);
  afterAll(async () => {
    await main?.stop();
  });

  it('registers exactly spa:<channel> for every contract channel through ipcMain.handle, nothing with ipcMain.on', () => {
    expect([...recorded.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((c) => `spa:${c}`).sort());
    expect(recorded.ipcOn).toEqual([]);
  });

  it('every channel × every hostile sender: refused, service 0 calls, 1 warning per refusal; our page reaches the service', async () => {
    const appUrl = pathToFileURL(main.rendererFile).href;
    const bad = badSenders(appUrl, main.rendererFile);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      let rejections = 0;
      for (const channel of CHANNEL_NAMES) {
        const handler = recorded.handlers.get(`spa:${channel}`)!;
        for (const [name, sender] of bad) {
          const before = warn.mock.calls.length;
          // The payload crosses IPC by structured clone.
          const reply = await handler(sender, structuredClone(VALID[channel]));
          expect(reply, `${channel} / ${name}`).toMatchObject({ ok: false, error: expect.stringMatching(/^refused /) });
          expect(warn.mock.calls.length - before, `${channel} / ${name}: warnings`).toBe(1);
          expect(String(warn.mock.calls.at(-1)?.[0])).toMatch(new RegExp(`^spa: refused IPC spa:${channel.replace('.', '\\.')} \\(sender\\)`));
          rejections++;
        }
      }
      expect(serviceCalls).toEqual([]);
      const refusalWarnings = warn.mock.calls.length;
      let accepted = 0;
      for (const channel of CHANNEL_NAMES) {
        for (const [, sender] of goodSenders(appUrl)) {
          expect(await recorded.handlers.get(`spa:${channel}`)!(sender, structuredClone(VALID[channel]))).toEqual({ ok: true, result: { counted: channel } });
          accepted++;
        }
      }
      expect(serviceCalls).toHaveLength(accepted);
      expect(warn.mock.calls.length).toBe(refusalWarnings);
      reportFigure(3, 'sender validation (main.ts handlers)', `${CHANNEL_NAMES.length} registered channels × ${bad.length} hostile senders = ${rejections} calls: 100 % refused, service reached 0 times, ${refusalWarnings} log lines (1 per refusal); ${accepted}/${accepted} calls from our page served; about:blank and missing URL refused (decision)`, {
        channels: CHANNEL_NAMES.length,
        rejected: rejections,
        serviceCallsOnRejected: 0,
        warnings: refusalWarnings,
        accepted,
      });
    } finally {
      warn.mockRestore();
    }
  });
});

export type { ChannelName };
