/**
 * Every IPC handler goes through guardHandler (Electron checklist item 17: validate the
 * sender of all IPC messages). A call is refused, without running the handler, unless it
 * comes from a live top-level frame showing our own page (isTrustedFrame) and its payload
 * passes the contract's schema. The reply is always {ok, result} | {ok: false, error}: an
 * exception thrown across IPC would lose its message and stack shape in the renderer.
 */
import { fileURLToPath } from 'node:url';
import { parseRequest, type ChannelName, type ParsedRequest } from '../../common/ipc-contract';

export type IpcResult = { ok: true; result: unknown } | { ok: false; error: string };

/** What the guard needs of an IpcMainInvokeEvent (its senderFrame is null once the frame navigated or died). */
export interface IpcSender {
  senderFrame: { url: string; parent: unknown } | null;
}

export function guardHandler<C extends ChannelName>(
  channel: C,
  handler: (request: ParsedRequest<C>) => Promise<unknown>,
  isTrustedFrame: (url: string) => boolean,
): (event: IpcSender, payload: unknown) => Promise<IpcResult> {
  return async (event, payload) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isTrustedFrame(frame.url)) {
      return { ok: false, error: `refused ${channel}: the request did not come from the studio's own window` };
    }
    let request: ParsedRequest<C>;
    try {
      request = parseRequest<C>(channel, payload).request;
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    try {
      return { ok: true, result: await handler(request) };
    } catch (e) {
      return { ok: false, error: (e as Error).message ?? String(e) };
    }
  };
}

export interface AppPages {
  /** Absolute path of the packaged renderer's index.html (file:// loads). */
  rendererFile?: string;
  /** The dev server URL (electron-vite's ELECTRON_RENDERER_URL) while developing. */
  devServerUrl?: string;
}

/**
 * Our page is the exact renderer file, or the dev server's origin. Parsed comparisons only:
 * a string prefix test would let https://localhost:5173.evil.example through (checklist 13).
 */
export function trustedFrameCheck(pages: AppPages): (url: string) => boolean {
  const devOrigin = pages.devServerUrl ? new URL(pages.devServerUrl).origin : null;
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') {
      if (!pages.rendererFile || url.host !== '') return false;
      try {
        return fileURLToPath(url) === pages.rendererFile;
      } catch {
        return false;
      }
    }
    return devOrigin !== null && url.origin === devOrigin;
  };
}
