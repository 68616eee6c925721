/**
 * Reliability test #13 of ../shared/docs/reliability.md: durable replace, checked on the real
 * file system calls rather than on the storage layer's own hook.
 *
 * Node's fs is spied on (the callback API write-file-atomic uses, fs.promises and FileHandle,
 * which durable.ts and the checkpoint writer use), every call on a path under the test's temp
 * folder is recorded, and each commit is checked: the temp file lives in the target's
 * directory, is fsynced exactly once before exactly one rename onto the target, and the
 * directory is fsynced after the rename. Commits come from every writer that replaces a file
 * or folder: writeFileAtomic, a run's status.json and config.json (run-folder), a stage's
 * done.json (stage-cache) and checkpoint folders. Then the faults: fsync and rename failing
 * (EIO) must propagate and leave the old content and no temp file; a directory that cannot be
 * fsynced (EINVAL, as on Windows or some network file systems) is reported, not fatal.
 */
import * as tf from '@tensorflow/tfjs';
import fs, { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { listCheckpoints, saveCheckpoint, type StorageEvent } from '../../engine/checkpoint';
import { fsyncDir, writeFileAtomic } from '../../engine/storage/durable';
import { createRun, writeRunStatus } from '../../main/runs/run-folder';
import { completeStage, openStage } from '../../main/runs/stage-cache';
import { reportFigure, scale } from './figures';
import { checkpointInput, disposeInput, SHARD_BYTES } from './fixtures/storage-checkpoint-input';

const roots: string[] = [];
function tempDir(): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'spa-rel-durable-'))); // paths as write-file-atomic sees them
  roots.push(d);
  return d;
}
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

type Call = { op: 'open'; path: string; flags: string } | { op: 'fsync'; path: string } | { op: 'rename'; from: string; to: string };
type Cb = (err: NodeJS.ErrnoException | null, value?: unknown) => void;
type AnyFn = (...args: unknown[]) => unknown;

interface Faults {
  /** Fail the fsync of a file (not a directory) whose path passes this test. */
  fsyncFile?: (path: string) => NodeJS.ErrnoException | null;
  /** Fail the fsync of a directory. */
  fsyncDir?: (path: string) => NodeJS.ErrnoException | null;
  rename?: (from: string, to: string) => NodeJS.ErrnoException | null;
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code });

/**
 * Records open/fsync/rename on paths under `root`, through both fs APIs, and injects faults.
 * FileHandle is not exported; its prototype is taken from a handle.
 */
async function traceFs(root: string, faults: Faults = {}): Promise<Call[]> {
  const calls: Call[] = [];
  const mine = (p: unknown) => String(p) === root || String(p).startsWith(root + sep);
  const fdPaths = new Map<number, string>();
  const handlePaths = new WeakMap<object, string>();
  const isDir = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

  const open = fs.open as unknown as AnyFn;
  vi.spyOn(fs, 'open').mockImplementation(((...args: unknown[]) => {
    const cb = args.pop() as Cb;
    open.call(fs, ...args, (err: NodeJS.ErrnoException | null, fd?: number) => {
      if (!err && mine(args[0])) {
        fdPaths.set(fd as number, String(args[0]));
        calls.push({ op: 'open', path: String(args[0]), flags: String(args[1] ?? 'r') });
      }
      cb(err, fd);
    });
  }) as never);
  const fsync = fs.fsync as unknown as AnyFn;
  vi.spyOn(fs, 'fsync').mockImplementation(((fd: number, cb: Cb) => {
    const path = fdPaths.get(fd);
    if (path === undefined) return fsync.call(fs, fd, cb);
    const fault = isDir(path) ? faults.fsyncDir?.(path) : faults.fsyncFile?.(path);
    if (fault) return process.nextTick(cb, fault);
    calls.push({ op: 'fsync', path });
    return fsync.call(fs, fd, cb);
  }) as never);
  const rename = fs.rename as unknown as AnyFn;
  vi.spyOn(fs, 'rename').mockImplementation(((from: string, to: string, cb: Cb) => {
    if (!mine(to)) return rename.call(fs, from, to, cb);
    const fault = faults.rename?.(from, to);
    if (fault) return process.nextTick(cb, fault);
    return rename.call(fs, from, to, (err: NodeJS.ErrnoException | null) => {
      if (!err) calls.push({ op: 'rename', from, to });
      cb(err);
    });
  }) as never);

  const popen = fs.promises.open.bind(fs.promises);
  vi.spyOn(fs.promises, 'open').mockImplementation(async (path, flags, mode) => {
    const fh = await popen(path, flags, mode);
    if (mine(path)) {
      handlePaths.set(fh, String(path));
      calls.push({ op: 'open', path: String(path), flags: String(flags ?? 'r') });
    }
    return fh;
  });
  const probe = await popen(root, 'r');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const sync = proto.sync;
  vi.spyOn(proto, 'sync').mockImplementation(async function (this: object) {
    const path = handlePaths.get(this);
    if (path !== undefined) {
      const fault = isDir(path) ? faults.fsyncDir?.(path) : faults.fsyncFile?.(path);
      if (fault) throw fault;
      calls.push({ op: 'fsync', path });
    }
    return sync.call(this);
  });
  const prename = fs.promises.rename.bind(fs.promises);
  vi.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
    const fault = mine(to) ? faults.rename?.(String(from), String(to)) : null;
    if (fault) throw fault;
    await prename(from, to);
    if (mine(to)) calls.push({ op: 'rename', from: String(from), to: String(to) });
  });
  return calls;
}

