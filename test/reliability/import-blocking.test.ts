/**
 * Reliability test #24, "import of a 100 MB file does not block the UI thread > 100 ms
 * (streamed parse)": a large file (10 MB in CI, 100 MB in the long run) imported through
 * browser mode's POST /api/runs.import on a real 127.0.0.1 server, while perf_hooks'
 * monitorEventLoopDelay watches the event loop — the thread that serves every other request
 * (and, in Electron, main's UI thread, since the same service runs there) — and other API
 * calls are timed. The file is sent the way the studio page sends it: as the request body,
 * streamed from disk (the test's own client must not block the loop it measures). The JSON
 * channel ({fileName, text}, what Electron's IPC carries) is measured too, and the same parse
 * done in one go (how the import ran before it was sliced) is timed for comparison.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunTrajectory } from '../../common/run-schema';
import { expertTrajectories } from '../../envs/expert-data';
import { exportTrajectories } from '../../main/io/export';
import { importText } from '../../main/io/import';
import { workspacePaths } from '../../main/runs/run-folder';
import { startBrowserServer, type BrowserServer } from '../../main/server/browser-server';
import { createStudioService, type StudioService } from '../../main/services/studio-service';
import { FakeLauncher, syntheticTrajectory } from '../helpers/fake-launcher';
import { LONG, reportFigure, scale } from './figures';

const MB = scale(10, 100);
const dataDir = mkdtempSync(join(tmpdir(), 'spa-import-block-'));
let service: StudioService;
let server: BrowserServer;

beforeAll(async () => {
  service = await createStudioService({ dataDir, launcher: new FakeLauncher(workspacePaths(dataDir).runsDir), mode: 'browser', version: 'block' });
  server = await startBrowserServer({ service, staticDir: null });
});

afterAll(async () => {
  await server?.close();
  await service?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** About `mb` megabytes of studio JSON Lines (10-step trajectories). */
function studioFile(mb: number): { text: string; records: number } {
  const lines: string[] = [];
  let size = 0;
  for (let n = 0; size < mb * 1e6; n++) {
    const line = JSON.stringify({ ...syntheticTrajectory(n, { steps: 10 }), id: `t${n}`, annotations: [] });
    lines.push(line);
    size += line.length + 1;
  }
  return { text: lines.join('\n') + '\n', records: lines.length };
}

/** About `mb` megabytes of a SPA-RL exploration shard (one JSON array). */
function explorationFile(mb: number): { text: string; records: number } {
  const base = [...expertTrajectories({ env: 'alfworld', split: 'train', count: 20 })];
  const trajectories: RunTrajectory[] = [];
  for (let n = 0, size = 0; size < mb * 1e6; n++) {
    const t = { ...base[n % base.length]!, id: `t${n}`, taskId: `alfworld/v1/train/${n}` };
    trajectories.push(t);
    size += JSON.stringify(t).length * 1.25;
  }
  return { text: exportTrajectories('2026-11-22T10-00-00-x-spa-s1', trajectories, [], 'spa-rl-exploration').text, records: trajectories.length };
}

/** Watches the event loop and times concurrent API calls while `run` imports. */
async function watchLoop(run: () => Promise<globalThis.Response>, records: number) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const pings: number[] = [];
  let importing = true;
  const pinger = (async () => {
    while (importing) {
      const t0 = performance.now();
      const r = await fetch(`http://127.0.0.1:${server.port}/api/app.info`, { method: 'POST', headers: { 'x-spa-token': server.token }, body: '{}' });
      await r.arrayBuffer();
      pings.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  histogram.enable();
  const t = performance.now();
  const res = await run();
  const reply = (await res.json()) as { ok: boolean; result?: { trajectories: number }; error?: string };
  const total = performance.now() - t;
  histogram.disable();
  importing = false;
  await pinger;
  expect(res.status, reply.error).toBe(200);
  expect(reply.result?.trajectories).toBe(records);
  return { total, maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, pingMaxMs: Math.max(...pings), pings: pings.length };
}

const API = () => `http://127.0.0.1:${server.port}/api/runs.import`;

/** The studio page's way: the file is the body (here streamed from disk, as the browser does). */
async function measureUpload(name: string, file: { text: string; records: number }) {
  const path = join(dataDir, `${name}.upload`);
  writeFileSync(path, file.text);
  const mb = Buffer.byteLength(file.text) / 1e6;
  const r = await watchLoop(
    () =>
      fetch(API(), {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-spa-file-name': encodeURIComponent(`${name}.json`), 'x-spa-token': server.token },
        body: Readable.toWeb(createReadStream(path)) as ReadableStream,
        duplex: 'half',
      } as RequestInit),
    file.records,
  );
  rmSync(path);
  // The same parse in one go, as the import ran before it was sliced (timed after, so its garbage is not measured).
  const t = performance.now();
  importText(file.text);
  return { mb, ...r, oneGoMs: performance.now() - t };
}

/** The JSON channel: {fileName, text} in one request body (what Electron's IPC carries). */
async function measureJsonChannel(name: string, file: { text: string; records: number }) {
  const body = Buffer.from(JSON.stringify({ fileName: `${name}.json`, text: file.text }));
  const r = await watchLoop(() => fetch(API(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-spa-token': server.token }, body }), file.records);
  return { mb: body.length / 1e6, ...r };
}

describe('#24 a large import does not block the event loop', () => {
  it(`${MB} MB studio JSONL and ${MB} MB SPA-RL exploration JSON through POST /api/runs.import`, async () => {
    const results = [];
    for (const [name, make] of [
      ['studio JSONL', studioFile],
      ['SPA-RL exploration JSON array', explorationFile],
    ] as const) {
      const file = make(MB);
      const r = await measureUpload(name.replace(/\W+/g, '-'), file);
      results.push({ name, ...r });
      // The studio's path: most of the time the loop runs freely, and no turn is held long.
      expect(r.p99Ms, name).toBeLessThanOrEqual(100);
      expect(r.maxMs, name).toBeLessThanOrEqual(LONG ? 100 : 250);
      if (name === 'studio JSONL') {
        const j = await measureJsonChannel('json-channel', file);
        expect(j.p99Ms, 'JSON channel').toBeLessThanOrEqual(100);
        results.push({ name: 'studio JSONL over the JSON channel', ...j, oneGoMs: r.oneGoMs });
      }
    }
    const text = results
      .map((r) => `${r.name} (${r.mb.toFixed(0)} MB body): import ${(r.total / 1000).toFixed(1)} s, event-loop delay max ${r.maxMs.toFixed(0)} ms / p99 ${r.p99Ms.toFixed(0)} ms, slowest of ${r.pings} concurrent API calls ${r.pingMaxMs.toFixed(0)} ms; the same parse in one go blocks ${r.oneGoMs.toFixed(0)} ms`)
      .join('; ');
    const uploads = results.filter((r) => !r.name.includes('JSON channel'));
    const under100 = uploads.every((r) => r.maxMs <= 100);
    reportFigure(24, 'large import vs event loop', `${text}. Doc target ≤ 100 ms for the studio's upload: ${under100 ? 'met' : 'not met'}`, {
      mb: MB,
      ...Object.fromEntries(results.flatMap((r, i) => [
        [`maxMs${i}`, Math.round(r.maxMs)],
        [`p99Ms${i}`, Math.round(r.p99Ms)],
        [`pingMaxMs${i}`, Math.round(r.pingMaxMs)],
        [`oneGoMs${i}`, Math.round(r.oneGoMs)],
      ])),
      under100,
    });
  }, 600_000);
});
