/**
 * Durable file primitives shared by checkpoints, run folders and the stage cache.
 *
 * What each one guards against (local POSIX filesystem):
 * - kill -9: bytes handed to the kernel with write() survive; a same-directory rename is
 *   all-or-nothing. So "write a temp, then rename" never exposes a half-written file.
 * - OS crash / power loss: without fsync the rename can reach the disk before the data,
 *   leaving a renamed but empty or zero-filled file (the diffusion-pipe#159 symptom). So
 *   file data is fsynced before the rename, and the directory is fsynced after it so the
 *   rename itself is on disk.
 * Directory fsync is not possible everywhere (Windows cannot open a directory for it);
 * there it is skipped and reported as unsupported instead of failing the save.
 *
 * Every step can be observed through a `StorageHook`: tests use it to check the order of
 * operations and to abandon a save at each boundary, the way a kill would.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';

export type StorageEvent =
  | { op: 'write'; path: string; bytes: number }
  | { op: 'fsync'; path: string }
  | { op: 'fsyncDir'; path: string; supported: boolean }
  | { op: 'rename'; from: string; to: string }
  | { op: 'atomicWrite'; path: string; tmp: string }
  | { op: 'remove'; path: string };

/** Called after each storage step completes; a throw abandons the operation there (a simulated kill). */
export type StorageHook = (event: StorageEvent) => void | Promise<void>;

async function emit(hook: StorageHook | undefined, event: StorageEvent): Promise<void> {
  if (hook) await hook(event);
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Writes a new file and fsyncs it before closing. Exclusive ('wx'): used only for fresh
 * files inside a temp folder that is renamed into place afterwards, so an existing file
 * here means two writers, which is a bug worth failing on.
 */
export async function writeFileDurable(path: string, data: Uint8Array | string, hook?: StorageHook): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fh = await fsp.open(path, 'wx');
  try {
    await fh.writeFile(bytes);
    await emit(hook, { op: 'write', path, bytes: bytes.byteLength });
    await fh.sync();
    await emit(hook, { op: 'fsync', path });
  } finally {
    await fh.close();
  }
}

// Errors that mean "this platform/filesystem cannot fsync a directory", not "the disk failed".
const DIR_FSYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'ENOTSUP', 'EACCES']);

/** Makes renames and new entries in `dir` durable. Returns false where the OS cannot do it. */
export async function fsyncDir(dir: string, hook?: StorageHook): Promise<boolean> {
  let supported = true;
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch (e) {
    if (!DIR_FSYNC_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    supported = false;
  } finally {
    await fh?.close();
  }
  await emit(hook, { op: 'fsyncDir', path: dir, supported });
  return supported;
}

// Windows refuses a rename while a scanner holds the file; steno retries the same way.
const RENAME_RETRYABLE = new Set(['EPERM', 'EBUSY', 'EACCES']);

/** rename(2), retried briefly on Windows' transient sharing errors. */
export async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fsp.rename(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (process.platform !== 'win32' || !RENAME_RETRYABLE.has(code) || attempt >= 9) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Renames (same directory tree, so atomic) and fsyncs the destination's directory. */
export async function renameDurable(from: string, to: string, hook?: StorageHook): Promise<void> {
  await renameWithRetry(from, to);
  await emit(hook, { op: 'rename', from, to });
  await fsyncDir(dirname(to), hook);
  if (dirname(from) !== dirname(to)) await fsyncDir(dirname(from), hook);
}

/**
 * Replaces a small file atomically and durably: write-file-atomic writes a uniquely named
 * temp next to the target (same directory, so the rename cannot cross devices), fsyncs it
 * and renames it over the target; we then fsync the directory, which write-file-atomic
 * does not. Readers see the old or the new content, never a mix.
 */
export async function writeFileAtomic(path: string, data: string | Buffer, hook?: StorageHook): Promise<void> {
  let tmp = '';
  await writeFileAtomicLib(path, data, {
    fsync: true,
    tmpfileCreated: (t: string) => {
      tmp = t;
    },
  });
  await emit(hook, { op: 'atomicWrite', path, tmp });
  await fsyncDir(dirname(path), hook);
}

/** Removes a file or folder tree; missing is fine. */
export async function removeTree(path: string, hook?: StorageHook): Promise<void> {
  await fsp.rm(path, { recursive: true, force: true });
  await emit(hook, { op: 'remove', path });
}

/**
 * JSON for state that must come back exactly: refuses NaN/±Infinity (JSON.stringify would
 * silently write null) and undefined at the top level, instead of saving something lossy.
 */
export function exactJson(value: unknown, what: string, indent?: number): string {
  const text = JSON.stringify(
    value,
    (key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        throw new TypeError(`${what}: ${String(v)} at "${key}" cannot be stored exactly in JSON`);
      }
      return v;
    },
    indent,
  ) as string | undefined;
  if (text === undefined) throw new TypeError(`${what} is not JSON-serializable`);
  return text;
}
