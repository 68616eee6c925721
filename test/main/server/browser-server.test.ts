import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { StudioEvent } from '../../../common/ipc-contract';
import { defaultRunConfig } from '../../../engine/pipeline/presets';
import { workspacePaths } from '../../../main/runs/run-folder';
import { startBrowserServer, type BrowserServer } from '../../../main/server/browser-server';
import { createStudioService, type StudioService } from '../../../main/services/studio-service';
import { countedService } from '../../helpers/counted-service';
import { FakeLauncher } from '../../helpers/fake-launcher';

const root = mkdtempSync(join(tmpdir(), 'spa-server-'));
const appDir = join(root, 'app');
const SECRET = 'TOP-SECRET-CONTENT';
let server: BrowserServer;
let service: StudioService;
let launcher: FakeLauncher;
/** Service calls and event subscriptions that got through (a refused request must add none). */
let served: { calls: number; subscriptions: number };

beforeAll(async () => {
  mkdirSync(join(appDir, 'assets'), { recursive: true });
  writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>SPA Studio</title>');
  writeFileSync(join(appDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(appDir, 'assets', 'link.js'));
  const dataDir = join(root, 'data');
  launcher = new FakeLauncher(workspacePaths(dataDir).runsDir);
  const real = await createStudioService({ dataDir, launcher, mode: 'browser', version: '1.0.0' });
  const counted = countedService(real); // count what reaches the service
  service = counted.service;
  served = counted.served;
  server = await startBrowserServer({ service, staticDir: appDir });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (fetch would not let a test set Host). */
function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  send(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const withToken = () => ({ 'x-spa-token': server.token });

function openSocket(path: string, headers: Record<string, string>): Promise<{ ws: WebSocket; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    ws.once('open', () => resolve({ ws, status: 101 }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? null }));
    ws.once('error', () => resolve({ ws, status: null }));
  });
}

describe('browser server: refusals come before anything runs', () => {
  it('prints a 127.0.0.1 URL with a 32-byte base64url token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('API, static files and the WebSocket answer 401 without the token or with a wrong one; nothing is served', async () => {
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A');
    const attempts: Reply[] = [
      await api('runs.list', {}),
      await api('runs.list', {}, { 'x-spa-token': wrong }),
      await api('runs.list', {}, { 'x-spa-token': `${server.token}x` }),
      await api('runs.list', {}, { cookie: `spa_token=${wrong}` }),
      await send(`/api/runs.list?token=${wrong}`, { method: 'POST', body: '{}' }),
      await send('/'),
      await send('/assets/app.js'),
      await send(`/?token=${wrong}`),
    ];
    for (const r of attempts) {
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: expect.stringMatching(/token/) });
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(r.body).not.toContain('SPA Studio');
    }
    for (const headers of [{}, { 'x-spa-token': wrong }, { cookie: `spa_token=${wrong}` }] as Record<string, string>[]) {
      const { ws, status } = await openSocket('/events', { origin: `http://127.0.0.1:${server.port}`, ...headers });
      expect(status).toBe(401);
      ws.terminate();
    }
    expect(served).toEqual({ calls: 0, subscriptions: 0 });
  });

  it('refuses a foreign Host (DNS rebinding) and a cross-origin request with 403, token or not', async () => {
    const before = served.calls;
    const evilHost = await api('runs.list', {}, { ...withToken(), host: `evil.example:${server.port}` });
    const otherPort = await api('runs.list', {}, { ...withToken(), host: `127.0.0.1:${server.port + 1}` });
    const crossOrigin = await api('runs.list', {}, { ...withToken(), origin: 'https://evil.example' });
    const staticRebind = await send(`/?token=${server.token}`, { headers: { host: `rebind.example:${server.port}` } });
    for (const r of [evilHost, otherPort, crossOrigin, staticRebind]) {
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body).ok).toBe(false);
    }
    const { ws, status } = await openSocket('/events', { ...withToken(), origin: 'https://evil.example' });
    expect(status).toBe(403);
    ws.terminate();
    expect(served.calls).toBe(before);
  });
});

