import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guardHandler, trustedFrameCheck, type IpcSender } from '../../../main/electron/ipc-guard';

const rendererFile = '/opt/SPA Studio/resources/app.asar/out/renderer/index.html';
const appUrl = pathToFileURL(rendererFile).href;
const isTrusted = trustedFrameCheck({ rendererFile, devServerUrl: 'http://localhost:5173/' });
const top = (url: string): IpcSender => ({ senderFrame: { url, parent: null } });

function counted() {
  const calls: unknown[] = [];
  const handler = async (request: unknown) => {
    calls.push(request);
    return { seen: request };
  };
  return { calls, handler };
}

describe('IPC guard', () => {
  it('runs the handler for our own top-level page with a valid payload, defaults applied', async () => {
    const { calls, handler } = counted();
    const guarded = guardHandler('runs.metrics', handler, isTrusted);
    const reply = await guarded(top(`${appUrl}#/runs`), { id: '2026-11-22T13-40-05-alfworld-spa-s1' });
    expect(reply).toEqual({ ok: true, result: { seen: { id: '2026-11-22T13-40-05-alfworld-spa-s1', from: 0 } } });
    expect(await guardHandler('app.info', handler, isTrusted)(top('http://localhost:5173/index.html'), {})).toMatchObject({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it('refuses foreign, nested, navigated-away and look-alike frames without calling the handler', async () => {
    const { calls, handler } = counted();
    const guarded = guardHandler('runs.list', handler, isTrusted);
    const senders: IpcSender[] = [
      top('https://evil.example/'),
      top('http://localhost:5173.evil.example/'),
      top('http://localhost:5174/'),
      top(pathToFileURL('/tmp/evil/index.html').href),
      top(pathToFileURL('/opt/SPA Studio/resources/app.asar/out/renderer/index.html.evil').href),
      top('file://remote-host/opt/SPA%20Studio/resources/app.asar/out/renderer/index.html'),
      top('not a url'),
      { senderFrame: { url: appUrl, parent: {} } }, // an iframe inside our page
      { senderFrame: null }, // the frame navigated or was destroyed
    ];
    for (const sender of senders) {
      const reply = await guarded(sender, {});
      expect(reply).toEqual({ ok: false, error: expect.stringMatching(/refused runs\.list/) });
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses malformed payloads, naming the field, without calling the handler', async () => {
    const { calls, handler } = counted();
    const get = guardHandler('runs.get', handler, isTrusted);
    for (const payload of [undefined, null, 'x', { id: '../../etc/passwd' }, { id: '2026-11-22T13-40-05-alfworld-spa-s1', extra: 1 }]) {
      const reply = await get(top(appUrl), payload);
      expect(reply.ok).toBe(false);
    }
    expect(await get(top(appUrl), { id: '../x' })).toEqual({ ok: false, error: expect.stringMatching(/invalid request for runs\.get at id: not a run id/) });
    const del = guardHandler('runs.delete', handler, isTrusted);
    expect(await del(top(appUrl), { id: '2026-11-22T13-40-05-alfworld-spa-s1' })).toEqual({ ok: false, error: expect.stringMatching(/at confirm/) });
    expect(calls).toHaveLength(0);
  });

  it('turns a handler error into {ok: false, error}', async () => {
    const guarded = guardHandler('app.info', async () => {
      throw new Error('disk full');
    }, isTrusted);
    expect(await guarded(top(appUrl), {})).toEqual({ ok: false, error: 'disk full' });
  });

  it('without a dev server only the renderer file is trusted', () => {
    const packaged = trustedFrameCheck({ rendererFile });
    expect(packaged(appUrl)).toBe(true);
    expect(packaged('http://localhost:5173/')).toBe(false);
  });
});
