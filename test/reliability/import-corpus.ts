/**
 * Import files for test #24: valid single-record files of each format (studio JSONL, SPA-RL SFT,
 * exploration shard, inference results; the three environments), and mutations of them that are
 * invalid BY CONSTRUCTION, each with what the refusal must name. The oracle is written from
 * the formats' documented types here, not read from the importer's schemas.
 */
import type { RunTrajectory } from '../../common/run-schema';
import { expertTrajectories } from '../../envs/expert-data';
import { exportTrajectories } from '../../main/io/export';
import { rng } from './ipc-payloads';

export const FORMATS = ['studio', 'spa-rl-sft', 'spa-rl-exploration', 'spa-rl-inference'] as const;
export type Format = (typeof FORMATS)[number];
const ENVS = ['alfworld', 'webshop', 'virtualhome'] as const;

/** Expert trajectories with estimator outputs (so the inference format has c_t). */
function scoredExpert(env: (typeof ENVS)[number], n: number): RunTrajectory {
  const t = [...expertTrajectories({ env, split: 'train', count: n + 1 })][n]!;
  return {
    ...t,
    ackContribution: 0.01,
    steps: t.steps.map((s, j) => ({ ...s, contribution: Math.round(((j + 1) * 1000) / t.steps.length) / 1000 })),
  };
}

/** The one record of a valid file of `format`, as a JSON value. */
export function baseRecord(format: Format, env: (typeof ENVS)[number], n = 0): Record<string, unknown> {
  const t = scoredExpert(env, n);
  if (format === 'studio') {
    return {
      ...t,
      meta: { source: 'fuzz', note: 'kept' },
      annotations: [{ trajectoryId: t.id, step: 0, label: 'helps', correctedContribution: 0.2, comment: 'first step', at: '2026-11-22T10:00:00.000Z' }],
    };
  }
  return (JSON.parse(exportTrajectories('2026-11-22T10-00-00-x-spa-s1', [t], [], format).text) as Record<string, unknown>[])[0]!;
}

