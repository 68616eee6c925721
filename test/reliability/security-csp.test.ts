/**
 * Reliability test #7 (docs/reliability.md, "CSP"): the Content-Security-Policy of the BUILT
 * renderer (out/renderer/index.html, rebuilt when older than its sources), of browser mode's
 * responses (a real server serving that build), and of the Electron window's session (the
 * header main.ts installs, read through the recording stand-in for `electron`) →
 * script-src 'self', no 'unsafe-eval' anywhere, no remote origin in any directive; the built
 * page has no inline script and loads only its own files.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { windowCsp } from '../../main/electron/csp';
import { workspacePaths } from '../../main/runs/run-folder';
import { startBrowserServer, type BrowserServer } from '../../main/server/browser-server';
import { createStudioService, type StudioService } from '../../main/services/studio-service';
import { ensureRendererBuilt, RENDERER_OUT } from '../e2e/setup';
import { FakeLauncher } from '../helpers/fake-launcher';
import { reportFigure } from './figures';
import { recorded, startMain, type MainProcess } from './security-fake-electron';

vi.mock('electron', async () => (await import('./security-fake-electron')).electronModule());

type Policy = Map<string, string[]>;

export function parseCsp(text: string): Policy {
  const policy: Policy = new Map();
  for (const part of text.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !policy.has(name.toLowerCase())) policy.set(name.toLowerCase(), values);
  }
  return policy;
}

/**
 * What is wrong with a policy: script-src must be exactly 'self'; nothing may allow eval;
 * every source must be the app itself, 'none', inline styles, data:/blob: images, or a
 * WebSocket on this machine (`loopback` lists the allowed ones).
 */
export function cspProblems(policy: Policy, loopback: readonly string[] = []): string[] {
  const problems: string[] = [];
  const script = policy.get('script-src');
  if (!script) problems.push('no script-src');
  else if (script.join(' ') !== "'self'") problems.push(`script-src is ${script.join(' ')}, not 'self'`);
  for (const must of ['object-src', 'base-uri']) if (policy.get(must)?.join(' ') !== "'none'") problems.push(`${must} is not 'none'`);
  if (policy.get('default-src')?.join(' ') !== "'self'") problems.push("default-src is not 'self'");
  for (const [directive, values] of policy) {
    for (const v of values) {
      const lower = v.toLowerCase();
      if (lower === "'unsafe-eval'" || lower === "'wasm-unsafe-eval'" || lower === "'unsafe-hashes'") problems.push(`${directive} allows ${v}`);
      else if (lower === "'self'" || lower === "'none'") continue;
      else if (lower === "'unsafe-inline'") {
        if (directive !== 'style-src') problems.push(`${directive} allows 'unsafe-inline'`);
      } else if (lower === 'data:' || lower === 'blob:') {
        if (directive !== 'img-src') problems.push(`${directive} allows ${v}`);
      } else if (directive === 'connect-src' && loopback.includes(lower)) continue;
      else problems.push(`${directive} allows ${v} (a remote or unlisted source)`);
    }
  }
  return problems;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolvePromise, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    })
      .on('error', reject)
      .end();
  });
}

let main: MainProcess;
let server: BrowserServer;
let service: StudioService;
let launcher: FakeLauncher;
let dataDir: string;

beforeAll(async () => {
  ensureRendererBuilt();
  main = await startMain();
  dataDir = mkdtempSync(join(tmpdir(), 'spa-csp-'));
  launcher = new FakeLauncher(workspacePaths(dataDir).runsDir);
  service = await createStudioService({ dataDir, launcher, mode: 'browser', version: 'csp' });
  server = await startBrowserServer({ service, staticDir: RENDERER_OUT });
}, 180_000);

