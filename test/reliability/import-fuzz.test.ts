/**
 * Reliability test #24 (docs/reliability.md, "Trajectory import fuzz"): mutated studio /
 * SPA-RL / ETO files — truncated, types swapped, NaN and ±Infinity, 10 MB strings, huge step
 * counts, wrong schema version — go through the real import service (studio-service →
 * import-run → io/import; a fake launcher, real run folders and catalog), a share of them over
 * browser mode's POST /api/runs.import too.
 * → 0 crashes; 100 % of invalid files refused with a message naming the field (or, for text that
 * is not JSON, the line/record and the parser's position); the data folder byte-for-byte
 * unchanged after every refusal; valid files (prototype-pollution keys and 10 MB texts included)
 * imported, prototypes untouched, and export → import → export byte-identical.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat } from '../../common/ipc-contract';
import { workspacePaths } from '../../main/runs/run-folder';
import { startBrowserServer, type BrowserServer } from '../../main/server/browser-server';
import { createStudioService, type StudioService } from '../../main/services/studio-service';
import { ServiceError } from '../../main/services/studio/errors';
import { parseJsonSliced, runToEnd } from '../../main/io/json-slices';
import { RecordSplitter, StructureError } from '../../main/io/record-splitter';
import { FakeLauncher } from '../helpers/fake-launcher';
import { LONG, reportFigure, scale } from './figures';
import { invalidFile, validFiles } from './import-corpus';
import { rng } from './ipc-payloads';

const INVALID = scale(200, 10_000);
const HUGE_STEPS = scale(100_000, 1_000_000);
const HEAVY_CAP = scale(6, 24);
const HTTP_EVERY = scale(5, 20);

interface Studio {
  dir: string;
  service: StudioService;
  launcher: FakeLauncher;
}

async function studio(name: string): Promise<Studio> {
  const dir = mkdtempSync(join(tmpdir(), `spa-import-${name}-`));
  const launcher = new FakeLauncher(workspacePaths(dir).runsDir);
  const service = await createStudioService({ dataDir: dir, launcher, mode: 'browser', version: 'fuzz' });
  return { dir, service, launcher };
}

/** Every file under the data folder with its size and SHA-256. */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        out.push(`${relative(dir, p)}/`);
        walk(p);
      } else out.push(`${relative(dir, p)} ${st.size} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

function prototypeSnapshot(): string {
  return JSON.stringify([Object.prototype, Array.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort()));
}

const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);
let invalid: Studio;
let valid: Studio;
let server: BrowserServer;
let protoBefore = '';

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  protoBefore = prototypeSnapshot();
  invalid = await studio('invalid');
  valid = await studio('valid');
  server = await startBrowserServer({ service: invalid.service, staticDir: null });
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  await server?.close();
  for (const s of [invalid, valid]) {
    if (!s) continue;
    await s.service.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

async function postImport(fileName: string, text: string): Promise<{ status: number; error: string }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/runs.import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spa-token': server.token },
    body: JSON.stringify({ fileName, text }),
  });
  const body = (await res.json()) as { error?: string };
  return { status: res.status, error: body.error ?? '' };
}

describe('#24 import fuzz', () => {
  it('invalid files: 100 % refused naming the field, data folder unchanged, 0 crashes', async () => {
    const before = snapshot(invalid.dir);
    const byKind = new Map<string, number>();
    const failures: string[] = [];
    let refused = 0;
    let named = 0;
    let viaHttp = 0;
    let heavy = 0;
    let longestMessage = 0;
    let tried = 0;
    for (let i = 0; tried < INVALID; i++) {
      const m = invalidFile(i, HUGE_STEPS);
      if (m.heavy) {
        if (heavy >= HEAVY_CAP) continue;
        heavy++;
      }
      tried++;
      const kindKey = m.kind.startsWith('truncate') ? 'truncate' : m.kind.includes('<10 MB>') ? '10 MB string' : m.kind.includes(' × ') ? 'huge step count' : m.kind.startsWith('schema') || m.kind.endsWith('renamed') ? 'wrong schema/format key' : /=(-?NaN)$/.test(m.kind) ? 'NaN' : /=-?1e999$/.test(m.kind) ? 'Infinity' : 'type swap';
      byKind.set(kindKey, (byKind.get(kindKey) ?? 0) + 1);
      const fileName = `fuzz-${i}.${m.format === 'studio' ? 'jsonl' : 'json'}`;
      try {
        await invalid.service['runs.import']({ fileName, text: m.text });
        failures.push(`#${i} ${m.format} ${m.kind}: imported`);
      } catch (e) {
        if (!(e instanceof ServiceError) || e.kind !== 'invalid') {
          failures.push(`#${i} ${m.format} ${m.kind}: not a refusal: ${String(e).slice(0, 300)}`);
        } else {
          refused++;
          longestMessage = Math.max(longestMessage, e.message.length);
          if (m.names.test(e.message)) named++;
          else failures.push(`#${i} ${m.format} ${m.kind}: message does not name it (${m.names}): ${e.message.slice(0, 300)}`);
        }
      }
      if (!m.heavy && i % HTTP_EVERY === 0) {
        const r = await postImport(fileName, m.text);
        viaHttp++;
        if (r.status !== 400 || !m.names.test(r.error)) failures.push(`#${i} over HTTP: ${r.status} ${r.error.slice(0, 200)}`);
      }
      const after = snapshot(invalid.dir);
      if (after !== before) {
        failures.push(`#${i} ${m.format} ${m.kind}: the data folder changed`);
        break;
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(refused).toBe(tried);
    expect(longestMessage).toBeLessThan(16 * 1024);
    expect((await invalid.service['runs.list']({})).runs).toEqual([]);
    expect(uncaught).toEqual([]);
    expect(prototypeSnapshot()).toBe(protoBefore);
    const kinds = [...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    reportFigure(24, 'import fuzz, invalid files', `${tried.toLocaleString('en')} mutated files (${kinds}; huge = ${HUGE_STEPS.toLocaleString('en')} steps) through the real import service, ${viaHttp} also over POST /api/runs.import: 0 crashes, ${refused}/${tried} refused (100 %), ${named}/${tried} messages name the field (schema errors) or the line/record and parser position (not-JSON), longest message ${longestMessage} characters; data folder byte-identical after every refusal, 0 runs created`, {
      files: tried,
      refusedPct: (100 * refused) / tried,
      namedPct: (100 * named) / tried,
      viaHttp,
      heavy,
      hugeSteps: HUGE_STEPS,
      dataDirChanges: 0,
      crashes: uncaught.length,
      mode: LONG ? 'long' : 'ci',
    });
  }, 900_000);

  it('valid files (hostile keys and 10 MB texts included): imported, prototypes untouched, export → import → export byte-identical', async () => {
    const svc = valid.service;
    const files = validFiles();
    let roundTrips = 0;
    const failures: string[] = [];
    for (const f of files) {
      let result;
      try {
        result = await svc['runs.import']({ fileName: `${f.kind.replace(/[^a-z0-9]+/gi, '-')}.json`, text: f.text });
      } catch (e) {
        if (f.refusedNaming && e instanceof ServiceError && f.refusedNaming.test(e.message)) continue;
        failures.push(`${f.kind}: ${String(e).slice(0, 300)}`);
        continue;
      }
      if (f.refusedNaming) {
        failures.push(`${f.kind}: imported, expected a refusal`);
        continue;
      }
      expect([result.trajectories, result.skipped], f.kind).toEqual([f.trajectories, f.skipped]);
      // Read back: plain objects, no prototype tricks, nothing polluted.
      const { trajectory } = await svc['runs.trajectory']({ id: result.runId, index: 0 });
      expect(Object.getPrototypeOf(trajectory)).toBe(Object.prototype);
      expect(Object.hasOwn(trajectory, '__proto__')).toBe(false);
      expect(trajectory.steps.every((s) => Object.getPrototypeOf(s) === Object.prototype && !Object.hasOwn(s, '__proto__'))).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // Export, import the export, export again: studio format, and the file's own format.
      // (A 10 MB file makes one round trip in CI: each is five 10 MB parses.)
      const formats: ExportFormat[] = f.format === 'studio' || (!LONG && f.text.length > 1e6) ? ['studio'] : ['studio', f.format];
      for (const format of formats) {
        const first = await svc['runs.export']({ id: result.runId, format });
        const again = await svc['runs.import']({ fileName: first.fileName, text: first.text });
        const second = await svc['runs.export']({ id: again.runId, format });
        if (second.text !== first.text) failures.push(`${f.kind} → ${format}: export → import → export differs (${first.text.length} vs ${second.text.length} bytes)`);
        else roundTrips++;
      }
    }
    expect(failures).toEqual([]);
    expect(uncaught).toEqual([]);
    expect(prototypeSnapshot()).toBe(protoBefore);
    reportFigure(24, 'import fuzz, valid files', `${files.length} valid files (4 formats × 3 environments, 10 MB goal/turn, __proto__/constructor keys at top level, in steps, meta and messages, 1 bad record among good): imported as the oracle says (the __proto__ key in a strict annotation refused naming annotations.0), 0 prototype changes; ${roundTrips}/${roundTrips} export → import → export round trips byte-identical`, {
      files: files.length,
      roundTrips,
      prototypeChanges: 0,
    });
  }, 300_000);

  /** The elements of a JSON array as the streaming importer splits them; SyntaxError where it refuses. */
  function splitInChunks(text: string, r: () => number): string[] {
    const splitter = new RecordSplitter();
    const items = [];
    try {
      for (let at = 0; at < text.length; ) {
        const size = 1 + Math.floor(r() * (r() < 0.5 ? 8 : 70_000));
        items.push(...splitter.push(text.slice(at, at + size)));
        at += size;
      }
      items.push(...splitter.end());
    } catch (e) {
      if (e instanceof StructureError) throw new SyntaxError(e.message);
      throw e;
    }
    if (splitter.kind !== 'array') throw new SyntaxError('not an array');
    return items.map((item) => ('text' in item ? item.text : ''));
  }

  it('the sliced JSON readers (request bodies, JSON arrays) agree with JSON.parse on every document, broken ones included', () => {
    const r = rng(24);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const CHARS = ['a', 'b', ' ', '"', '\\', '\n', '\t', '/', 'é', '\u2028', '😀', '\u0001', '{', '}', '[', ']', ',', ':'];
    const str = (n: number) => Array.from({ length: n }, () => pick(CHARS)).join('');
    const value = (depth: number): unknown => {
      const k = depth > 3 ? Math.floor(r() * 4) : Math.floor(r() * 7);
      if (k === 0) return str(Math.floor(r() * 20));
      if (k === 1) return pick([0, -1, 1.5, 1e21, -0.000001, 42]);
      if (k === 2) return pick([true, false, null]);
      if (k === 3) return str(Math.floor(r() * 4));
      if (k === 4) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) Object.defineProperty(o, pick(['a', 'text', '__proto__', 'constructor', str(3)]), { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
      return o;
    };
    const mutate = (text: string): string => {
      const at = Math.floor(r() * (text.length + 1));
      switch (Math.floor(r() * 5)) {
        case 0:
          return text.slice(0, at);
        case 1:
          return text.slice(0, at) + pick(CHARS) + text.slice(at + 1);
        case 2:
          return text + pick([' ', 'x', ',', '}', ']', '\n']);
        case 3:
          return text.slice(0, at) + text.slice(at + 1);
        default:
          return text;
      }
    };
    const outcome = (f: () => unknown): string => {
      try {
        const v = f();
        return `ok ${JSON.stringify(v)} ${typeof v === 'object' && v !== null && !Array.isArray(v) ? String(Object.getPrototypeOf(v) === Object.prototype) : ''}`;
      } catch (e) {
        return e instanceof SyntaxError ? 'SyntaxError' : `other error ${String(e)}`;
      }
    };
    const docs = scale(400, 5000);
    const big = scale(30, 300);
    let compared = 0;
    const differ: string[] = [];
    for (let i = 0; i < docs + big; i++) {
      let text: string;
      if (i < docs) text = JSON.stringify(r() < 0.7 ? { fileName: str(5), text: str(Math.floor(r() * 200)), extra: value(0) } : value(0));
      else {
        // A body whose text crosses the 256 K piece boundaries, with escapes and surrogate pairs dense around them.
        const n = 256 * 1024 * (1 + Math.floor(r() * 2)) + Math.floor(r() * 64) - 32;
        text = JSON.stringify({ fileName: 'big.jsonl', text: 'x'.repeat(n - 40) + str(80) });
      }
      if (r() < 0.5) text = mutate(text);
      const a = outcome(() => JSON.parse(text));
      const b = outcome(() => runToEnd(parseJsonSliced(text)));
      compared++;
      if (a !== b) differ.push(`body #${i}: JSON.parse ${a.slice(0, 80)} / sliced ${b.slice(0, 80)} for ${JSON.stringify(text.slice(0, 120))}`);
      // The same text as a JSON array, read element by element the way the importer reads SPA-RL
      // files: fed to the splitter in chunks cut at random (inside strings, escapes, backslash runs).
      const arrayText = `[${text},${text}]`;
      const c = outcome(() => JSON.parse(arrayText));
      const d = outcome(() => splitInChunks(arrayText, r).map((text) => JSON.parse(text) as unknown));
      compared++;
      if (c.replace(/ (true|false)$/, ' ') !== d.replace(/ (true|false)$/, ' ')) differ.push(`array #${i}: JSON.parse ${c.slice(0, 80)} / elements ${d.slice(0, 80)}`);
    }
    expect(differ.slice(0, 10)).toEqual([]);
    reportFigure(24, 'sliced JSON readers vs JSON.parse', `${compared.toLocaleString('en')} documents (half of them truncated or corrupted; ${big} bodies with strings across the 256 K piece boundaries; __proto__ keys): the sliced body reader and the streaming array splitter (chunks cut at random) agree with JSON.parse on ${compared - differ.length}/${compared} (same value, same own keys, or both SyntaxError)`, {
      documents: compared,
      disagreements: differ.length,
    });
  });
});
