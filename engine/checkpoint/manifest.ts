/**
 * manifest.json: the commit record of a checkpoint folder, written last. It lists every file
 * with its size and sha256; a folder counts as a checkpoint only if the manifest checks and
 * every file matches it. Size catches truncation cheaply; sha256 catches a flipped byte.
 * The manifest checks itself with the log-line CRC (one JSON line ending in "crc"), so a
 * flipped byte in a field nothing else covers (createdAt) is caught too.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeLine, encodeRecord } from '../storage/append-log';
import { sha256Hex } from '../storage/durable';

export const CHECKPOINT_SCHEMA = 'spa-studio/checkpoint@1' as const;
export const MANIFEST_FILE = 'manifest.json';

const FileEntrySchema = z.strictObject({
  // A plain file name inside the folder: no separators, no leading dot (so no "..").
  path: z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileEntry = z.infer<typeof FileEntrySchema>;

export const ManifestSchema = z.object({
  schema: z.literal(CHECKPOINT_SCHEMA),
  step: z.number().int().nonnegative(),
  createdAt: z.string(),
  files: z.array(FileEntrySchema).min(1),
});
export type CheckpointManifest = z.infer<typeof ManifestSchema>;

/** Why a folder is not a usable checkpoint (torn, corrupt, or not ours). */
export class CheckpointError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`${dir}: ${reason}`);
    this.name = 'CheckpointError';
  }
}

/** The manifest as written: one checked JSON line. */
export function encodeManifest(manifest: CheckpointManifest): string {
  return encodeRecord(manifest) + '\n';
}

export function fileEntry(path: string, data: Uint8Array | string): FileEntry {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
  return { path, bytes, sha256: sha256Hex(data) };
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await fsp.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function readManifest(dir: string): Promise<CheckpointManifest> {
  const raw = await readOrNull(join(dir, MANIFEST_FILE));
  if (raw === null) throw new CheckpointError(dir, 'no manifest.json (the save did not finish)');
  const text = raw.at(-1) === 0x0a ? raw.subarray(0, -1) : raw;
  const decoded = decodeLine(text);
  if (!decoded.ok) throw new CheckpointError(dir, `manifest.json fails its check (${decoded.reason})`);
  const parsed = ManifestSchema.safeParse(decoded.record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CheckpointError(dir, `manifest.json is malformed at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * Reads every file the manifest lists and checks it, returning the bytes so the caller does
 * not read them twice. `sizesOnly` skips hashing (a quick structural check for pruning).
 */
export async function readVerified(
  dir: string,
  required: readonly string[],
  sizesOnly = false,
  expectedStep?: number,
): Promise<{ manifest: CheckpointManifest; files: Map<string, Buffer> }> {
  const manifest = await readManifest(dir);
  if (expectedStep !== undefined && manifest.step !== expectedStep) {
    throw new CheckpointError(dir, `manifest.json says step ${manifest.step}, the folder is step-${expectedStep}`);
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const r of required) if (!listed.has(r)) throw new CheckpointError(dir, `manifest.json does not list ${r}`);
  const files = new Map<string, Buffer>();
  for (const f of manifest.files) {
    if (sizesOnly) {
      const st = await fsp.stat(join(dir, f.path)).catch(() => null);
      if (!st) throw new CheckpointError(dir, `${f.path} is missing`);
      if (st.size !== f.bytes) throw new CheckpointError(dir, `${f.path} has ${st.size} bytes, the manifest says ${f.bytes} (truncated or torn)`);
      continue;
    }
    const data = await readOrNull(join(dir, f.path));
    if (data === null) throw new CheckpointError(dir, `${f.path} is missing`);
    if (data.byteLength !== f.bytes) {
      throw new CheckpointError(dir, `${f.path} has ${data.byteLength} bytes, the manifest says ${f.bytes} (truncated or torn)`);
    }
    if (sha256Hex(data) !== f.sha256) throw new CheckpointError(dir, `${f.path} does not match its sha256 (corrupt)`);
    files.set(f.path, data);
  }
  return { manifest, files };
}
