/**
 * Payloads for the IPC tests (#3, #4): one valid request per contract channel, and a generator
 * of requests that are invalid BY CONSTRUCTION — the oracle is written here from the contract's
 * documented constraints, not taken from the zod schemas under test. Each invalid payload says
 * which field it breaks, so a test can check that the refusal names it.
 */
import { CHANNEL_NAMES, type ChannelName } from '../../common/ipc-contract';
import { defaultRunConfig } from '../../engine/pipeline/presets';

export const RUN_ID = '2026-11-22T10-00-00-alfworld-spa-s1';
const MB = 1024 * 1024;

/** One valid request per channel (what the renderer would send). */
export const VALID: Record<ChannelName, unknown> = {
  'app.info': {},
  'runs.list': {},
  'runs.get': { id: RUN_ID },
  'runs.metrics': { id: RUN_ID, from: 0 },
  'runs.log': { id: RUN_ID },
  'runs.trajectories': { id: RUN_ID, filter: { outcome: 'success', limit: 10 } },
  'runs.trajectory': { id: RUN_ID, index: 0 },
  'runs.annotate': { id: RUN_ID, annotation: { trajectoryId: 't-1', step: 0, label: 'helps', correctedContribution: null, comment: '' } },
  'runs.start': { config: defaultRunConfig('alfworld', 'sft', 'smoke', 0), name: 'fuzz' },
  'runs.cancel': { id: RUN_ID },
  'runs.resume': { id: RUN_ID },
  'runs.delete': { id: RUN_ID, confirm: true },
  'runs.archive': { id: RUN_ID, archived: true },
  'runs.export': { id: RUN_ID, format: 'studio' },
  'runs.import': { fileName: 'a.jsonl', text: '' },
  'config.defaults': { env: 'alfworld', method: 'sft', preset: 'smoke' },
  'config.validate': { config: { anything: 1 } },
};

let big: string | null = null;
/** A 10 MB string (made once). */
export function tenMegabytes(): string {
  big ??= 'A'.repeat(10 * MB);
  return big;
}

/** An object nested `depth` levels deep ({a: {a: … {}}}), or an array. */
export function deep(depth: number, kind: 'object' | 'array' = 'object'): unknown {
  let v: unknown = kind === 'object' ? {} : [];
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { a: v } : [v];
  return v;
}

/** Values that are never a valid run id. */
const BAD_ID = (): unknown[] => [null, 0, true, [], {}, '', '../../etc/passwd', 'x'.repeat(129), '2026-11-22', `${RUN_ID}/..`, `${RUN_ID}\u0000`, 'A' + RUN_ID, NaN, Infinity];
const BAD_OFFSET = (): unknown[] => [-1, 1.5, NaN, Infinity, -Infinity, '0', null, true, [], {}, 2 ** 60];
const BAD_BOOL = (): unknown[] => ['true', 1, 0, null, [], {}, NaN];
const BAD_INDEX = (): unknown[] => [-1, 0.5, NaN, Infinity, '0', null, false, [], {}];
const longStr = (n: number) => 'x'.repeat(n);

