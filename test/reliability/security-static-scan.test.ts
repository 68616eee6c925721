/**
 * Reliability test #8 (docs/reliability.md, "Static scan"): Electronegativity is unmaintained, so
 * test/reliability/static-scan.ts does its job — AST checks over the sources, regex checks over
 * a fresh electron-vite build (out/main, out/preload, out/renderer) — and this test asks for
 * 0 HIGH findings. Like Electronegativity's own test suite, every rule is first shown to fire
 * on planted code with the expected count, so "0" is not the output of a blind scanner.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../main/server/app-paths';
import { reportFigure } from './figures';
import { applyExceptions, scanBuild, scanBundle, scanSources, sourceFiles, type Finding, type ReviewedException } from './static-scan';

const buildDir = join(REPO_ROOT, 'out', `.scan-build-${process.pid}`);
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

/**
 * zod (bundled into the renderer and the preload with the contract) compiles fast parsers with
 * the Function constructor unless `jitless` is set. Both bundles set it before any schema is
 * used (renderer/src/lib/zod-config.ts, preload/index.ts), and the CSP (script-src 'self', no
 * 'unsafe-eval', test #7) refuses it in the page anyway. The waiver holds only while the
 * bundle still sets jitless and zod's probe still checks it first.
 */
const ZOD_JIT: ReviewedException[] = [
  {
    rule: 'EVAL',
    file: /^(renderer\/assets\/[^/]+\.js|preload\/index\.cjs)$/,
    code: /new Function\(""\)|new F\(|Function through the alias F/,
    reason: "zod's JIT probe/compiler, disabled by z.config({ jitless: true }) in this bundle; CSP forbids eval in the page",
    holds: (text) => /\bconfig\(\s*\{\s*jitless\s*:\s*(?:true|!0)\s*\}\s*\)/.test(text) && /if\s*\(\s*globalConfig\.jitless\s*\)\s*return\s*false/.test(text) && /const jit = !globalConfig\.jitless/.test(text),
  },
];

const count = (findings: Finding[], rule: string, severity = 'HIGH') => findings.filter((f) => f.rule === rule && f.severity === severity && !f.waived).length;

describe('#8 static scan: every rule fires on planted code', () => {
  it('source rules (AST)', () => {
    const planted = scanSources([
      {
        path: 'main/electron/bad.ts',
        text: `
          import { BrowserWindow, ipcMain, shell, contextBridge, ipcRenderer } from 'electron';
          const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false, allowRunningInsecureContent: true, enableRemoteModule: true, experimentalFeatures: true, webviewTag: true, enableBlinkFeatures: 'X' } });
          ipcMain.handle('x', async (e, p) => p);
          ipcMain.on('y', (e) => e);
          shell.openExternal(url);
          function open(policy, raw) { policy.openExternal(raw); }
          w.loadURL('https://cdn.example.com/app.html');
          eval('1'); new Function('return 1'); setTimeout('alert(1)', 1);
        `,
      },
      { path: 'preload/bad.ts', text: `contextBridge.exposeInMainWorld('api', { send: ipcRenderer.send, ipcRenderer }); export function onX(cb) { ipcRenderer.on('x', cb); }` },
      { path: 'renderer/src/Bad.svelte', text: `<script>eval(x)</script><webview src="https://evil.example"></webview><img src="https://tracker.example/p.gif">` },
      { path: 'renderer/index.html', text: `<script>alert(1)</script><script src="http://cdn.example/x.js"></script>` },
    ]);
    expect(count(planted, 'WEB_PREFERENCES')).toBe(9);
    expect(count(planted, 'WINDOW_FACTORY')).toBe(1);
    expect(count(planted, 'NAVIGATION_GUARDS')).toBe(1);
    expect(count(planted, 'IPC_SENDER')).toBe(2);
    expect(count(planted, 'OPEN_EXTERNAL')).toBe(2);
    expect(count(planted, 'REMOTE_CONTENT')).toBe(3); // loadURL of https, <img src>, <script src>
    expect(count(planted, 'EVAL', 'MEDIUM')).toBe(3); // in main: MEDIUM
    expect(count(planted, 'EVAL')).toBe(1); // in a component: HIGH
    expect(count(planted, 'EXPOSE_IPC')).toBe(1);
    expect(count(planted, 'IPC_LISTENER')).toBe(1);
    expect(count(planted, 'WEBVIEW')).toBe(1);
    expect(count(planted, 'INLINE_SCRIPT')).toBe(1);
    expect(count(planted, 'PERMISSIONS', 'MEDIUM')).toBe(1);
    // The safe patterns the studio uses are not flagged.
    const safe = scanSources([
      {
        path: 'main/electron/good.ts',
        text: `
          const guarded = guardHandler(channel, handler, isAppUrl, report);
          ipcMain.handle('spa:x', (event, payload) => guarded(event, payload));
          function createWindow() { const win = new BrowserWindow(windowOptions(p)); installNavigationGuards(win.webContents, { isAppUrl, openExternal: (url) => shell.openExternal(url) }); }
          session.setPermissionRequestHandler((c, p, cb) => cb(false)); app.on('web-contents-created', (_e, c) => c.on('will-attach-webview', (e) => e.preventDefault()));
          function guards(policy, raw) { const url = allowedExternal(raw); if (url !== null) policy.openExternal(url); }
        `,
      },
      { path: 'preload/good.ts', text: `contextBridge.exposeInMainWorld('spa', createBridge(ipcRenderer)); export function onEvent(listener) { const relay = (_e, p) => listener(p); ipc.on('spa:event', relay); }` },
    ]);
    expect(safe.filter((f) => f.severity !== 'REVIEW')).toEqual([]);
  });

  it('bundle rules (regex, minified forms too)', () => {
    const main = scanBundle('main/index.js', `new BrowserWindow({webPreferences:{nodeIntegration:!0,contextIsolation:!1,sandbox:!1,webSecurity:false,webviewTag:!0}});shell.openExternal(u);new WebContentsView({})`, 'main');
    expect(count(main, 'WEB_PREFERENCES')).toBe(5);
    expect(count(main, 'OPEN_EXTERNAL')).toBe(1);
    expect(count(main, 'WINDOW_FACTORY')).toBe(1);
    const guarded = scanBundle('main/index.js', `installNavigationGuards(win.webContents, {\n\t\tisAppUrl,\n\t\topenExternal: (url) => shell.openExternal(url)\n\t});`, 'main');
    expect(guarded).toEqual([]);
    const renderer = scanBundle('renderer/assets/a.js', `eval(s);var q=new Function("a","return a");const G = Function;G;new G("x");setTimeout("x()",1);fetch("https://api.example.com/x");new WebSocket("wss://evil.example");document.createElement("webview")`, 'renderer');
    expect(count(renderer, 'EVAL')).toBe(4);
    expect(count(renderer, 'REMOTE_CONTENT')).toBe(2);
    expect(count(renderer, 'WEBVIEW')).toBe(1);
    const preload = scanBundle('preload/index.cjs', `const x = require("fs"); require("electron"); electron.contextBridge.exposeInMainWorld("api", electron.ipcRenderer)`, 'preload');
    expect(count(preload, 'PRELOAD_REQUIRE')).toBe(1);
    expect(count(preload, 'EXPOSE_IPC')).toBe(1);
    // Local loads are fine.
    expect(scanBundle('renderer/assets/b.js', 'fetch(`${base}/api/x`); new WebSocket("ws://127.0.0.1:5000/events")', 'renderer')).toEqual([]);
  });

  it('a waiver holds only while its condition holds', () => {
    const text = 'new Function("")';
    const findings = scanBundle('preload/index.cjs', text, 'preload');
    expect(applyExceptions(findings, ZOD_JIT, () => text).filter((f) => !f.waived)).toHaveLength(1);
    const fixed = 'if (globalConfig.jitless) return false; new Function(""); const jit = !globalConfig.jitless; config({ jitless: true });';
    expect(applyExceptions(scanBundle('preload/index.cjs', fixed, 'preload'), ZOD_JIT, () => fixed).filter((f) => !f.waived)).toHaveLength(0);
  });
});

describe('#8 static scan of the studio: 0 HIGH findings', () => {
  it('sources and a fresh electron-vite build', () => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SPA_BUILD_OUT: buildDir },
      stdio: 'pipe',
    });
    const sources = sourceFiles(REPO_ROOT);
    const sourceFindings = applyExceptions(scanSources(sources), ZOD_JIT, (f) => sources.find((s) => s.path === f)?.text ?? '');
    const build = scanBuild(buildDir);
    expect(build.files).toEqual(expect.arrayContaining(['main/index.js', 'preload/index.cjs', 'renderer/index.html']));
    const buildFindings = applyExceptions(build.findings, ZOD_JIT, (f) => readFileSync(join(buildDir, f), 'utf8'));
    const all = [...sourceFindings.map((f) => ({ ...f, where: 'source' })), ...buildFindings.map((f) => ({ ...f, where: 'build' }))];
    const high = all.filter((f) => f.severity === 'HIGH' && !f.waived);
    const medium = all.filter((f) => f.severity === 'MEDIUM' && !f.waived);
    const review = all.filter((f) => f.severity === 'REVIEW' && !f.waived);
    const waived = all.filter((f) => f.waived);
    expect(high.map((f) => `${f.where} ${f.file}:${f.line} ${f.rule}: ${f.message} — ${f.code}`)).toEqual([]);
    expect(medium.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`)).toEqual([]);
    // What a person looked at: the dev-server loadURL (only when not packaged) and zod's gated JIT.
    expect(review.map((f) => `${f.file} ${f.rule} ${f.code}`)).toEqual([expect.stringMatching(/^main\/electron\/main\.ts REMOTE_CONTENT win\.loadURL\(devServerUrl\)/)]);
    const describeList = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.line} ${f.rule}`).join('; ');
    reportFigure(8, 'static scan', `${sources.length} source files + ${build.files.length} built files (fresh electron-vite build), 14 rules each shown to fire on planted code: 0 HIGH, 0 MEDIUM; ${review.length} for review (${describeList(review) || 'none'}); ${waived.length} waived with a checked reason (zod's JIT, jitless set in the bundle)`, {
      sourceFiles: sources.length,
      builtFiles: build.files.length,
      high: high.length,
      medium: medium.length,
      review: review.length,
      waived: waived.length,
    });
  }, 180_000);
});
