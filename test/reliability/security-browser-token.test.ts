/**
 * Browser mode's promise (main/server/README.md; docs/reliability.md section (a) applied to the
 * server): 0 requests served without the session token — on every method and path, the
 * WebSocket upgrade included, with the token missing, wrong (same length, one character off,
 * prefix, suffix, case, padding), or presented through a variant the server does not accept
 * (other header/cookie/query names, duplicates, Authorization) — the token compared in constant
 * time, and the server bound to 127.0.0.1 only.
 */
import { networkInterfaces } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { workspacePaths } from '../../main/runs/run-folder';
import { tokensEqual } from '../../main/server/auth';
import { startBrowserServer, type BrowserServer } from '../../main/server/browser-server';
import { createStudioService, type StudioService } from '../../main/services/studio-service';
import { countedService } from '../helpers/counted-service';
import { FakeLauncher } from '../helpers/fake-launcher';
import { reportFigure, scale } from './figures';

/** Every constant-time comparison the server makes, with the lengths it compared. */
const comparisons: [number, number][] = [];
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    comparisons.push([a.byteLength, b.byteLength]);
    return real.timingSafeEqual(a, b);
  };
  return { ...real, timingSafeEqual, default: { ...real, timingSafeEqual } };
});

const MARKER = 'STATIC-MARKER-7f3a';
const root = mkdtempSync(join(tmpdir(), 'spa-token-'));
let server: BrowserServer;
let real: StudioService;
let launcher: FakeLauncher;
let served: { calls: number; subscriptions: number };

beforeAll(async () => {
  const app = join(root, 'app');
  mkdirSync(join(app, 'assets'), { recursive: true });
  writeFileSync(join(app, 'index.html'), `<!doctype html><title>${MARKER}</title>`);
  writeFileSync(join(app, 'assets', 'app.js'), `console.log("${MARKER}")`);
  launcher = new FakeLauncher(workspacePaths(join(root, 'data')).runsDir);
  real = await createStudioService({ dataDir: join(root, 'data'), launcher, mode: 'browser', version: 'token' });
  const counted = countedService(real);
  served = counted.served;
  server = await startBrowserServer({ service: counted.service, staticDir: app });
});

afterAll(async () => {
  await server.close();
  await real.close();
  rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(method: string, path: string, headers: Record<string, string | string[]>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function upgrade(path: string, headers: Record<string, string | string[]>): Promise<number | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers: { origin: `http://127.0.0.1:${server.port}`, ...headers } });
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve(res.statusCode ?? null);
    });
    ws.once('error', () => resolve(null));
  });
}