/** Per channel: field path → values the contract documents as invalid there. */
const FIELDS: Record<ChannelName, { path: string[]; bad: () => unknown[] }[]> = {
  'app.info': [],
  'runs.list': [],
  'runs.get': [{ path: ['id'], bad: BAD_ID }],
  'runs.metrics': [
    { path: ['id'], bad: BAD_ID },
    { path: ['from'], bad: BAD_OFFSET },
  ],
  'runs.log': [
    { path: ['id'], bad: BAD_ID },
    { path: ['from'], bad: BAD_OFFSET },
  ],
  'runs.trajectories': [
    { path: ['id'], bad: BAD_ID },
    { path: ['filter'], bad: () => [null, 'x', 1, [], true] },
    { path: ['filter', 'outcome'], bad: () => ['all', 1, null, ''] },
    { path: ['filter', 'limit'], bad: () => [0, 1001, 1.5, NaN, Infinity, '10', null] },
    { path: ['filter', 'offset'], bad: () => [-1, 1.5, NaN, '0', null] },
    { path: ['filter', 'query'], bad: () => [longStr(501), 1, null, []] },
    { path: ['filter', 'taskType'], bad: () => [longStr(201), 1, null] },
    { path: ['filter', 'split'], bad: () => ['test', 'TRAIN', 1, null] },
    { path: ['filter', 'stage'], bad: () => [longStr(65), 1, null] },
    { path: ['filter', 'update'], bad: () => [-1, 1.5, NaN, '1', null] },
  ],
  'runs.trajectory': [
    { path: ['id'], bad: BAD_ID },
    { path: ['index'], bad: BAD_INDEX },
  ],
  'runs.annotate': [
    { path: ['id'], bad: BAD_ID },
    { path: ['annotation'], bad: () => [null, 'x', 1, []] },
    { path: ['annotation', 'trajectoryId'], bad: () => ['', longStr(513), 1, null] },
    { path: ['annotation', 'step'], bad: () => [-2, 10_001, 1.5, NaN, Infinity, '0', null] },
    { path: ['annotation', 'label'], bad: () => ['good', 'HELPS', 1, true] },
    { path: ['annotation', 'correctedContribution'], bad: () => [101, -101, NaN, Infinity, -Infinity, '0.5'] },
    { path: ['annotation', 'comment'], bad: () => [longStr(10_001), 1, null, []] },
  ],
  'runs.start': [
    { path: ['config'], bad: () => [null, 'x', 1, [], {}] },
    { path: ['config', 'env'], bad: () => ['mars', 1, null] },
    { path: ['config', 'method'], bad: () => ['dqn', 1, null] },
    { path: ['config', 'seed'], bad: () => [-1, 1.5, NaN, Infinity, '0', null] },
    { path: ['config', 'model', 'dModel'], bad: () => [4, 5000, 1.5, NaN, 'x'] },
    { path: ['config', 'sft', 'lr'], bad: () => [0, -1, NaN, Infinity, 'x'] },
    { path: ['name'], bad: () => [longStr(201), 1, null, []] },
  ],
  'runs.cancel': [{ path: ['id'], bad: BAD_ID }],
  'runs.resume': [{ path: ['id'], bad: BAD_ID }],
  'runs.delete': [
    { path: ['id'], bad: BAD_ID },
    { path: ['confirm'], bad: () => [false, 'true', 1, null, undefined] },
  ],
  'runs.archive': [
    { path: ['id'], bad: BAD_ID },
    { path: ['archived'], bad: BAD_BOOL },
  ],
  'runs.export': [
    { path: ['id'], bad: BAD_ID },
    { path: ['format'], bad: () => ['csv', 'STUDIO', 1, null] },
  ],
  'runs.import': [
    { path: ['fileName'], bad: () => ['', longStr(256), 1, null, []] },
    { path: ['text'], bad: () => [1, null, [], {}, true] },
  ],
  'config.defaults': [
    { path: ['env'], bad: () => ['mars', 1, null] },
    { path: ['method'], bad: () => ['dqn', 1, null] },
    { path: ['preset'], bad: () => ['huge', 1, null] },
    { path: ['seed'], bad: () => [-1, 1.5, NaN, Infinity, '0', null] },
  ],
  'config.validate': [],
};

/** Required top-level fields (those without a default in the contract). */
const REQUIRED: Record<ChannelName, string[]> = {
  'app.info': [],
  'runs.list': [],
  'runs.get': ['id'],
  'runs.metrics': ['id'],
  'runs.log': ['id'],
  'runs.trajectories': ['id'],
  'runs.trajectory': ['id', 'index'],
  'runs.annotate': ['id', 'annotation'],
  'runs.start': ['config'],
  'runs.cancel': ['id'],
  'runs.resume': ['id'],
  'runs.delete': ['id', 'confirm'],
  'runs.archive': ['id', 'archived'],
  'runs.export': ['id', 'format'],
  'runs.import': ['fileName', 'text'],
  'config.defaults': ['env', 'method', 'preset'],
  'config.validate': [],
};