interface CommitCheck {
  target: string;
  kind: 'file' | 'folder';
  tempInTargetDir: boolean;
  /** fsyncs of the temp file (folder: of each file in it, and of the folder) before the rename. */
  fsyncsBeforeRename: number;
  filesInTemp: number;
  renames: number;
  dirFsyncedAfter: boolean;
}

/** One check per rename onto a target: the commits in `calls`. */
function commits(calls: Call[]): CommitCheck[] {
  const out: CommitCheck[] = [];
  calls.forEach((c, i) => {
    if (c.op !== 'rename' || basename(c.to).startsWith('.')) return; // moves aside (.old-, .trash-) are not commits
    const tmp = c.from;
    const before = calls.slice(0, i);
    const folder = before.some((b) => b.op === 'open' && dirname(b.path) === tmp);
    const inTemp = (p: string) => (folder ? dirname(p) === tmp || p === tmp : p === tmp);
    const files = new Set(before.filter((b) => b.op === 'open' && folder && dirname(b.path) === tmp).map((b) => (b as { path: string }).path));
    const fsyncs = before.filter((b) => b.op === 'fsync' && inTemp(b.path));
    // Each file of a folder fsynced once, and the folder itself once; a file: once.
    const fsyncedOnce = folder ? [...files, tmp].every((p) => fsyncs.filter((f) => (f as { path: string }).path === p).length === 1) : true;
    const next = calls.findIndex((n, j) => j > i && n.op === 'rename' && !basename(n.to).startsWith('.'));
    const after = calls.slice(i + 1, next === -1 ? undefined : next);
    out.push({
      target: c.to,
      kind: folder ? 'folder' : 'file',
      tempInTargetDir: dirname(tmp) === dirname(c.to),
      fsyncsBeforeRename: fsyncedOnce ? (folder ? 1 : fsyncs.length) : -1,
      filesInTemp: files.size,
      renames: calls.filter((r) => r.op === 'rename' && r.from === tmp).length,
      dirFsyncedAfter: after.some((a) => a.op === 'fsync' && a.path === dirname(c.to)),
    });
  });
  return out;
}

const run = (seed: number) => ({ env: 'alfworld' as const, method: 'spa', preset: 'tiny', seed, config: { updates: 10 }, date: new Date(Date.UTC(2026, 10, 22, 13, seed, 0)) });