afterAll(async () => {
  await server?.close();
  await service?.close();
  await main?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('#7 CSP', () => {
  it('the checker finds weak policies (so a clean result means something)', () => {
    expect(cspProblems(parseCsp("default-src 'self'; script-src 'self' 'unsafe-eval' https://cdn.example; object-src 'none'; base-uri 'none'"))).toEqual([
      "script-src is 'self' 'unsafe-eval' https://cdn.example, not 'self'",
      "script-src allows 'unsafe-eval'",
      'script-src allows https://cdn.example (a remote or unlisted source)',
    ]);
    expect(cspProblems(parseCsp("default-src *; object-src 'none'; base-uri 'none'"))).toContain('no script-src');
    expect(cspProblems(parseCsp("default-src 'self'; script-src 'self'; connect-src 'self' wss://evil.example; object-src 'none'; base-uri 'none'"))).toEqual(['connect-src allows wss://evil.example (a remote or unlisted source)']);
  });

  it("built index.html, browser-mode header and Electron session header: script-src 'self', no 'unsafe-eval', no remote origins", async () => {
    // 1. The built page's meta policy (what a file:// window enforces: it has no headers).
    const html = readFileSync(join(RENDERER_OUT, 'index.html'), 'utf8');
    const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/gi)].map((m) => m[1]!);
    expect(metas).toHaveLength(1);
    const meta = parseCsp(metas[0]!);
    expect(cspProblems(meta)).toEqual([]);
    // The page itself: no inline script, only its own relative files, all present.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim(), 'inline script').toBe('');
      expect(attrs).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
    }
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/gi)].map((m) => m[1]!);
    for (const ref of refs) {
      expect(ref, ref).not.toMatch(/^(?:[a-z]+:)?\/\//i);
      expect(existsSync(resolve(RENDERER_OUT, ref)), ref).toBe(true);
    }

    // 2. Browser mode: the header on the page, an asset and an API answer.
    const loopback = [`ws://127.0.0.1:${server.port}`, `ws://localhost:${server.port}`];
    const page = await get(server.port, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toBe(html);
    const headerPolicies = [page.headers['content-security-policy']];
    const asset = refs.find((r) => r.endsWith('.js'))!;
    const assetReply = await get(server.port, `/${asset.replace(/^\.\//, '')}`, { cookie: `spa_token=${server.token}` });
    expect(assetReply.status).toBe(200);
    headerPolicies.push(assetReply.headers['content-security-policy']);
    headerPolicies.push((await get(server.port, '/api/app.info', { 'x-spa-token': server.token })).headers['content-security-policy']);
    for (const h of headerPolicies) {
      expect(typeof h).toBe('string');
      const policy = parseCsp(h as string);
      expect(cspProblems(policy, loopback)).toEqual([]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    }

    // 3. Electron: the header main.ts installs on the window's session, applied to a response.
    expect(recorded.headerListeners).toHaveLength(1);
    const applied = await new Promise<Record<string, string[]>>((done) =>
      recorded.headerListeners[0]!({ responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': ["script-src *"] } }, (r) => done(r.responseHeaders ?? {})),
    );
    expect(applied['Content-Security-Policy']).toEqual([windowCsp()]);
    expect(cspProblems(parseCsp(applied['Content-Security-Policy']![0]!))).toEqual([]);
    // In development only the dev server's HMR socket is added.
    expect(cspProblems(parseCsp(windowCsp('http://localhost:5173/')), ['ws://localhost:5173'])).toEqual([]);

    const sources = [...meta.values(), ...parseCsp(headerPolicies[0] as string).values(), ...parseCsp(windowCsp()).values()].flat();
    reportFigure(7, 'CSP', `3 policies (built index.html meta, browser-mode header on page/asset/API, Electron session header): script-src 'self' in 3/3, 0 'unsafe-eval', 0 remote origins (${sources.length} source expressions checked; connect-src adds only ws://127.0.0.1 and ws://localhost on the server's port); built page: 0 inline scripts, ${refs.length} references all local`, {
      policies: 3,
      unsafeEval: 0,
      remoteOrigins: 0,
      sourcesChecked: sources.length,
      inlineScripts: 0,
    });
  });
});
