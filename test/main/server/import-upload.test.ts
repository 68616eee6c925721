/**
 * runs.import with the file as the request body (how the studio page sends a file): the body
 * streams into the importer, a refused file is answered with the reason even while the client
 * is still sending, and nothing is left behind — no run, no staging folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspacePaths } from '../../../main/runs/run-folder';
import { startBrowserServer, type BrowserServer } from '../../../main/server/browser-server';
import { createStudioService, type StudioService } from '../../../main/services/studio-service';
import { FakeLauncher, syntheticTrajectory } from '../../helpers/fake-launcher';

const dataDir = mkdtempSync(join(tmpdir(), 'spa-upload-'));
const { cacheDir, runsDir } = workspacePaths(dataDir);
let service: StudioService;
let server: BrowserServer;

beforeAll(async () => {
  service = await createStudioService({ dataDir, launcher: new FakeLauncher(runsDir), mode: 'browser', version: 'upload' });
  server = await startBrowserServer({ service, staticDir: null });
});

afterAll(async () => {
  await server?.close();
  await service?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** POSTs `pieces` one write at a time (a pause between them), as a slow upload would arrive. */
function upload(pieces: string[], headers: Record<string, string | number>): Promise<{ status: number; body: { ok: boolean; result?: { runId: string; trajectories: number; skipped: number; warnings: string[] }; error?: string } }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, path: '/api/runs.import', method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-spa-token': server.token, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    let i = 0;
    const next = () => {
      if (i === pieces.length) return req.end();
      req.write(pieces[i++]!, () => setTimeout(next, 1));
    };
    next();
  });
}

const lines = (n: number, from = 0) => Array.from({ length: n }, (_, k) => `${JSON.stringify({ ...syntheticTrajectory(from + k, { steps: 4 }), id: `u${from + k}` })}\n`);
const stagingLeft = () => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((n) => n.startsWith('import-')) : []);

describe('runs.import by upload', () => {
  it('imports a studio file that arrives in pieces (a record cut between them), skipping a bad line', async () => {
    const text = [...lines(60), 'not json\n', ...lines(40, 60)].join('');
    const pieces = Array.from({ length: Math.ceil(text.length / 997) }, (_, k) => text.slice(k * 997, (k + 1) * 997));
    const r = await upload(pieces, { 'x-spa-file-name': encodeURIComponent('traj é.jsonl') });
    expect(r.status, r.body.error).toBe(200);
    expect(r.body.result).toMatchObject({ trajectories: 100, skipped: 1 });
    expect(r.body.result!.warnings[0]).toMatch(/^line 61: not valid JSON/);
    const { runs } = await service['runs.list']({});
    expect(runs.find((e) => e.id === r.body.result!.runId)?.name).toBe('traj é.jsonl');
    const page = await service['runs.trajectories']({ id: r.body.result!.runId, filter: { outcome: 'any', offset: 0, limit: 200 } });
    expect(page.total).toBe(100);
    expect(stagingLeft()).toEqual([]);
  });

  it('a file refused at its first line is answered with the reason while the rest is still being sent; nothing is created', async () => {
    const before = (await service['runs.list']({})).runs.length;
    const rest = Array.from({ length: 200 }, () => 'x'.repeat(32 * 1024));
    const r = await upload(['{"hello": 1}\n', ...rest], { 'x-spa-file-name': 'bad.jsonl' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/^bad\.jsonl was not imported: the first record has no schema/);
    expect((await service['runs.list']({})).runs.length).toBe(before);
    expect(stagingLeft()).toEqual([]);
  });

  it('refuses a missing file name (400) and a declared size over 256 MB (413) before reading the body', async () => {
    const unnamed = await upload(lines(1), {});
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error).toMatch(/x-spa-file-name/);
    const huge = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: server.port, path: '/api/runs.import', method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-spa-token': server.token, 'x-spa-file-name': 'big.jsonl', 'content-length': 300 * 1024 * 1024 } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
      req.flushHeaders();
    });
    expect(huge).toBe(413);
  });

  it('a staging folder left by a dead process is removed when the studio starts, and the user is told', async () => {
    const stale = join(cacheDir, `import-${hostname()}-999999999-abc123`);
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'trajectories.jsonl'), lines(3).join(''));
    const again = await createStudioService({ dataDir, launcher: new FakeLauncher(runsDir), mode: 'browser', version: 'upload' });
    try {
      expect(existsSync(stale)).toBe(false);
      expect((await again['runs.list']({})).warnings.join(' ')).toMatch(/1 unfinished import\(s\) from an earlier session were discarded/);
    } finally {
      await again.close();
    }
  });
});
