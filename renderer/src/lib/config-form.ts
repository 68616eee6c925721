/**
 * Turns a run config object into form groups and fields. The config object decides what is
 * shown (so fields the pipeline adds appear without UI changes); the zod schema adds what it
 * knows (integer or not, bounds, enum options) and field-docs.ts the one-line hints.
 */
import { z } from 'zod';
import { RunConfigSchema } from '../../../common/run-config';
import { FIELD_DOCS } from './field-docs';

export type FieldKind = 'number' | 'int' | 'enum' | 'bool' | 'text';

export interface FieldSpec {
  path: string;
  key: string;
  kind: FieldKind;
  options: string[];
  min: number | null;
  max: number | null;
  doc: string | null;
}

export interface GroupSpec {
  path: string;
  title: string;
  doc: string | null;
  fields: FieldSpec[];
}

/** Chosen with the selectors above the form, not edited as fields. */
export const SELECTOR_KEYS = new Set(['env', 'method', 'preset', 'seed']);

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s && (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable)) s = s.unwrap() as z.ZodType;
  return s;
}

export function schemaAt(path: string[], root: z.ZodType = RunConfigSchema): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (const key of path) {
    if (!(s instanceof z.ZodObject)) return undefined;
    s = unwrap((s.shape as Record<string, z.ZodType>)[key]);
  }
  return s;
}

function fieldFor(path: string[], value: unknown): FieldSpec | null {
  const schema = schemaAt(path);
  const key = path[path.length - 1]!;
  const base = { path: path.join('.'), key, options: [] as string[], min: null, max: null, doc: FIELD_DOCS[path.join('.')] ?? null };
  if (schema instanceof z.ZodEnum) return { ...base, kind: 'enum', options: schema.options.map(String) };
  if (typeof value === 'boolean') return { ...base, kind: 'bool' };
  if (typeof value === 'number') {
    const n = schema instanceof z.ZodNumber ? schema : null;
    return { ...base, kind: n?.isInt ? 'int' : 'number', min: n?.minValue ?? null, max: n?.maxValue ?? null };
  }
  if (typeof value === 'string') return { ...base, kind: 'text' };
  return null;
}

const isGroup = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Groups in config order; top-level scalars form a "general" group first. */
export function describeConfig(config: Record<string, unknown>): GroupSpec[] {
  const general: GroupSpec = { path: '', title: 'general', doc: null, fields: [] };
  const groups: GroupSpec[] = [];
  const walk = (obj: Record<string, unknown>, path: string[], group: GroupSpec) => {
    for (const [key, value] of Object.entries(obj)) {
      const p = [...path, key];
      if (path.length === 0 && SELECTOR_KEYS.has(key)) continue;
      if (isGroup(value)) {
        // Nested groups deeper than one level are flattened into their parent with dotted keys.
        if (path.length === 0) {
          const g: GroupSpec = { path: key, title: key, doc: FIELD_DOCS[key] ?? null, fields: [] };
          groups.push(g);
          walk(value, p, g);
        } else walk(value, p, group);
        continue;
      }
      const f = fieldFor(p, value);
      if (f) group.fields.push(path.length > 1 ? { ...f, key: p.slice(1).join('.') } : f);
    }
  };
  walk(config, [], general);
  return general.fields.length ? [general, ...groups] : groups;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (!isGroup(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (!isGroup(next)) return;
    cur = next;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** zod issues as {path → message}; issues without a path land under "". */
export function issuesByPath(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const p = issue.path.join('.');
    if (!(p in out)) out[p] = issue.message;
  }
  return out;
}

/** Leaf paths of an object (for checking that every field has a doc). */
export function leafPaths(obj: Record<string, unknown>, prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (isGroup(v)) out.push(...leafPaths(v, [...prefix, k]));
    else out.push([...prefix, k].join('.'));
  }
  return out;
}
