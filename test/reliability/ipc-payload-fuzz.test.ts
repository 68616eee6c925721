/**
 * Reliability test #4 (docs/reliability.md, "Payload fuzz"): per contract channel, generated
 * payloads that are invalid by construction (wrong types, missing fields, out-of-range values,
 * NaN/±Infinity, unknown keys incl. __proto__/constructor/prototype, 10 MB strings, 1,000-deep
 * values) go through both doors:
 *   - Electron: the handlers the real main.ts registers (recording stand-in for `electron`,
 *     payloads structured-cloned as IPC does, sent from our own page);
 *   - browser mode: POST /api/<channel> on a real server on 127.0.0.1, with the token.
 * → 0 uncaught exceptions, 0 crashes, 100 % typed errors (Electron: {ok:false} naming the
 * field; HTTP: 4xx JSON), the handler never ran for an invalid payload, Object.prototype and
 * friends untouched. Valid payloads still reach the handler (the guard is not a wall).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, type ChannelName } from '../../common/ipc-contract';
import { workspacePaths } from '../../main/runs/run-folder';
import { startBrowserServer, type BrowserServer } from '../../main/server/browser-server';
import { createStudioService, type StudioService } from '../../main/services/studio-service';
import { FakeLauncher } from '../helpers/fake-launcher';
import { reportFigure, scale } from './figures';
import { invalidPayload, namesField, toJsonBody, VALID, type FuzzPayload } from './ipc-payloads';
import { recorded, startMain, type MainProcess } from './security-fake-electron';

vi.mock('electron', async () => (await import('./security-fake-electron')).electronModule());

/** Electron door: what got past the guard (the real service is never reached from here). */
const electronCalls: { channel: string; request: unknown }[] = [];
vi.mock('../../main/services/studio-service', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/services/studio-service')>();
  return {
    ...real,
    callService: async (service: unknown, channel: string, request: unknown) => {
      // Calls from the browser-mode server go to the real service; main.ts's are only counted.
      if ((service as { __browser?: boolean }).__browser) return real.callService(service as StudioService, channel as ChannelName, request as never);
      electronCalls.push({ channel, request });
      return { counted: channel };
    },
  };
});

const PER_CHANNEL = scale(40, 1000);
const HEAVY_PER_CHANNEL = scale(2, 20);

/** Payloads for one channel: PER_CHANNEL of them, heavy ones (10 MB, 1,000-deep) capped. */
function payloadsFor(channel: ChannelName): FuzzPayload[] {
  const out: FuzzPayload[] = [];
  let heavy = 0;
  for (let i = 0; out.length < PER_CHANNEL; i++) {
    const p = invalidPayload(channel, i);
    if (p.heavy) {
      if (heavy >= HEAVY_PER_CHANNEL) continue;
      heavy++;
    }
    out.push(p);
  }
  return out;
}

/** Own properties of the built-in prototypes, to prove nothing was added or replaced. */
function prototypeSnapshot(): string {
  const protos = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype, Number: Number.prototype };
  return JSON.stringify(
    Object.entries(protos).map(([name, proto]) => [
      name,
      Object.getOwnPropertyNames(proto)
        .sort()
        .map((k) => {
          const d = Object.getOwnPropertyDescriptor(proto, k)!;
          return [k, typeof d.value === 'function' ? `fn:${(d.value as { name: string }).name}` : typeof d.value, String(d.writable), String(d.enumerable)];
        }),
      String(Object.getPrototypeOf(proto)),
    ]),
  );
}

function pollutionVisible(): boolean {
  const probe = {} as Record<string, unknown>;
  return probe.polluted !== undefined || probe.isAdmin !== undefined || ({}.toString as unknown) !== Object.prototype.toString;
}

const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);
let protoBefore = '';

let main: MainProcess;
let server: BrowserServer;
let service: StudioService;
let launcher: FakeLauncher;
let dataDir: string;
/** Browser door: calls that reached the real service, per channel. */
const httpCalls: string[] = [];

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  protoBefore = prototypeSnapshot();
  main = await startMain();
  dataDir = mkdtempSync(join(tmpdir(), 'spa-fuzz-http-'));
  launcher = new FakeLauncher(workspacePaths(dataDir).runsDir);
  const real = await createStudioService({ dataDir, launcher, mode: 'browser', version: 'fuzz' });
  const counted: Record<string, unknown> = { ...real, __browser: true };
  for (const c of CHANNEL_NAMES) {
    counted[c] = (req: never) => {
      httpCalls.push(c);
      return (real[c] as (r: never) => Promise<unknown>)(req);
    };
  }
  service = counted as unknown as StudioService;
  server = await startBrowserServer({ service, staticDir: null });
}, 60_000);

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  await server?.close();
  await service?.close();
  await launcher?.shutdown();
  await main?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: string;
}

function post(channel: string, body: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path: `/api/${channel}`,
        method: 'POST',
        headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', 'x-spa-token': server.token, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    // A 413 may close the socket before the whole body is written.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve({ status: 413, body: '{"ok":false,"error":"closed while sending"}' }) : reject(e)));
    req.end(body);
  });
}

