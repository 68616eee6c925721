/**
 * Every IPC handler goes through guardHandler (Electron checklist item 17: validate the
 * sender of all IPC messages). A call is refused, without running the handler, unless it
 * comes from a live top-level frame showing our own page (isTrustedFrame) and its payload
 * passes the contract's schema. The reply is always {ok, result} | {ok: false, error}: an
 * exception thrown across IPC would lose its message and stack shape in the renderer.
 * Each refusal is also reported once through `onRefused` (main.ts logs it), so a page that
 * keeps knocking is visible.
 *
 * Decision on senders VS Code lets through: a frame showing about:blank, or with no URL at
 * all, is refused like any other foreign frame. VS Code allows them for Playwright runs and
 * devtools reloads; the studio's end-to-end tests drive browser mode, and our page is always a
 * file:// (or dev-server) URL, so nothing legitimate calls from them.
 */
import { fileURLToPath } from 'node:url';
import { parseRequest, type ChannelName, type ParsedRequest } from '../../common/ipc-contract';

export type IpcResult = { ok: true; result: unknown } | { ok: false; error: string };

/** What the guard needs of an IpcMainInvokeEvent (its senderFrame is null once the frame navigated or died). */
export interface IpcSender {
  senderFrame: { url: string; parent: unknown } | null;
}

/** One refused call: `sender` = not our top-level page, `payload` = not what the contract says. */
export interface IpcRefusal {
  channel: ChannelName;
  kind: 'sender' | 'payload';
  /** Why, in words (the sender's URL is cut to 200 characters). */
  reason: string;
}

/** Why the sender is not our live top-level page, or null when it is. Never throws. */
function senderProblem(event: IpcSender, isTrustedFrame: (url: string) => boolean): string | null {
  let url: unknown;
  let parent: unknown;
  try {
    // Reading a disposed WebFrameMain throws ("Render frame was disposed"): refuse, do not fail.
    const frame = event.senderFrame;
    if (!frame) return 'the sending frame is gone (navigated away or destroyed)';
    url = frame.url;
    parent = frame.parent;
  } catch (e) {
    return `the sending frame cannot be read (${e instanceof Error ? e.message : String(e)})`;
  }
  if (parent !== null) return 'the sender is a sub-frame';
  if (typeof url !== 'string' || url === '') return 'the sender has no URL';
  let trusted = false;
  try {
    trusted = isTrustedFrame(url);
  } catch {
    trusted = false;
  }
  return trusted ? null : `the sender shows ${JSON.stringify(url.slice(0, 200))}, not the studio's page`;
}

export function guardHandler<C extends ChannelName>(
  channel: C,
  handler: (request: ParsedRequest<C>) => Promise<unknown>,
  isTrustedFrame: (url: string) => boolean,
  onRefused?: (refusal: IpcRefusal) => void,
): (event: IpcSender, payload: unknown) => Promise<IpcResult> {
  const refuse = (kind: IpcRefusal['kind'], reason: string, error: string): IpcResult => {
    try {
      onRefused?.({ channel, kind, reason });
    } catch {
      // A failing reporter must not turn a refusal into an exception.
    }
    return { ok: false, error };
  };
  return async (event, payload) => {
    const problem = senderProblem(event, isTrustedFrame);
    if (problem !== null) return refuse('sender', problem, `refused ${channel}: the request did not come from the studio's own window`);
    let request: ParsedRequest<C>;
    try {
      request = parseRequest<C>(channel, payload).request;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return refuse('payload', message, message);
    }
    try {
      return { ok: true, result: await handler(request) };
    } catch (e) {
      // A handler may throw anything (`throw null` has no message): answer with what it is.
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
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