const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
const randomToken = () => Array.from({ length: 43 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[Math.floor(Math.random() * 64)]).join('');

/** Ways to present a wrong token, or the right one where the server does not look: [name, query, headers]. */
function wrongPresentations(token: string): [string, string, Record<string, string | string[]>][] {
  const wrongs: [string, string][] = [
    ['same length, random', randomToken()],
    ['first character off', flip(token, 0)],
    ['middle character off', flip(token, 21)],
    ['last character off', flip(token, token.length - 1)],
    ['prefix (one short)', token.slice(0, -1)],
    ['suffix added', `${token}x`],
    ['empty', ''],
    ['upper-cased', token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase()],
    ['doubled', token + token],
    ['10 kB', 'A'.repeat(10_000)],
  ];
  const out: [string, string, Record<string, string | string[]>][] = [['no token at all', '', {}]];
  for (const [name, w] of wrongs) {
    out.push([`header: ${name}`, '', { 'x-spa-token': w }]);
    out.push([`cookie: ${name}`, '', { cookie: `spa_token=${w}` }]);
    out.push([`query: ${name}`, `token=${encodeURIComponent(w)}`, {}]);
  }
  out.push(
    ['query: padded with spaces', `token=${encodeURIComponent(` ${token} `)}`, {}],
    ['query: other name (Token)', `Token=${token}`, {}],
    ['query: array syntax', `token[]=${token}`, {}],
    ['query: wrong first, right second', `token=${flip(token, 3)}&token=${token}`, {}],
    ['header: other name', '', { 'x-spa-tokens': token }],
    ['header: Authorization Bearer', '', { authorization: `Bearer ${token}` }],
    ['header: wrong and right (duplicated)', '', { 'x-spa-token': [flip(token, 5), token] }],
    ['cookie: other name', '', { cookie: `spa_token2=${token}; xspa_token=${token}` }],
    ['cookie: upper-case name', '', { cookie: `SPA_TOKEN=${token}` }],
    ['cookie: wrong first, right second', '', { cookie: `spa_token=${flip(token, 7)}; spa_token=${token}` }],
    ['cookie: empty value', '', { cookie: 'spa_token=' }],
  );
  return out;
}

/** Method, path, body and the request's own headers (the presentation's are added). */
const ROUTES: [string, string, string | undefined, Record<string, string>?][] = [
  ['GET', '/', undefined],
  ['GET', '/index.html', undefined],
  ['GET', '/assets/app.js', undefined],
  ['GET', '/runs/some-client-route', undefined],
  ['HEAD', '/', undefined],
  ['GET', '/events', undefined],
  ['POST', '/api/app.info', '{}'],
  ['POST', '/api/runs.list', '{}'],
  ['POST', '/api/runs.import', '{"fileName":"a.jsonl","text":"{}"}'],
  // The studio page's file upload (the body is the file itself).
  ['POST', '/api/runs.import', '{"schema":"spa-studio/trajectory@1"}\n', { 'content-type': 'application/octet-stream', 'x-spa-file-name': 'a.jsonl' }],
  ['GET', '/api/app.info', undefined],
  ['PUT', '/api/runs.delete', '{}'],
  ['DELETE', '/', undefined],
  ['OPTIONS', '/api/app.info', undefined],
];

describe('browser mode: 0 requests served without the token', () => {
  it('every route × every wrong presentation → 401/403, nothing served, no cookie set', async () => {
    const token = server.token;
    const presentations = wrongPresentations(token);
    let requests = 0;
    const leaks: string[] = [];
    const statuses = new Map<number, number>();
    for (const [method, path, body, own] of ROUTES) {
      for (const [name, query, headers] of presentations) {
        const url = query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path;
        const r = await send(method, url, { ...own, ...headers }, body);
        requests++;
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status !== 401) leaks.push(`${method} ${url} [${name}]: ${r.status}`);
        if (r.body.includes(MARKER) || r.headers['set-cookie'] !== undefined) leaks.push(`${method} ${url} [${name}]: content or cookie`);
      }
    }
    // The WebSocket upgrade, every wrong presentation.
    let upgrades = 0;
    for (const [name, query, headers] of presentations) {
      const status = await upgrade(query ? `/events?${query}` : '/events', headers);
      upgrades++;
      if (status !== 401) leaks.push(`upgrade [${name}]: ${status}`);
    }
    expect(leaks).toEqual([]);
    expect(served).toEqual({ calls: 0, subscriptions: 0 });

    // Control: the right token in each accepted place is served (so the 401s above are the token's doing).
    expect((await send('POST', '/api/app.info', { 'x-spa-token': token }, '{}')).status).toBe(200);
    expect((await send('GET', '/', { cookie: `spa_token=${token}` })).body).toContain(MARKER);
    expect((await send('GET', `/?token=${token}`, {})).headers['set-cookie']).toEqual([`spa_token=${token}; HttpOnly; SameSite=Strict; Path=/`]);
    expect(await upgrade(`/events?token=${token}`, {})).toBe(101);
    expect(served.calls).toBe(1);

    reportFigure(0, 'browser mode: token', `${ROUTES.length} routes × ${presentations.length} wrong/missing token presentations = ${requests} requests + ${upgrades} WebSocket upgrades: 0 served (100 % answered 401), 0 service calls, 0 event subscriptions, 0 cookies set, 0 static bytes`, {
      requests,
      upgrades,
      served: 0,
      serviceCalls: served.calls - 1,
      presentations: presentations.length,
    });
  }, 120_000);

  it('the token is compared in constant time: SHA-256 digests through timingSafeEqual, whatever the length', () => {
    comparisons.length = 0;
    const token = server.token;
    for (const given of ['', 'x', flip(token, 0), token, token + token, 'A'.repeat(100_000)]) tokensEqual(given, token);
    expect(comparisons).toHaveLength(6);
    expect(comparisons.every(([a, b]) => a === 32 && b === 32)).toBe(true);
    // Timing, interleaved so machine noise hits every variant alike: median time per batch.
    const variants: [string, string][] = [
      ['first character off', flip(token, 0)],
      ['last character off', flip(token, token.length - 1)],
      ['right token', token],
    ];
    const rounds = scale(30, 200);
    const batch = 2000;
    const times = variants.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      variants.forEach(([, given], i) => {
        const t = performance.now();
        for (let k = 0; k < batch; k++) tokensEqual(given, token);
        times[i]!.push(performance.now() - t);
      });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ns = times.map((t) => (median(t) / batch) * 1e6);
    const ratio = ns[0]! / ns[1]!;
    // An early-exit comparison would make "first character off" much faster; a digest comparison cannot.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    reportFigure(0, 'browser mode: constant-time token check', `every comparison is timingSafeEqual over two 32-byte SHA-256 digests (6/6, inputs of 0 to 100,000 characters); median ns per check: first character off ${ns[0]!.toFixed(0)}, last character off ${ns[1]!.toFixed(0)}, right token ${ns[2]!.toFixed(0)} (ratio ${ratio.toFixed(2)})`, {
      digestComparisons: comparisons.length,
      nsFirstOff: Math.round(ns[0]!),
      nsLastOff: Math.round(ns[1]!),
      nsRight: Math.round(ns[2]!),
      ratio: Number(ratio.toFixed(3)),
    });
  });

  it('listens on 127.0.0.1 only: unreachable on every other address of this machine', async () => {
    const tryConnect = (host: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host, port: server.port, timeout: 2000 });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('timeout', () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
    expect(await tryConnect('127.0.0.1')).toBe('connected');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a): a is NonNullable<typeof a> => !!a && a.address !== '127.0.0.1')
      .map((a) => (a.family === 'IPv6' && a.scopeid ? `${a.address}%${a.scopeid}` : a.address));
    const targets = [...new Set(['::1', '0.0.0.0', ...others])];
    const results = await Promise.all(targets.map(async (h) => [h, await tryConnect(h)] as const));
    const reached = results.filter(([, r]) => r === 'connected').map(([h]) => h);
    // 0.0.0.0 as a destination means "this host" and Linux routes it to 127.0.0.1: not a second binding.
    expect(reached.filter((h) => h !== '0.0.0.0')).toEqual([]);
    const addr = (server as unknown as { port: number }).port;
    expect(addr).toBeGreaterThan(0);
    expect(server.url.startsWith('http://127.0.0.1:')).toBe(true);
    reportFigure(0, 'browser mode: loopback only', `bound to 127.0.0.1:${server.port}; ${targets.length - 1} other addresses of this machine tried (${targets.filter((t) => t !== '0.0.0.0').join(', ')}): 0 connections`, {
      otherAddresses: targets.length - 1,
      connections: reached.filter((h) => h !== '0.0.0.0').length,
    });
  });
});