describe('#4 payload fuzz', () => {
  it('Electron door (main.ts handlers): 100 % typed errors naming the field, handler 0 runs on invalid payloads', async () => {
    const appUrl = pathToFileURL(main.rendererFile).href;
    const sender = { senderFrame: { url: appUrl, parent: null } };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let sent = 0;
    let typed = 0;
    let namedField = 0;
    let heavy = 0;
    const failures: string[] = [];
    try {
      for (const channel of CHANNEL_NAMES) {
        const handler = recorded.handlers.get(`spa:${channel}`)!;
        for (const p of payloadsFor(channel)) {
          sent++;
          if (p.heavy) heavy++;
          const before = electronCalls.length;
          const reply = (await handler(sender, structuredClone(p.payload))) as { ok: boolean; error?: unknown };
          if (electronCalls.length !== before) failures.push(`${channel} ${p.kind}: the handler ran`);
          if (reply.ok !== false || typeof reply.error !== 'string') failures.push(`${channel} ${p.kind}: not a typed error: ${JSON.stringify(reply).slice(0, 200)}`);
          else {
            typed++;
            if (namesField(reply.error, channel, p.field)) namedField++;
            else failures.push(`${channel} ${p.kind}: error does not name ${p.field}: ${reply.error.slice(0, 200)}`);
            if (reply.error.length > 2000) failures.push(`${channel} ${p.kind}: error of ${reply.error.length} characters`);
          }
        }
        // The valid request still gets through (once).
        const before = electronCalls.length;
        expect(await handler(sender, structuredClone(VALID[channel]))).toEqual({ ok: true, result: { counted: channel } });
        expect(electronCalls.length - before).toBe(1);
      }
      expect(failures.slice(0, 20)).toEqual([]);
      expect(warn.mock.calls.length).toBe(sent); // one log line per refused payload
    } finally {
      warn.mockRestore();
    }
    expect(electronCalls).toHaveLength(CHANNEL_NAMES.length); // only the valid ones
    expect(uncaught).toEqual([]);
    expect(prototypeSnapshot()).toBe(protoBefore);
    expect(pollutionVisible()).toBe(false);
    reportFigure(4, 'payload fuzz, Electron door', `${PER_CHANNEL.toLocaleString('en')} payloads × ${CHANNEL_NAMES.length} channels = ${sent.toLocaleString('en')} (${heavy} of them 10 MB or 1,000-deep): 0 handler runs on invalid payloads, 0 uncaught exceptions, 100 % typed errors (${namedField}/${sent} name the broken field), prototypes untouched`, {
      perChannel: PER_CHANNEL,
      channels: CHANNEL_NAMES.length,
      payloads: sent,
      heavy,
      handlerRunsOnInvalid: 0,
      uncaught: uncaught.length,
      typedErrorsPct: (100 * typed) / sent,
      namedFieldPct: (100 * namedField) / sent,
    });
  }, 300_000);

  it('browser door (POST /api/<channel>, with the token): 100 % 4xx JSON errors, service 0 calls on invalid payloads', async () => {
    let sent = 0;
    let typed = 0;
    let heavy = 0;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (const channel of CHANNEL_NAMES) {
      for (const p of payloadsFor(channel)) {
        sent++;
        if (p.heavy) heavy++;
        const before = httpCalls.length;
        const reply = await post(channel, toJsonBody(p.payload));
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (httpCalls.length !== before) failures.push(`${channel} ${p.kind}: the service ran`);
        let body: { ok?: unknown; error?: unknown } | null = null;
        try {
          body = JSON.parse(reply.body) as { ok?: unknown; error?: unknown };
        } catch {
          body = null;
        }
        if (reply.status >= 400 && reply.status < 500 && body?.ok === false && typeof body.error === 'string') typed++;
        else failures.push(`${channel} ${p.kind}: ${reply.status} ${reply.body.slice(0, 200)}`);
      }
      // A valid request reaches the service (it may answer 404 for the made-up run id: still typed).
      const before = httpCalls.length;
      const ok = await post(channel, JSON.stringify(channel === 'runs.start' ? { ...(VALID[channel] as object), name: 'fuzz-valid' } : VALID[channel]));
      expect(httpCalls.length - before, channel).toBe(1);
      expect(ok.status, `${channel}: ${ok.body.slice(0, 200)}`).toBeLessThan(500);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // The server is still up and serving.
    expect((await post('app.info', '{}')).status).toBe(200);
    expect(uncaught).toEqual([]);
    expect(prototypeSnapshot()).toBe(protoBefore);
    expect(pollutionVisible()).toBe(false);
    const byStatus = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ');
    reportFigure(4, 'payload fuzz, browser door', `${PER_CHANNEL.toLocaleString('en')} payloads × ${CHANNEL_NAMES.length} channels = ${sent.toLocaleString('en')} POSTs (${heavy} heavy) to a real 127.0.0.1 server: 0 service calls on invalid payloads, 0 uncaught exceptions, 0 crashes, 100 % 4xx JSON errors (${byStatus}), prototypes untouched`, {
      payloads: sent,
      heavy,
      serviceCallsOnInvalid: 0,
      uncaught: uncaught.length,
      typedErrorsPct: (100 * typed) / sent,
      statuses: byStatus,
    });
  }, 600_000);
});
