/**
 * A grid's evidence: each completed run's folder without its weights and training rollouts
 * (config, status, stages, metrics, log, annotations and the evaluation trajectories) as one
 * `<run id>.tar.gz`, and the grid's session records. Small enough to commit beside the report,
 * so anyone can trace and re-derive every number in it without the 14 hours of compute:
 * `spa reproduce --report-only --evidence <dir> --data-dir <empty folder>` rebuilds the report,
 * `spa studio --data-dir <that folder>` opens the runs in Compare. `spa reproduce --evidence`
 * restores the archives before it starts, so a grid interrupted on one machine resumes on
 * another with its finished runs reused (their shared stages, whose weights are not kept,
 * are trained again where an unfinished method of that seed needs them).
 */
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as tar from 'tar';
import { isRunId } from '../../common/run-id';
import { removeTree, renameDurable } from '../../engine/storage/durable';
import { RUN_FILES, runPaths, workspacePaths } from '../runs/run-folder';
import { gridSessionsDir } from './reproduce-sessions';

/** The run files kept whole; trajectories.jsonl is kept filtered; checkpoints/ and stages/ (weights) are dropped. */
const KEPT_FILES = [RUN_FILES.config, RUN_FILES.status, RUN_FILES.stages, RUN_FILES.metrics, RUN_FILES.log, RUN_FILES.annotations];
const ARCHIVE_SUFFIX = '.tar.gz';

export interface EvidencePaths {
  runsDir: string;
  sessionsDir: string;
}

export function evidencePaths(evidenceDir: string): EvidencePaths {
  return { runsDir: join(evidenceDir, 'runs'), sessionsDir: join(evidenceDir, 'sessions') };
}

export function evidenceArchive(evidenceDir: string, runId: string): string {
  if (!isRunId(runId)) throw new Error(`not a run id: ${JSON.stringify(runId)}`);
  return join(evidencePaths(evidenceDir).runsDir, runId + ARCHIVE_SUFFIX);
}

async function exists(path: string): Promise<boolean> {
  return fsp.access(path).then(
    () => true,
    () => false,
  );
}

/** The evaluation episodes' lines of a trajectories.jsonl, byte for byte (each keeps its CRC). */
async function copyEvaluationLines(from: string, to: string): Promise<number> {
  if (!(await exists(from))) return 0;
  const out = createWriteStream(to);
  let kept = 0;
  const lines = createInterface({ input: createReadStream(from), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes('"stage":"eval')) continue; // cheap pre-filter: most lines are training rollouts
    let stage: unknown;
    try {
      stage = (JSON.parse(line) as { stage?: unknown }).stage;
    } catch {
      continue; // a torn line: readers skip it too
    }
    if (typeof stage === 'string' && stage.startsWith('eval')) {
      if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      kept++;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return kept;
}

export interface PackedRun {
  file: string;
  bytes: number;
  /** Evaluation trajectories kept. */
  trajectories: number;
}

/**
 * Writes the run's evidence archive (replacing an older one atomically). Returns its path, size
 * and the number of evaluation trajectories it holds.
 */
export async function packRunEvidence(dataDir: string, runId: string, evidenceDir: string): Promise<PackedRun> {
  const file = evidenceArchive(evidenceDir, runId);
  const run = runPaths(workspacePaths(dataDir).runsDir, runId);
  if (!(await exists(run.config))) throw new Error(`run ${runId} has no config.json in ${dataDir}`);
  const staging = await fsp.mkdtemp(join(dataDir, '.evidence-'));
  try {
    const dir = join(staging, runId);
    await fsp.mkdir(dir);
    for (const name of KEPT_FILES) {
      if (await exists(join(run.dir, name))) await fsp.copyFile(join(run.dir, name), join(dir, name));
    }
    const trajectories = await copyEvaluationLines(run.trajectories, join(dir, RUN_FILES.trajectories));
    await fsp.mkdir(evidencePaths(evidenceDir).runsDir, { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    // portable: no owner names or ids, so the archive says nothing of the machine but what the log does.
    await tar.create({ gzip: { level: 9 }, cwd: staging, file: tmp, portable: true }, [runId]);
    await renameDurable(tmp, file);
    return { file, bytes: (await fsp.stat(file)).size, trajectories };
  } finally {
    await removeTree(staging);
  }
}

/** Packs the run unless its archive is already there (archives of completed runs never change); null when it was. */
export async function keepRunEvidence(dataDir: string, runId: string, evidenceDir: string): Promise<PackedRun | null> {
  return (await exists(evidenceArchive(evidenceDir, runId))) ? null : packRunEvidence(dataDir, runId, evidenceDir);
}

/** Copies the data folder's grid session records into the evidence (they are rewritten while a session runs). */
export async function packSessions(dataDir: string, evidenceDir: string): Promise<number> {
  const from = gridSessionsDir(dataDir);
  const names = (await fsp.readdir(from).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  if (!names.length) return 0;
  const to = evidencePaths(evidenceDir).sessionsDir;
  await fsp.mkdir(to, { recursive: true });
  for (const n of names) await fsp.copyFile(join(from, n), join(to, n));
  return names.length;
}

/**
 * Unpacks every evidence archive whose run folder the data folder lacks, and copies the session
 * records it lacks. A run folder already there is never touched (it may hold more than the
 * archive: weights, rollouts). Call it before the catalog opens: opening adds the new folders.
 */
export async function restoreEvidence(evidenceDir: string, dataDir: string): Promise<{ restored: string[]; sessions: number }> {
  const { runsDir: archives, sessionsDir } = evidencePaths(evidenceDir);
  const { runsDir } = workspacePaths(dataDir);
  const restored: string[] = [];
  const names = (await fsp.readdir(archives).catch(() => [] as string[])).filter((n) => n.endsWith(ARCHIVE_SUFFIX)).sort();
  for (const name of names) {
    const id = name.slice(0, -ARCHIVE_SUFFIX.length);
    if (!isRunId(id)) throw new Error(`${join(archives, name)}: not named after a run id`);
    if (await exists(join(runsDir, id))) continue;
    await fsp.mkdir(runsDir, { recursive: true });
    const staging = await fsp.mkdtemp(join(runsDir, '.restore-'));
    try {
      const stray: string[] = [];
      // Only plain files and folders under <id>/; tar already refuses absolute paths and "..".
      await tar.extract({
        file: join(archives, name),
        cwd: staging,
        strict: true,
        filter: (path, entry) => {
          const ok = (path === id || path.startsWith(`${id}/`)) && ('type' in entry ? entry.type === 'File' || entry.type === 'Directory' : true);
          if (!ok) stray.push(path);
          return ok;
        },
      });
      if (stray.length) throw new Error(`${join(archives, name)} holds entries outside ${id}/: ${stray.slice(0, 3).join(', ')}`);
      if (!(await exists(join(staging, id, RUN_FILES.config)))) throw new Error(`${join(archives, name)} has no ${id}/${RUN_FILES.config}`);
      await renameDurable(join(staging, id), join(runsDir, id));
      restored.push(id);
    } finally {
      await removeTree(staging);
    }
  }
  let sessions = 0;
  const sessionNames = (await fsp.readdir(sessionsDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  if (sessionNames.length) {
    const to = gridSessionsDir(dataDir);
    await fsp.mkdir(to, { recursive: true });
    for (const n of sessionNames) {
      if (await exists(join(to, n))) continue;
      await fsp.copyFile(join(sessionsDir, n), join(to, n));
      sessions++;
    }
  }
  return { restored, sessions };
}