/** Objects in each request that the contract declares strict (an unknown key is invalid there). */
const STRICT_OBJECTS: Record<ChannelName, string[][]> = {
  'app.info': [[]],
  'runs.list': [[]],
  'runs.get': [[]],
  'runs.metrics': [[]],
  'runs.log': [[]],
  'runs.trajectories': [[], ['filter']],
  'runs.trajectory': [[]],
  'runs.annotate': [[], ['annotation']],
  'runs.start': [[]],
  'runs.cancel': [[]],
  'runs.resume': [[]],
  'runs.delete': [[]],
  'runs.archive': [[]],
  'runs.export': [[]],
  'runs.import': [[]],
  'config.defaults': [[]],
  'config.validate': [[]],
};

export interface FuzzPayload {
  kind: string;
  payload: unknown;
  /** The field the refusal must name ('(root)' for the request itself). */
  field: string;
  /** A 10 MB string or a 1,000-deep value: costly, so capped per channel. */
  heavy: boolean;
}

/** A small seeded PRNG (sfc32), so a failing case can be replayed from its index. */
export function rng(seed: number): () => number {
  let a = 0x9e3779b9,
    b = 0x243f6a88,
    c = 0xb7e15162,
    d = seed >>> 0;
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown): void {
  let o = root;
  for (const k of path.slice(0, -1)) {
    const next = o[k];
    o = (typeof next === 'object' && next !== null ? next : (o[k] = {})) as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete o[last];
  else Object.defineProperty(o, last, { value, enumerable: true, writable: true, configurable: true });
}

function getAt(root: unknown, path: string[]): unknown {
  let o = root;
  for (const k of path) o = (o as Record<string, unknown>)[k];
  return o;
}

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isAdmin', ''];

/**
 * The `i`-th invalid payload for a channel (deterministic in channel and i). Kinds: root of a
 * wrong type, a required field missing, a field with a documented-invalid value (wrong type,
 * out of range, NaN/Infinity, too long), an unknown key in a strict object (prototype-pollution
 * keys included, set as own properties the way JSON.parse and structured clone set them),
 * a 10 MB string, a 1,000-deep value.
 */
export function invalidPayload(channel: ChannelName, i: number): FuzzPayload {
  const r = rng(i * 7919 + channel.length * 104729 + channel.charCodeAt(5));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const base = () => structuredClone(VALID[channel]) as Record<string, unknown>;
  const fields = FIELDS[channel];
  const required = REQUIRED[channel];
  const strict = STRICT_OBJECTS[channel];
  const kinds = ['root', 'unknown-key', 'proto-key', 'ten-mb', 'deep'];
  if (fields.length) kinds.push('field', 'field', 'field', 'field');
  if (required.length) kinds.push('missing');
  const kind = kinds[i % kinds.length]!;
  const path = (p: string[]) => (p.length ? p.join('.') : '(root)');
  switch (kind) {
    case 'root': {
      const value = pick([null, undefined, 0, -1, 'x', '', true, false, [], [VALID[channel]], NaN, Infinity]);
      return { kind: `root=${typeof value === 'number' ? String(value) : JSON.stringify(value) ?? 'undefined'}`, payload: value, field: '(root)', heavy: false };
    }
    case 'missing': {
      const p = base();
      const f = pick(required);
      delete p[f];
      return { kind: `missing ${f}`, payload: p, field: f, heavy: false };
    }
    case 'field': {
      const spec = pick(fields);
      const p = base();
      const value = pick(spec.bad());
      setAt(p, spec.path, value);
      return { kind: `${path(spec.path)}=${typeof value === 'string' && value.length > 20 ? `<${value.length} chars>` : typeof value === 'number' ? String(value) : JSON.stringify(value) ?? 'undefined'}`, payload: p, field: path(spec.path), heavy: false };
    }
    case 'unknown-key':
    case 'proto-key': {
      const p = base();
      const where = pick(strict);
      const key = kind === 'proto-key' ? pick(HOSTILE_KEYS.slice(0, 3)) : pick(HOSTILE_KEYS.slice(3)) + (r() < 0.5 ? '' : `_${Math.floor(r() * 1000)}`);
      const value = kind === 'proto-key' ? { polluted: true, toString: 'polluted' } : pick([1, 'x', null, { nested: true }]);
      const target = (where.length ? getAt(p, where) : p) as Record<string, unknown>;
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      return { kind: `${kind} ${path(where)}.${key}`, payload: p, field: path(where), heavy: false };
    }
    case 'ten-mb': {
      // At a string field with a length limit when there is one, else as an unknown key.
      const limited = fields.find((f) => f.path.join('.') === 'fileName' || f.path.join('.') === 'annotation.comment' || f.path.join('.') === 'filter.query' || f.path.join('.') === 'name');
      const p = base();
      if (limited) {
        setAt(p, limited.path, tenMegabytes());
        return { kind: `${path(limited.path)}=<10 MB>`, payload: p, field: path(limited.path), heavy: true };
      }
      if (fields[0] && fields[0].path.join('.') === 'id') {
        setAt(p, ['id'], tenMegabytes());
        return { kind: 'id=<10 MB>', payload: p, field: 'id', heavy: true };
      }
      Object.defineProperty(p, 'blob', { value: tenMegabytes(), enumerable: true, writable: true, configurable: true });
      return { kind: 'unknown key blob=<10 MB>', payload: p, field: '(root)', heavy: true };
    }
    default: {
      // 1,000-deep: at a typed field when there is one, else as an unknown key.
      const p = base();
      const value = deep(1000, r() < 0.5 ? 'object' : 'array');
      const spec = fields.length ? pick(fields) : null;
      if (spec) {
        setAt(p, spec.path, value);
        return { kind: `${path(spec.path)}=<1,000-deep>`, payload: p, field: path(spec.path), heavy: true };
      }
      Object.defineProperty(p, 'deep', { value, enumerable: true, writable: true, configurable: true });
      return { kind: 'unknown key deep=<1,000-deep>', payload: p, field: '(root)', heavy: true };
    }
  }
}

/**
 * What a refusal must say about `field`: the contract names the path of the first issue;
 * an unknown key is reported at the object holding it, a missing/invalid nested field at its
 * path or, when the value replaced a whole object, at that object.
 */
export function namesField(error: string, channel: ChannelName, field: string): boolean {
  if (!error.startsWith(`invalid request for ${channel} at `)) return false;
  const at = error.slice(`invalid request for ${channel} at `.length).split(':')[0] ?? '';
  if (field === '(root)') return at === '(root)';
  return at === field || at.startsWith(`${field}.`) || field.startsWith(`${at}.`);
}

/** JSON for the HTTP path: NaN and ±Infinity, which JSON cannot carry, become 1e999 or raw NaN text. */
export function toJsonBody(payload: unknown): string {
  if (payload === undefined) return 'undefined';
  const marks = new Map<string, string>();
  let n = 0;
  const text = JSON.stringify(payload, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      const mark = `__num_${n++}__`;
      marks.set(mark, Number.isNaN(v) ? 'NaN' : v > 0 ? '1e999' : '-1e999');
      return mark;
    }
    return v;
  });
  return text.replace(/"__num_\d+__"/g, (m) => marks.get(m.slice(1, -1)) ?? m);
}

export { CHANNEL_NAMES };
