import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_ELECTRON_LINE, planStudio } from '../../../main/cli/commands/studio';
import { electronBinary, rendererIsCurrent } from '../../../main/server/app-paths';

const dataDir = mkdtempSync(join(tmpdir(), 'spa-serve-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('spa serve', () => {
  it('prints a {"type":"server"} record, serves with the token, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/spa.mjs', 'serve', '--json', '--no-open', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const record = await new Promise<{ type: string; url: string; port: number; dataDir: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no server record; stderr: ${stderr}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = stdout.split('\n').find((l) => l.includes('"type":"server"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        }
      });
    });
    try {
      expect(record).toMatchObject({ type: 'server', dataDir, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/) });
      const token = new URL(record.url).searchParams.get('token') as string;
      const refused = await fetch(`http://127.0.0.1:${record.port}/api/runs.list`, { method: 'POST', body: '{}' });
      expect(refused.status).toBe(401);
      const ok = await fetch(`http://127.0.0.1:${record.port}/api/app.info`, { method: 'POST', headers: { 'x-spa-token': token }, body: '{}' });
      expect(await ok.json()).toMatchObject({ ok: true, result: { mode: 'browser', dataDir } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['server', 'stopped']); // --json: nothing else on stdout
  });
});

describe('spa studio', () => {
  it('opens Electron only where a binary is installed; otherwise says so in one line and uses browser mode', () => {
    expect(planStudio({ electronBinary: '/x/electron', browserFlag: false, electronBuilt: false, rendererBuilt: false })).toEqual({ mode: 'electron', notice: false, build: 'electron-app' });
    expect(planStudio({ electronBinary: '/x/electron', browserFlag: true, electronBuilt: true, rendererBuilt: true })).toEqual({ mode: 'browser', notice: false, build: null });
    expect(planStudio({ electronBinary: null, browserFlag: false, electronBuilt: true, rendererBuilt: false })).toEqual({ mode: 'browser', notice: true, build: 'renderer' });
    expect(NO_ELECTRON_LINE).toBe('No Electron binary is installed (it cannot be downloaded on this machine); opening the studio in browser mode instead');
  });

  it('finds no Electron binary when the package has none, without trying to download one', () => {
    const installed = existsSync(join('node_modules', 'electron', 'path.txt'));
    expect(electronBinary() !== null).toBe(installed);
  });

  it('rebuilds the UI when a source is newer than the build (npm start after git pull)', () => {
    const root = mkdtempSync(join(tmpdir(), 'spa-stale-'));
    try {
      const touch = (rel: string, seconds: number) => {
        mkdirSync(join(root, rel, '..'), { recursive: true });
        writeFileSync(join(root, rel), 'x');
        utimesSync(join(root, rel), seconds, seconds);
      };
      expect(rendererIsCurrent(root)).toBe(false); // never built
      touch('renderer/src/App.svelte', 1000);
      touch('common/run-schema.ts', 1000);
      touch('out/renderer/index.html', 2000);
      expect(rendererIsCurrent(root)).toBe(true);
      touch('common/run-schema.ts', 3000); // a shared type changed after the build
      expect(rendererIsCurrent(root)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
