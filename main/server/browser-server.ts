/**
 * Browser mode: the studio served on 127.0.0.1 to a local browser, for machines without an
 * Electron binary. The same service as the desktop app, over HTTP and one WebSocket:
 *
 *   GET  /, /assets/…   the built renderer (strict CSP)
 *   POST /api/<channel> JSON request → {ok: true, result} | {ok: false, error}
 *   GET  /events        WebSocket: each StudioEvent as one JSON text message
 *
 * Every request, the WebSocket included, is refused before anything else runs unless its
 * Host is this server (403), its Origin, when present, is this server (403), and it carries
 * the session token as ?token=, an x-spa-token header or the spa_token cookie (401). A GET
 * with a valid ?token= sets the cookie (HttpOnly, SameSite=Strict) so the page's assets load.
 */
import { promises as fsp } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StudioService } from '../services/studio-service';
import { handleApi, sendJson } from './api-route';
import { newToken, originProblem, presentedToken, tokenCookie } from './auth';
import { contentSecurityPolicy } from './csp';
import { resolveStatic, serveFile } from './static-files';

export interface BrowserServerOptions {
  service: StudioService;
  /** The built renderer; null serves a page saying it is not built. */
  staticDir: string | null;
  host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const NOT_BUILT = 'The studio interface is not built. Run `npm start` (it builds it) or `npx vite build` for the renderer, then reload.';

function securityHeaders(res: ServerResponse, port: number): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The token travels in the first URL; never leak it to another site through Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const body = JSON.stringify({ ok: false, error: reason });
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = opts.token ?? newToken();
  const host = opts.host ?? '127.0.0.1';
  const root = opts.staticDir === null ? null : await fsp.realpath(opts.staticDir);
  const { service } = opts;
  let port = 0;

  /** Host/Origin, then token; answers and returns false when refused. */
  function admit(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const problem = originProblem(req, port);
    if (problem) {
      sendJson(res, 403, { ok: false, error: problem });
      return false;
    }
    const source = presentedToken(req, url, token);
    if (!source) {
      sendJson(res, 401, { ok: false, error: 'missing or wrong session token: open the URL the studio printed (it ends in ?token=…)' });
      return false;
    }
    if (source === 'query' && (req.method === 'GET' || req.method === 'HEAD')) res.setHeader('Set-Cookie', tokenCookie(token));
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res, port);
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    if (!admit(req, res, url)) return;
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice('/api/'.length), service);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, { ok: false, error: 'static files take GET only' });
    }
    if (root === null) {
      res.statusCode = 503;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(NOT_BUILT);
      return;
    }
    const found = await resolveStatic(root, url.pathname);
    if (found.status !== 200) return sendJson(res, found.status, { ok: false, error: found.reason });
    serveFile(req, res, found.file);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: e.message });
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    const problem = originProblem(req, port);
    if (problem) return refuseUpgrade(socket, 403, problem);
    if (!presentedToken(req, url, token)) return refuseUpgrade(socket, 401, 'missing or wrong session token');
    if (url.pathname !== '/events') return refuseUpgrade(socket, 404, 'the only WebSocket is /events');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const unsubscribe = service.subscribe((event) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
      });
      ws.on('close', unsubscribe);
      ws.on('error', () => ws.terminate());
      // The socket is one-way: anything a client sends is ignored.
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('browser server has no TCP address');
  port = address.port;

  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
