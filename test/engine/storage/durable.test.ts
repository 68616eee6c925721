import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exactJson, writeFileAtomic, writeFileDurable, type StorageEvent } from '../../../engine/storage/durable';

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spa-durable-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

describe('durable writes', () => {
  it('atomic replace: temp file next to the target, fsynced and renamed, then the directory fsynced', async () => {
    const dir = tempDir();
    const target = join(dir, 'status.json');
    writeFileSync(target, '{"status":"created"}');
    const events: StorageEvent[] = [];
    await writeFileAtomic(target, '{"status":"running"}', (e) => void events.push(e));
    expect(events.map((e) => e.op)).toEqual(['atomicWrite', 'fsyncDir']);
    const w = events[0] as { path: string; tmp: string };
    expect(dirname(w.tmp)).toBe(dirname(target));
    expect(w.tmp.startsWith(`${target}.`)).toBe(true);
    expect(events[1]).toEqual({ op: 'fsyncDir', path: dir, supported: true });
    expect(readFileSync(target, 'utf8')).toBe('{"status":"running"}');
    expect(readdirSync(dir)).toEqual(['status.json']);
  });

  it('a partial temp that was never renamed leaves the old content', async () => {
    const dir = tempDir();
    const target = join(dir, 'config.json');
    await writeFileAtomic(target, '{"version":1}');
    writeFileSync(`${target}.1a2b3c4d`, '{"vers'); // a writer killed before its rename
    expect(readFileSync(target, 'utf8')).toBe('{"version":1}');
  });

  it('exclusive durable writes refuse to clobber, and exact JSON refuses lossy values', async () => {
    const dir = tempDir();
    await writeFileDurable(join(dir, 'a.bin'), new Uint8Array([1, 2]));
    await expect(writeFileDurable(join(dir, 'a.bin'), 'x')).rejects.toThrow(/EEXIST/);
    expect(exactJson({ a: [1, 0.1] }, 'state')).toBe('{"a":[1,0.1]}');
    expect(() => exactJson({ a: [1, -Infinity] }, 'state')).toThrow('state: -Infinity at "1" cannot be stored exactly in JSON');
    expect(() => exactJson(undefined, 'state')).toThrow('state is not JSON-serializable');
  });

  it('SIGKILL during repeated atomic replaces leaves one complete version', async () => {
    const dir = tempDir();
    const target = join(dir, 'status.json');
    const fixture = join(import.meta.dirname, 'fixtures', 'atomic-writer.ts');
    for (const delayMs of [30, 90]) {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', fixture, target, '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), delayMs);
        });
        child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}: ${err}`))));
      });
      const v = JSON.parse(readFileSync(target, 'utf8')) as { version: number; pad: string };
      expect(v.version).toBeGreaterThanOrEqual(5);
      expect(v.pad.length).toBe(256 * 1024);
    }
  });
});