describe('browser server: with the token', () => {
  it('answers the API by header, query or cookie; localhost works too', async () => {
    const byHeader = await api('app.info', {}, withToken());
    expect(byHeader.status).toBe(200);
    expect(JSON.parse(byHeader.body)).toEqual({ ok: true, result: { version: '1.0.0', dataDir: join(root, 'data'), mode: 'browser', backend: { name: 'wasm', reason: 'fake launcher' } } });
    expect((await send(`/api/runs.list?token=${server.token}`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect((await api('runs.list', {}, { cookie: `other=1; spa_token=${server.token}` })).status).toBe(200);
    expect((await api('runs.list', {}, { ...withToken(), host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` })).status).toBe(200);
    expect((await send('/api/runs.list', { method: 'POST', headers: withToken() })).status).toBe(200); // empty body = {}
  });

  it('a GET with ?token= sets the HttpOnly SameSite=Strict cookie, and the page comes with a strict CSP', async () => {
    const page = await send(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>SPA Studio</title>');
    expect(page.headers['set-cookie']).toEqual([`spa_token=${server.token}; HttpOnly; SameSite=Strict; Path=/`]);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const asset = await send('/assets/app.js', { headers: { cookie: `spa_token=${server.token}` } });
    expect([asset.status, asset.headers['content-type'], asset.body]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log("app")']);
    expect((await send('/runs/some-run', { headers: withToken() })).body).toContain('<title>SPA Studio</title>'); // client route
    expect((await send('/assets/missing.js', { headers: withToken() })).status).toBe(404);
  });

  it('never serves a file outside the app folder', async () => {
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/../secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/link.js', `/${encodeURIComponent(join(root, 'secret.txt'))}`]) {
      const r = await send(path, { headers: withToken() });
      expect(r.body, path).not.toContain(SECRET);
      expect([403, 404, 200], path).toContain(r.status);
      if (r.status === 200) expect(r.body).toContain('<title>SPA Studio</title>'); // normalised back inside: the app page
    }
    expect((await send('/assets/link.js', { headers: withToken() })).status).toBe(403);
    expect((await send('/..%2fsecret.txt', { headers: withToken() })).status).toBe(403);
  });

  it('maps contract errors to 400, refusals to their status, and enforces methods and body limits', async () => {
    const unknown = await api('runs.nope', {}, withToken());
    expect([unknown.status, JSON.parse(unknown.body).error]).toEqual([400, expect.stringMatching(/unknown channel/)]);
    const badField = await api('runs.get', { id: '../../etc' }, withToken());
    expect([badField.status, JSON.parse(badField.body).error]).toEqual([400, expect.stringMatching(/at id: not a run id/)]);
    const notJson = await send('/api/runs.list', { method: 'POST', headers: withToken(), body: '{oops' });
    expect(notJson.status).toBe(400);
    const missing = await api('runs.get', { id: '2026-01-01T00-00-00-alfworld-spa-s1' }, withToken());
    expect([missing.status, JSON.parse(missing.body)]).toEqual([404, { ok: false, error: 'no run 2026-01-01T00-00-00-alfworld-spa-s1' }]);
    const { id } = JSON.parse((await api('runs.start', { config: defaultRunConfig('alfworld', 'sft', 'smoke', 0) }, withToken())).body).result;
    const busy = await api('runs.delete', { id, confirm: true }, withToken());
    expect(busy.status).toBe(409);
    expect((await send('/api/runs.list', { headers: withToken() })).status).toBe(405);
    expect((await send('/', { method: 'POST', headers: withToken() })).status).toBe(405);
    const big = await send('/api/runs.list', { method: 'POST', headers: withToken(), body: Buffer.alloc(1024 * 1024 + 1, 0x20) });
    expect(big.status).toBe(413);
    // runs.import may carry more than 1 MB.
    const lines = Array.from({ length: 2000 }, () => JSON.stringify({ id: 0, conversations: [{ from: 'human', value: 'x'.repeat(600) }] })).join('\n');
    const imp = await api('runs.import', { fileName: 'big.jsonl', text: lines }, withToken());
    expect(imp.status).toBe(400); // read in full, then refused for its content (no valid record)
    expect(JSON.parse(imp.body).error).toMatch(/no valid record/);
    await launcher.finish(id);
  });

  it('streams StudioEvents over the WebSocket as JSON text', async () => {
    const { ws, status } = await openSocket('/events', { origin: `http://127.0.0.1:${server.port}`, cookie: `spa_token=${server.token}` });
    expect(status).toBe(101);
    const got: StudioEvent[] = [];
    ws.on('message', (data) => got.push(JSON.parse(String(data)) as StudioEvent));
    await api('runs.import', { fileName: 'sft.json', text: JSON.stringify([{ id: 0, conversations: [{ from: 'human', value: 'You are web shopping.' }, { from: 'gpt', value: 'OK' }, { from: 'human', value: 'Instruction: [SEP] buy [SEP]' }, { from: 'gpt', value: 'Action: click[x]' }] }]) }, withToken());
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([{ type: 'catalog.changed' }]);
    const wrongPath = await openSocket(`/other?token=${server.token}`, {});
    expect(wrongPath.status).toBe(404);
    ws.close();
    wrongPath.ws.terminate();
  });
});

describe('browser server without a built renderer', () => {
  it('says how to build it, behind the same token check', async () => {
    const bare = await startBrowserServer({ service, staticDir: null, token: 'fixed-token-for-test' });
    try {
      const get = (headers: Record<string, string>) =>
        new Promise<number>((resolve) => {
          httpRequest({ host: '127.0.0.1', port: bare.port, path: '/', headers: { host: `127.0.0.1:${bare.port}`, ...headers } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).end();
        });
      expect(await get({})).toBe(401);
      expect(await get({ 'x-spa-token': 'fixed-token-for-test' })).toBe(503);
    } finally {
      await bare.close();
    }
  });
});