/** A file holding these records in `format`'s layout. */
export function fileOf(format: Format, records: unknown[]): string {
  if (format === 'studio') return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  return `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
const SAMPLE: Record<JsonType, unknown> = { string: 'x', number: 7, boolean: true, null: null, array: [1], object: { k: 1 } };

/** Typed fields of each format: path → the JSON types the format allows there. */
const TYPED: Record<Format, [string, JsonType[]][]> = {
  studio: [
    ['id', ['string']],
    ['env', ['string']],
    ['split', ['string']],
    ['taskId', ['string']],
    ['taskType', ['string']],
    ['goal', ['string']],
    ['policy', ['string']],
    ['seed', ['number']],
    ['initialObservation', ['string']],
    ['steps', ['array']],
    ['steps.0', ['object']],
    ['steps.0.text', ['string']],
    ['steps.0.thought', ['string']],
    ['steps.0.action', ['string', 'null']],
    ['steps.0.observation', ['string']],
    ['steps.0.valid', ['boolean']],
    ['steps.0.reward', ['number']],
    ['steps.0.progress', ['number']],
    ['steps.0.contribution', ['number']],
    ['finalReward', ['number']],
    ['success', ['boolean']],
    ['terminated', ['boolean']],
    ['truncated', ['boolean']],
    ['ackContribution', ['number']],
    ['meta', ['object']],
    ['annotations', ['array']],
    ['annotations.0', ['object']],
    ['annotations.0.step', ['number']],
    ['annotations.0.label', ['string', 'null']],
    ['annotations.0.comment', ['string']],
    ['annotations.0.trajectoryId', ['string']],
  ],
  'spa-rl-sft': [
    ['id', ['number', 'string']],
    ['conversations', ['array']],
    ['conversations.0', ['object']],
    ['conversations.2.from', ['string']],
    ['conversations.3.value', ['string']],
    ['game_file', ['string']],
    ['path', ['string']],
    ['task', ['string']],
  ],
  'spa-rl-exploration': [
    ['id', ['number', 'string']],
    ['iteration', ['number']],
    ['agent_conversations', ['array']],
    ['agent_conversations.1', ['object']],
    ['agent_conversations.2.role', ['string']],
    ['agent_conversations.3.content', ['string']],
    ['agent_final_reward', ['number', 'boolean']],
    ['success', ['boolean']],
    ['game_file', ['string']],
    ['path', ['string']],
    ['task', ['string']],
  ],
  'spa-rl-inference': [
    ['sample_id', ['number']],
    ['prediction', ['number']],
    ['ground_truth', ['number']],
    ['loss', ['number']],
    ['turn_values', ['array']],
    ['turn_values.1', ['number']],
    ['conversations', ['array']],
    ['conversations.2.from', ['string']],
    ['conversations.3.value', ['string']],
    ['id', ['number', 'string']],
    ['iteration', ['number']],
    ['agent_final_reward', ['number', 'boolean']],
    ['game_file', ['string']],
    ['path', ['string']],
  ],
};

/** Numeric fields (for NaN and Infinity) and constrained string fields (for 10 MB strings). */
const NUMERIC: Record<Format, string[]> = {
  studio: ['seed', 'finalReward', 'steps.0.reward', 'steps.0.progress', 'steps.0.contribution', 'ackContribution', 'annotations.0.step'],
  'spa-rl-sft': ['id'],
  'spa-rl-exploration': ['iteration', 'agent_final_reward'],
  'spa-rl-inference': ['turn_values.1', 'prediction', 'ground_truth', 'loss', 'sample_id'],
};
const CONSTRAINED: Record<Format, string[]> = {
  studio: ['split', 'env', 'annotations.0.label', 'annotations.0.trajectoryId'],
  'spa-rl-sft': ['conversations.0.from', 'conversations.3.from'],
  'spa-rl-exploration': ['agent_conversations.0.role', 'agent_conversations.3.role'],
  'spa-rl-inference': ['conversations.1.from'],
};

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

function has(root: unknown, path: string): boolean {
  let o = root;
  for (const k of path.split('.')) {
    if (typeof o !== 'object' || o === null || !Object.hasOwn(o, k)) return false;
    o = (o as Record<string, unknown>)[k];
  }
  return true;
}

function setPath(root: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = root as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

let tenMb: string | null = null;
const TEN_MB = () => (tenMb ??= 'Z'.repeat(10 * 1024 * 1024));

export interface Mutant {
  kind: string;
  format: Format;
  text: string;
  /** What the refusal message must contain. */
  names: RegExp;
  heavy: boolean;
}

const esc = (path: string) => path.replace(/\./g, '\\.');

/**
 * The `i`-th invalid file (deterministic). `hugeSteps` is the step count of the huge-trajectory
 * case (10^6 in the long run).
 */
export function invalidFile(i: number, hugeSteps: number): Mutant {
  const r = rng(i * 2654435761);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const format = FORMATS[i % FORMATS.length]!;
  const env = ENVS[Math.floor(i / FORMATS.length) % ENVS.length]!;
  const rec = baseRecord(format, env, Math.floor(i / 12) % 3);
  const kinds = ['truncate', 'swap', 'swap', 'swap', 'nan', 'infinity', 'ten-mb', 'huge-steps', 'schema', 'truncate', 'swap', 'swap'];
  const kind = kinds[Math.floor(r() * kinds.length)]!;
  const where = format === 'studio' ? 'line 1' : 'record \\[0\\]';
  switch (kind) {
    case 'truncate': {
      const text = fileOf(format, [rec]);
      const content = text.trimEnd().length;
      const at = Math.floor(r() * content); // strictly inside: never the whole content
      return { kind: `truncate at ${at}/${content}`, format, text: text.slice(0, at), names: /the file is empty|is not valid JSON|line 1 is not a JSON object: .*JSON|not JSON;/, heavy: false };
    }
    case 'swap': {
      const fields = TYPED[format].filter(([p]) => has(rec, p));
      const [path, allowed] = pick(fields);
      const wrong = pick((Object.keys(SAMPLE) as JsonType[]).filter((t) => !allowed.includes(t)));
      setPath(rec, path, structuredClone(SAMPLE[wrong]));
      return { kind: `${path}: ${typeOf(SAMPLE[wrong])} for ${allowed.join('|')}`, format, text: fileOf(format, [rec]), names: new RegExp(`${where}: at ${esc(path)}\\b`), heavy: false };
    }
    case 'nan':
    case 'infinity': {
      const path = pick(NUMERIC[format].filter((p) => has(rec, p)));
      setPath(rec, path, '__NUMBER_MARK__');
      const literal = kind === 'nan' ? pick(['NaN', '-NaN']) : pick(['1e999', '-1e999']);
      const text = fileOf(format, [rec]).replace('"__NUMBER_MARK__"', literal);
      // NaN is not JSON: the line/record is named; 1e999 parses to Infinity, which the schema refuses at the field.
      return { kind: `${path}=${literal}`, format, text, names: kind === 'nan' ? new RegExp(`not valid JSON: record \\[0\\]|line 1 is not a JSON object: .*JSON`) : new RegExp(`${where}: at ${esc(path)}\\b`), heavy: false };
    }
    case 'ten-mb': {
      const path = pick(CONSTRAINED[format].filter((p) => has(rec, p)));
      setPath(rec, path, TEN_MB());
      return { kind: `${path}=<10 MB>`, format, text: fileOf(format, [rec]), names: new RegExp(`${where}: at ${esc(path)}\\b`), heavy: true };
    }
    case 'huge-steps': {
      const field = format === 'studio' ? 'steps' : format === 'spa-rl-exploration' ? 'agent_conversations' : 'conversations';
      setPath(rec, field, '__HUGE__');
      const one =
        format === 'studio'
          ? '{"text":"","thought":"","action":null,"observation":"","valid":true,"reward":0,"progress":0}'
          : format === 'spa-rl-exploration'
            ? '{"role":"assistant","content":"Action: look"},{"role":"user","content":"ok"}'
            : '{"from":"gpt","value":"Action: look"},{"from":"human","value":"ok"}';
      const text = fileOf(format, [rec]).replace('"__HUGE__"', `[${new Array<string>(hugeSteps).fill(one).join(',')}]`);
      // Refused for its step count, or (over 64 MB of text) for its length before it is read.
      return { kind: `${field} × ${hugeSteps.toLocaleString('en')}`, format, text, names: new RegExp(`${where}(: at ${field}: has \\d+|:? (is )?longer than \\d+ MB)`), heavy: true };
    }
    default: {
      if (format === 'studio') {
        const version = pick(['spa-studio/trajectory@2', 'spa-studio/trajectory@0', 'spa-studio/trajectory', 'SPA-STUDIO/TRAJECTORY@1', '']);
        rec.schema = version;
        return { kind: `schema=${JSON.stringify(version)}`, format, text: fileOf(format, [rec]), names: /no schema "spa-studio\/trajectory@1"/, heavy: false };
      }
      // SPA-RL files have no version field: the key that says the format is misspelt.
      const key = format === 'spa-rl-exploration' ? 'agent_conversations' : 'conversations';
      const renamed = Object.fromEntries(Object.entries(rec).map(([k, v]) => [k === key ? `${key}_v2` : k, v]));
      const names = format === 'spa-rl-inference' ? new RegExp(`${where}: at conversations\\b`) : /no record in the array has conversations, agent_conversations or turn_values/;
      return { kind: `${key} renamed`, format, text: fileOf(format, [renamed]), names, heavy: false };
    }
  }
}

export interface ValidFile {
  kind: string;
  format: Format;
  text: string;
  /** Records the file must import as (and be skipped). */
  trajectories: number;
  skipped: number;
  /** A refusal the oracle expects instead (hostile keys in a strict place), naming this. */
  refusedNaming?: RegExp;
}

/** Valid files: each format × env, 10 MB free-text fields, prototype-pollution keys where they are allowed, one bad record among good ones. */
export function validFiles(): ValidFile[] {
  const out: ValidFile[] = [];
  for (const format of FORMATS) {
    for (const env of ENVS) {
      out.push({ kind: `${format}/${env}`, format, text: fileOf(format, [baseRecord(format, env, 0), baseRecord(format, env, 1)]), trajectories: 2, skipped: 0 });
    }
  }
  // 10 MB in free-text fields: accepted, kept whole.
  const big = baseRecord('studio', 'alfworld');
  (big as { goal: string }).goal = TEN_MB();
  out.push({ kind: 'studio goal=<10 MB>', format: 'studio', text: fileOf('studio', [big]), trajectories: 1, skipped: 0 });
  const bigSft = baseRecord('spa-rl-sft', 'webshop');
  (bigSft.conversations as { value: string }[])[3]!.value = `Thought: ${TEN_MB()}\nAction: search[x]`;
  out.push({ kind: 'sft conversations.3.value=<10 MB>', format: 'spa-rl-sft', text: fileOf('spa-rl-sft', [bigSft]), trajectories: 1, skipped: 0 });
  // Prototype-pollution keys, written as JSON text (own properties, as a hostile file has them).
  const hostile = (format: Format, record: Record<string, unknown>, inject: (json: string) => string) => fileOf(format, [JSON.parse(inject(JSON.stringify(record)))]);
  const polluting = '"__proto__":{"polluted":true,"toString":"polluted"},"constructor":{"prototype":{"polluted":true}}';
  out.push({ kind: 'studio __proto__/constructor at top level', format: 'studio', text: hostile('studio', baseRecord('studio', 'webshop'), (j) => `{${polluting},${j.slice(1)}`), trajectories: 1, skipped: 0 });
  out.push({ kind: 'studio __proto__ in a step', format: 'studio', text: hostile('studio', baseRecord('studio', 'webshop'), (j) => j.replace('"steps":[{', `"steps":[{${polluting},`)), trajectories: 1, skipped: 0 });
  out.push({ kind: 'studio __proto__ in meta', format: 'studio', text: hostile('studio', baseRecord('studio', 'webshop'), (j) => j.replace('"meta":{', `"meta":{${polluting},`)), trajectories: 1, skipped: 0 });
  out.push({
    kind: 'studio __proto__ in an annotation (strict: refused)',
    format: 'studio',
    text: hostile('studio', baseRecord('studio', 'webshop'), (j) => j.replace('"annotations":[{', `"annotations":[{${polluting},`)),
    trajectories: 0,
    skipped: 1,
    refusedNaming: /line 1: at annotations\.0\b/,
  });
  out.push({ kind: 'sft __proto__ at top level', format: 'spa-rl-sft', text: hostile('spa-rl-sft', baseRecord('spa-rl-sft', 'alfworld'), (j) => `{${polluting},${j.slice(1)}`), trajectories: 1, skipped: 0 });
  out.push({ kind: 'exploration __proto__ in a message', format: 'spa-rl-exploration', text: hostile('spa-rl-exploration', baseRecord('spa-rl-exploration', 'alfworld'), (j) => j.replace('"agent_conversations":[{', `"agent_conversations":[{${polluting},`)), trajectories: 1, skipped: 0 });
  // One bad record among good ones: imported, the bad one skipped with the field named.
  const bad = baseRecord('studio', 'virtualhome', 1);
  (bad.steps as { valid: unknown }[])[0]!.valid = 'yes';
  out.push({ kind: 'studio: 1 bad record of 3', format: 'studio', text: fileOf('studio', [baseRecord('studio', 'virtualhome', 0), bad, baseRecord('studio', 'virtualhome', 2)]), trajectories: 2, skipped: 1 });
  return out;
}
