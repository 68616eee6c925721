/**
 * The API the preload script exposes as `window.spa`, generated from the contract's channel
 * list: one function per channel that invokes 'spa:<channel>' and turns the guarded reply
 * ({ok, result} | {ok: false, error}) into a resolved value or a thrown Error, plus
 * onEvent(listener) → unsubscribe. Kept free of `electron` so it can be tested in Node.
 * Nothing from Electron crosses over: not ipcRenderer, not the IPC event object.
 */
import { CHANNEL_NAMES, type StudioClient, type StudioEvent } from '../common/ipc-contract';

export const INVOKE_PREFIX = 'spa:';
export const EVENT_CHANNEL = 'spa:event';

export type SpaBridge = StudioClient & { onEvent(listener: (event: StudioEvent) => void): () => void };

/** The slice of ipcRenderer the bridge uses. */
export interface IpcPort {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

function unwrap(reply: unknown): unknown {
  const r = reply as { ok?: unknown; result?: unknown; error?: unknown } | null;
  if (r && r.ok === true) return r.result;
  throw new Error(r && typeof r.error === 'string' ? r.error : 'malformed reply from the studio');
}

export function createBridge(ipc: IpcPort): SpaBridge {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    api[channel] = async (request: unknown) => unwrap(await ipc.invoke(INVOKE_PREFIX + channel, request));
  }
  api.onEvent = (listener: (event: StudioEvent) => void) => {
    // Only the payload is passed on: the event object would hand the page `sender` (ipcRenderer).
    const relay = (_event: unknown, payload: unknown) => listener(payload as StudioEvent);
    ipc.on(EVENT_CHANNEL, relay);
    return () => {
      ipc.removeListener(EVENT_CHANNEL, relay);
    };
  };
  return Object.freeze(api) as SpaBridge;
}
