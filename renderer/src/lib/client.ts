/**
 * The renderer's only way to the Node side: one object implementing StudioClient plus onEvent.
 * In Electron the preload exposes it as `window.spa`; in browser mode it is built here on
 * fetch('/api/<channel>') + a WebSocket for events, authenticated with the launch token.
 */
import type { ChannelName, Request, Response, StudioClient, StudioEvent } from '../../../common/ipc-contract';
import type { SpaBridge } from '../../../preload/bridge';

export type EventListener = (event: StudioEvent) => void;
export type ConnectionState = 'connected' | 'connecting' | 'offline';

export interface Studio {
  api: StudioClient;
  onEvent(listener: EventListener): () => void;
  /** How the event stream is doing (always 'connected' in Electron). */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  mode: 'electron' | 'browser';
  /**
   * runs.import for a File. Browser mode sends the file itself as the request body, which the
   * server imports as it arrives (`onProgress` follows the upload, so it follows the import);
   * Electron reads it as text for the IPC channel.
   */
  importFile(file: File, onProgress?: (sent: number, total: number) => void): Promise<Response<'runs.import'>>;
}

/** Channels small enough to be sent with keepalive, so a save still lands while the page unloads. */
const KEEPALIVE_CHANNELS = new Set<ChannelName>(['runs.annotate']);

export function createStudio(): Studio {
  // Optional here: browser mode has no preload (preload/api-types.ts declares it for Electron).
  const bridge = (window as { spa?: SpaBridge }).spa;
  if (bridge) return electronStudio(bridge);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  // The token stays in memory only; drop it from the address bar so it is not bookmarked or shared.
  if (token && history.replaceState) history.replaceState(null, '', location.pathname + location.hash);
  return browserStudio(token);
}

function electronStudio(bridge: SpaBridge): Studio {
  return {
    api: bridge,
    onEvent: (listener) => bridge.onEvent(listener),
    onConnection: (listener) => {
      listener('connected');
      return () => {};
    },
    mode: 'electron',
    importFile: async (file, onProgress) => {
      const text = await file.text();
      onProgress?.(file.size, file.size);
      return bridge['runs.import']({ fileName: file.name.slice(0, 255), text });
    },
  };
}

/** The server's {ok, result} | {ok: false, error} answer → the result or a thrown Error. */
function unwrapAnswer<C extends ChannelName>(channel: C, status: number, body: unknown): Response<C> {
  const answer = body as { ok?: boolean; result?: unknown; error?: unknown } | null;
  if (answer && answer.ok === true) return answer.result as Response<C>;
  throw new Error(typeof answer?.error === 'string' ? answer.error : `${channel}: HTTP ${status}`);
}

/** POSTs a File as the body of runs.import (XMLHttpRequest: fetch reports no upload progress). */
function uploadImport(base: string, token: string, file: File, onProgress?: (sent: number, total: number) => void): Promise<Response<'runs.import'>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${base}/api/runs.import`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-spa-file-name', encodeURIComponent(file.name.slice(0, 255)));
    if (token) xhr.setRequestHeader('x-spa-token', token);
    if (onProgress) xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new Error('cannot reach the studio server'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        reject(new Error(`runs.import: HTTP ${xhr.status} without a JSON answer`));
        return;
      }
      try {
        resolve(unwrapAnswer('runs.import', xhr.status, body));
      } catch (err) {
        reject(err as Error);
      }
    };
    xhr.send(file);
  });
}

export function browserStudio(token: string, base = ''): Studio {
  const call = async <C extends ChannelName>(channel: C, request: Request<C>): Promise<Response<C>> => {
    let res: globalThis.Response;
    try {
      res = await fetch(`${base}/api/${channel}`, {
        method: 'POST',
        // Without a token (after a reload dropped it from the address) the HttpOnly cookie authenticates.
        headers: token ? { 'content-type': 'application/json', 'x-spa-token': token } : { 'content-type': 'application/json' },
        body: JSON.stringify(request ?? {}),
        credentials: 'same-origin',
        keepalive: KEEPALIVE_CHANNELS.has(channel),
      });
    } catch (err) {
      throw new Error(`cannot reach the studio server (${(err as Error).message})`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new Error(`${channel}: HTTP ${res.status} without a JSON answer`);
    }
    return unwrapAnswer(channel, res.status, body);
  };

  const api = new Proxy({} as StudioClient, {
    get: (_target, name) => (typeof name === 'string' ? (request: unknown) => call(name as ChannelName, request as never) : undefined),
  });

  const events = new EventStream(`${base}/events`, token);
  return {
    api,
    onEvent: (l) => events.subscribe(l),
    onConnection: (l) => events.watch(l),
    mode: 'browser',
    importFile: (file, onProgress) => uploadImport(base, token, file, onProgress),
  };
}

/** One WebSocket shared by every subscriber; reconnects with capped exponential backoff. */
class EventStream {
  private listeners = new Set<EventListener>();
  private stateListeners = new Set<(state: ConnectionState) => void>();
  private socket: WebSocket | null = null;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private state: ConnectionState = 'connecting';

  constructor(
    private readonly path: string,
    private readonly token: string,
  ) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    if (!this.socket && !this.timer) this.open();
    return () => this.listeners.delete(listener);
  }

  watch(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    if (!this.socket && !this.timer) this.open();
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.stateListeners) l(state);
  }

  private open(): void {
    this.timer = null;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = this.path.startsWith('ws') ? this.path : `${scheme}//${location.host}${this.path}`;
    const socket = new WebSocket(this.token ? `${url}?token=${encodeURIComponent(this.token)}` : url);
    this.socket = socket;
    socket.onopen = () => {
      this.retry = 0;
      this.setState('connected');
      // Whatever happened while we were away is only known by re-reading: say the catalog changed.
      this.emit({ type: 'catalog.changed' });
    };
    socket.onmessage = (msg) => {
      let event: StudioEvent;
      try {
        event = JSON.parse(String(msg.data)) as StudioEvent;
      } catch {
        return;
      }
      if (event && typeof event.type === 'string') this.emit(event);
    };
    socket.onclose = () => {
      this.socket = null;
      this.setState(this.retry > 2 ? 'offline' : 'connecting');
      const delay = Math.min(10_000, 250 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  private emit(event: StudioEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        console.error('event listener failed', err);
      }
    }
  }
}