describe('#13 durable replace', () => {
  it('every commit: temp in the target directory, 1 fsync before 1 rename, directory fsynced after', async () => {
    const root = tempDir();
    const calls = await traceFs(root);
    const replaces = scale(20, 200);
    const checkpoints = scale(2, 20);

    // writeFileAtomic: a new file, then replacements of it.
    const plain = join(root, 'plain.json');
    for (let i = 0; i < replaces; i++) await writeFileAtomic(plain, JSON.stringify({ version: i }));
    // A run: status.json + config.json on creation, then status updates.
    const runsDir = join(root, 'runs');
    const created = await createRun(runsDir, run(1));
    for (let i = 0; i < 5; i++) await writeRunStatus(created.paths.dir, { status: 'running', step: i });
    // A stage: stage.json on open, done.json on completion.
    const cacheDir = join(root, 'cache');
    const stage = await openStage(cacheDir, { stage: 'sft', slice: { epochs: 1 } });
    writeFileSync(join(stage.dir, 'weights.bin'), 'x');
    await completeStage(cacheDir, 'sft', stage.key, created.meta.id);
    // Checkpoint folders.
    const ckptDir = join(root, 'checkpoints');
    for (let s = 1; s <= checkpoints; s++) {
      const input = checkpointInput(s);
      await saveCheckpoint(ckptDir, input, { shardBytes: SHARD_BYTES, keep: 2 });
      disposeInput(input);
    }
    vi.restoreAllMocks();

    const found = commits(calls);
    const files = found.filter((c) => c.kind === 'file');
    const folders = found.filter((c) => c.kind === 'folder');
    // replaces + 2 (run creation) + 5 status + stage.json + done.json
    expect(files).toHaveLength(replaces + 2 + 5 + 2);
    expect(folders).toHaveLength(checkpoints);
    expect(new Set(files.map((c) => basename(c.target)))).toEqual(new Set(['plain.json', 'status.json', 'config.json', 'stage.json', 'done.json']));
    const bad = found.filter((c) => !(c.tempInTargetDir && c.fsyncsBeforeRename === 1 && c.renames === 1 && c.dirFsyncedAfter));
    expect(bad).toEqual([]);
    expect(folders.every((c) => c.filesInTemp === 10)).toBe(true); // 5 shards + 4 JSON + manifest, each fsynced once
    // The result is what was written last, and no temp file is left anywhere.
    expect(JSON.parse(readFileSync(plain, 'utf8'))).toEqual({ version: replaces - 1 });
    const leftovers = fs.readdirSync(root, { recursive: true }).map(String).filter((p) => /\.json\.\d+$|(^|[\\/])\.tmp-/.test(p));
    expect(leftovers).toEqual([]);

    reportFigure(
      13,
      'durable replace (fs spied)',
      `${found.length}/${found.length} commits (${files.length} file replaces: writeFileAtomic, status.json, config.json, stage.json, done.json; ${folders.length} checkpoint folders of 10 files): ` +
        `temp in the target's directory, 1 fsync (per file) before 1 rename, directory fsynced after the rename; 0 temp files left`,
      { commits: found.length, fileReplaces: files.length, checkpointFolders: folders.length, deviations: bad.length },
    );
  });

  it('an fsync or rename that fails propagates, leaves the old content and no temp; a directory that cannot be fsynced is reported, not fatal', async () => {
    const root = tempDir();
    const target = join(root, 'status.json');
    writeFileSync(target, '{"version":"old"}');
    const results: string[] = [];

    await traceFs(root, { fsyncFile: (p) => (p.startsWith(`${target}.`) ? errno('EIO') : null) });
    await expect(writeFileAtomic(target, '{"version":"new"}')).rejects.toMatchObject({ code: 'EIO' });
    vi.restoreAllMocks();
    expect(readFileSync(target, 'utf8')).toBe('{"version":"old"}');
    expect(readdirSync(root)).toEqual(['status.json']);
    results.push('fsync EIO');

    await traceFs(root, { rename: (_f, to) => (to === target ? errno('EIO') : null) });
    await expect(writeFileAtomic(target, '{"version":"new"}')).rejects.toMatchObject({ code: 'EIO' });
    vi.restoreAllMocks();
    expect(readFileSync(target, 'utf8')).toBe('{"version":"old"}');
    expect(readdirSync(root)).toEqual(['status.json']);
    results.push('rename EIO');

    // A checkpoint whose shard cannot be fsynced: rejected, nothing visible, swept next time.
    const ckptDir = join(root, 'checkpoints');
    const input = checkpointInput(1);
    await traceFs(root, { fsyncFile: (p) => (p.endsWith('.bin') ? errno('EIO') : null) });
    await expect(saveCheckpoint(ckptDir, input, { shardBytes: SHARD_BYTES })).rejects.toMatchObject({ code: 'EIO' });
    vi.restoreAllMocks();
    expect(await listCheckpoints(ckptDir)).toEqual([]);
    await saveCheckpoint(ckptDir, input, { shardBytes: SHARD_BYTES });
    expect(readdirSync(ckptDir)).toEqual(['step-1']);
    results.push('checkpoint fsync EIO');

    // Directory fsync unsupported (EINVAL): the save completes and says so; a real disk error (EIO) is not swallowed.
    const events: StorageEvent[] = [];
    await traceFs(root, { fsyncDir: () => errno('EINVAL') });
    await saveCheckpoint(ckptDir, { ...input, step: 2 }, { shardBytes: SHARD_BYTES, onStorage: (e) => void events.push(e) });
    expect(await fsyncDir(root)).toBe(false);
    vi.restoreAllMocks();
    const dirSyncs = events.filter((e) => e.op === 'fsyncDir');
    expect(dirSyncs.length).toBeGreaterThan(0);
    expect(dirSyncs.every((e) => e.op === 'fsyncDir' && !e.supported)).toBe(true);
    expect((await listCheckpoints(ckptDir)).map((c) => c.step)).toEqual([2, 1]);
    results.push('directory fsync EINVAL → reported unsupported');
    await traceFs(root, { fsyncDir: () => errno('EIO') });
    await expect(fsyncDir(root)).rejects.toMatchObject({ code: 'EIO' });
    await expect(writeFileAtomic(target, '{"version":"new"}')).rejects.toMatchObject({ code: 'EIO' });
    vi.restoreAllMocks();
    results.push('directory fsync EIO → rejected');
    disposeInput(input);

    expect(results).toHaveLength(5);
    reportFigure(13, 'durable replace under injected faults', `${results.length}/${results.length} injected faults behave: ${results.join('; ')}; old content intact and 0 temp files after each failed replace`, {
      faults: results.length,
    });
  });
});
