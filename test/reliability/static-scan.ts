/**
 * An Electron security scan in the spirit of Electronegativity (doyensec/electronegativity, which
 * Electron's checklist links but which is no longer maintained): checks over the TypeScript
 * sources (parsed with the TypeScript compiler, as Electronegativity parses an AST) and over the
 * BUILT app (out/main, out/preload, out/renderer: regex checks that also match minified forms).
 *
 * Each finding has a rule id, a severity (HIGH = a checklist violation; MEDIUM = a weakening
 * worth fixing; REVIEW = needs a person, like Electronegativity's manual-review checks), the
 * file and line, and the code. A finding can be waived only by a reviewed exception that gives
 * its reason AND a condition checked on the file every scan (Electronegativity's
 * `eng-disable` comments, made checkable): if the condition stops holding, the finding is back.
 *
 * Reusable: `scanSources(files)`, `scanBuild(outDir)`, `applyExceptions(findings, exceptions)`.
 * The tests (security-static-scan.test.ts) prove every rule fires on a planted fixture.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import ts from 'typescript';

export type Severity = 'HIGH' | 'MEDIUM' | 'REVIEW';

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  code: string;
  message: string;
  /** Set when a reviewed exception waives it. */
  waived?: string;
}

export interface SourceFile {
  /** Path as reported (relative to the repo). */
  path: string;
  text: string;
}

/** Where a source file runs: decides how severe eval-like code is. */
function layerOf(path: string): 'renderer' | 'preload' | 'shared' | 'main' | 'other' {
  if (path.startsWith('renderer/')) return 'renderer';
  if (path.startsWith('preload/')) return 'preload';
  if (path.startsWith('common/') || path.startsWith('envs/')) return 'shared';
  if (path.startsWith('main/') || path.startsWith('engine/')) return 'main';
  return 'other';
}

/** webPreferences keys and the value that weakens the renderer (checklist items 2-10). */
const INSECURE_PREFS: Record<string, boolean | 'any'> = {
  nodeIntegration: true,
  nodeIntegrationInWorker: true,
  nodeIntegrationInSubFrames: true,
  contextIsolation: false,
  sandbox: false,
  webSecurity: false,
  allowRunningInsecureContent: true,
  enableRemoteModule: true,
  experimentalFeatures: true,
  webviewTag: true,
  enableBlinkFeatures: 'any',
};

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function snippet(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/\s+/g, ' ').slice(0, 160);
}

function propertyName(node: ts.PropertyAssignment | ts.ShorthandPropertyAssignment): string | null {
  const n = node.name;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n)) return n.text;
  return null;
}

function literalBool(e: ts.Expression): boolean | null {
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  // !0 / !1, as minifiers write them.
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken && ts.isNumericLiteral(e.operand)) return e.operand.text === '0';
  return null;
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return `${ts.isIdentifier(e.expression) ? e.expression.text : '?'}.${e.name.text}`;
  return '';
}

/** The declaration of an identifier in the enclosing scopes of `from` (variables and parameters). */
function declarationOf(id: ts.Identifier, from: ts.Node): ts.VariableDeclaration | ts.ParameterDeclaration | null {
  for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
    let found: ts.VariableDeclaration | ts.ParameterDeclaration | null = null;
    if (ts.isFunctionLike(scope)) for (const p of scope.parameters) if (ts.isIdentifier(p.name) && p.name.text === id.text) found = p;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text) {
        found = n;
        return;
      }
      // Do not descend into nested functions: their declarations are not in scope here.
      if (n !== scope && ts.isFunctionLike(n)) return;
      ts.forEachChild(n, visit);
    };
    if (!found && (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isFunctionLike(scope) || ts.isForOfStatement(scope) || ts.isForStatement(scope))) ts.forEachChild(scope, visit);
    if (found) return found;
  }
  return null;
}

function isCallTo(e: ts.Expression | undefined, name: string): boolean {
  return !!e && ts.isCallExpression(e) && calleeName(e) === name;
}

/** Inside an `if` whose condition mentions `name`. */
function guardedBy(node: ts.Node, name: string): boolean {
  for (let p: ts.Node | undefined = node.parent; p && !ts.isFunctionLike(p); p = p.parent) {
    if (ts.isIfStatement(p) && new RegExp(`\\b${name}\\b`).test(p.expression.getText())) return true;
  }
  return false;
}

/** AST rules over one TypeScript source file. */
function scanTs(file: SourceFile): Finding[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, file.path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: Finding[] = [];
  const layer = layerOf(file.path);
  const add = (rule: string, severity: Severity, node: ts.Node, message: string) =>
    out.push({ rule, severity, file: file.path, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, code: snippet(file.text, node.getStart(sf), node.getEnd()), message });
  const evalSeverity: Severity = layer === 'main' || layer === 'other' ? 'MEDIUM' : 'HIGH';

  const visit = (node: ts.Node): void => {
    // Insecure webPreferences, wherever an object literal sets them.
    if (ts.isPropertyAssignment(node)) {
      const name = propertyName(node);
      if (name && Object.hasOwn(INSECURE_PREFS, name)) {
        const bad = INSECURE_PREFS[name];
        const value = literalBool(node.initializer);
        if (bad === 'any') add('WEB_PREFERENCES', 'HIGH', node, `${name} enables experimental Blink features`);
        else if (value === bad) add('WEB_PREFERENCES', 'HIGH', node, `${name}: ${String(bad)} weakens the renderer`);
        else if (value === null && ['nodeIntegration', 'contextIsolation', 'sandbox', 'webSecurity'].includes(name)) add('WEB_PREFERENCES', 'REVIEW', node, `${name} is not a literal: check its value`);
      }
    }
    if (ts.isNewExpression(node)) {
      const name = calleeName(node);
      if (name === 'BrowserWindow' || name === 'electron.BrowserWindow') {
        const arg = node.arguments?.[0];
        if (!isCallTo(arg, 'windowOptions')) add('WINDOW_FACTORY', 'HIGH', node, 'a BrowserWindow made without the windowOptions() factory');
        // The function that makes it must also install the navigation guards on it.
        let fn: ts.Node | undefined = node.parent;
        while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
        if (!fn || !/\binstallNavigationGuards\s*\(/.test(fn.getText())) add('NAVIGATION_GUARDS', 'HIGH', node, 'a BrowserWindow without installNavigationGuards (will-navigate / window.open) in the same function');
      }
      if (name === 'BrowserView' || name === 'WebContentsView' || name === 'electron.BrowserView') add('WINDOW_FACTORY', 'HIGH', node, `${name} bypasses the window factory`);
      if (name === 'Function') add('EVAL', evalSeverity, node, 'new Function evaluates a string');
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name === 'eval' || name === 'Function' || name === 'window.eval' || name === 'globalThis.eval') add('EVAL', evalSeverity, node, `${name}() evaluates a string`);
      if ((name === 'setTimeout' || name === 'setInterval') && node.arguments[0] && (ts.isStringLiteral(node.arguments[0]) || ts.isTemplateExpression(node.arguments[0]))) add('EVAL', evalSeverity, node, `${name} with a string evaluates it`);
      // shell.openExternal: only as the openExternal policy handed to installNavigationGuards.
      if (name === 'shell.openExternal') {
        const arrow = node.parent;
        const prop = arrow?.parent;
        const objectLit = prop?.parent;
        const call = objectLit?.parent;
        const ok = arrow && (ts.isArrowFunction(arrow) || ts.isFunctionExpression(arrow)) && prop && ts.isPropertyAssignment(prop) && propertyName(prop) === 'openExternal' && objectLit && ts.isObjectLiteralExpression(objectLit) && call && ts.isCallExpression(call) && calleeName(call) === 'installNavigationGuards';
        if (!ok) add('OPEN_EXTERNAL', 'HIGH', node, 'shell.openExternal outside the navigation guards (no allow-list check)');
      }
      // The policy's openExternal: only with a URL from allowedExternal(), after its null check.
      if (name.endsWith('.openExternal') && name !== 'shell.openExternal') {
        const arg = node.arguments[0];
        const decl = arg && ts.isIdentifier(arg) ? declarationOf(arg, node) : null;
        const checked = !!decl && ts.isVariableDeclaration(decl) && isCallTo(decl.initializer, 'allowedExternal') && arg !== undefined && ts.isIdentifier(arg) && guardedBy(node, arg.text);
        if (!checked) add('OPEN_EXTERNAL', 'HIGH', node, `${name} called with a URL that did not come from allowedExternal() behind its null check`);
      }
      // Every IPC handler goes through guardHandler (checklist item 17).
      if (['ipcMain.handle', 'ipcMain.handleOnce', 'ipcMain.on', 'ipcMain.once'].includes(name)) {
        const fn = node.arguments[1];
        let ok = false;
        if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
          const body = ts.isBlock(fn.body) ? null : fn.body;
          if (body && ts.isCallExpression(body) && ts.isIdentifier(body.expression)) {
            const decl = declarationOf(body.expression, body);
            ok = !!decl && ts.isVariableDeclaration(decl) && isCallTo(decl.initializer, 'guardHandler');
          }
        } else if (fn && ts.isIdentifier(fn)) {
          const decl = declarationOf(fn, node);
          ok = !!decl && ts.isVariableDeclaration(decl) && isCallTo(decl.initializer, 'guardHandler');
        }
        if (!ok) add('IPC_SENDER', 'HIGH', node, `${name} handler not wrapped by guardHandler (sender and payload unchecked)`);
      }
      // The page must not get ipcRenderer or its methods (checklist item 20).
      if (name === 'contextBridge.exposeInMainWorld') {
        const api = node.arguments[1];
        const leaks = (e: ts.Node): boolean => {
          if (ts.isIdentifier(e) && e.text === 'ipcRenderer') return !(ts.isCallExpression(e.parent) && e.parent.arguments.includes(e as ts.Expression) && calleeName(e.parent) === 'createBridge');
          return ts.forEachChild(e, leaks) ?? false;
        };
        if (!api || leaks(api)) add('EXPOSE_IPC', 'HIGH', node, 'exposeInMainWorld hands the page ipcRenderer (or a method of it)');
      }
      // A listener registered on an IPC channel must not be the page's own callback (it would get the event, and `sender` with it).
      if ((layer === 'preload' && /\.(on|once|addListener)$/.test(name)) || name === 'ipcRenderer.on' || name === 'ipcRenderer.once') {
        const listener = node.arguments[1];
        const decl = listener && ts.isIdentifier(listener) ? declarationOf(listener, node) : null;
        if (decl && ts.isParameter(decl)) add('IPC_LISTENER', 'HIGH', node, 'a caller-supplied callback is registered on an IPC channel directly (it receives the IpcRendererEvent)');
      }
      // Remote content loaded by URL (checklist items 1, 18).
      if (/(^|\.)(loadURL|fetch|open)$/.test(name) || name === 'WebSocket' || name === 'EventSource') {
        const arg = node.arguments[0];
        if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) && /^(https?|wss?|ftp):\/\//i.test(arg.text) && !/^[a-z]+:\/\/(127\.0\.0\.1|localhost)([:/]|$)/i.test(arg.text)) add('REMOTE_CONTENT', 'HIGH', node, `${name} loads a remote URL`);
        else if (/(^|\.)loadURL$/.test(name) && arg && !ts.isStringLiteral(arg)) add('REMOTE_CONTENT', 'REVIEW', node, 'loadURL with a computed URL: check it is only the dev server');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Text rules for HTML and Svelte files. */
function scanMarkup(file: SourceFile): Finding[] {
  const out: Finding[] = [];
  const add = (rule: string, severity: Severity, index: number, length: number, message: string) => out.push({ rule, severity, file: file.path, line: lineOf(file.text, index), code: snippet(file.text, index, index + length), message });
  for (const m of file.text.matchAll(/<webview\b/gi)) add('WEBVIEW', 'HIGH', m.index, 40, '<webview> tag');
  for (const m of file.text.matchAll(/\s(allowpopups|disablewebsecurity|nodeintegration|nodeintegrationinsubframes|webpreferences)\b/gi)) add('WEBVIEW', 'HIGH', m.index, 40, `${m[1]} attribute`);
  for (const m of file.text.matchAll(/<(script|link|iframe|img|embed|object)\b[^>]*\b(src|href)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi)) {
    if (!/^(?:https?:)?\/\/(127\.0\.0\.1|localhost)[:/]/i.test(m[3]!)) add('REMOTE_CONTENT', 'HIGH', m.index, 80, `<${m[1]}> loads ${m[3]}`);
  }
  for (const m of file.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (extname(file.path) === '.html' && !/\bsrc\s*=/.test(m[1]!) && m[2]!.trim() !== '') add('INLINE_SCRIPT', 'HIGH', m.index, 60, 'inline <script> in the page (CSP script-src self refuses it; keep scripts in files)');
    if (/\beval\s*\(|new\s+Function\s*\(/.test(m[2]!)) add('EVAL', 'HIGH', m.index, 60, 'eval / new Function in a component script');
  }
  return out;
}

export function scanSources(files: readonly SourceFile[]): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    const ext = extname(f.path);
    if (ext === '.ts' || ext === '.tsx' || ext === '.mts') out.push(...scanTs(f));
    else if (ext === '.svelte' || ext === '.html') out.push(...scanMarkup(f));
  }
  // The app as a whole must refuse permissions and <webview> attaches somewhere in main.
  const main = files.filter((f) => f.path.startsWith('main/electron/'));
  if (main.length) {
    const all = main.map((f) => f.text).join('\n');
    if (!/setPermissionRequestHandler\s*\(/.test(all)) out.push({ rule: 'PERMISSIONS', severity: 'MEDIUM', file: 'main/electron/', line: 0, code: '', message: 'no setPermissionRequestHandler: every permission request is granted (checklist item 5)' });
    if (!/will-attach-webview/.test(all)) out.push({ rule: 'WEBVIEW', severity: 'MEDIUM', file: 'main/electron/', line: 0, code: '', message: 'no will-attach-webview guard (checklist item 12)' });
  }
  return out;
}

/** Regex rules over a bundle (minified or not): `kind` says which process runs it. */
export function scanBundle(path: string, text: string, kind: 'main' | 'preload' | 'renderer'): Finding[] {
  const out: Finding[] = [];
  const add = (rule: string, severity: Severity, index: number, length: number, message: string) => out.push({ rule, severity, file: path, line: lineOf(text, index), code: snippet(text, index, index + length), message });
  const T = String.raw`(?:true|!0)`;
  const F = String.raw`(?:false|!1)`;
  const prefs: [RegExp, string][] = [
    [new RegExp(String.raw`\bnodeIntegration(?:InWorker|InSubFrames)?["']?\s*:\s*${T}`, 'g'), 'Node integration on'],
    [new RegExp(String.raw`\bcontextIsolation["']?\s*:\s*${F}`, 'g'), 'context isolation off'],
    [new RegExp(String.raw`\bsandbox["']?\s*:\s*${F}`, 'g'), 'sandbox off'],
    [new RegExp(String.raw`\bwebSecurity["']?\s*:\s*${F}`, 'g'), 'web security off'],
    [new RegExp(String.raw`\ballowRunningInsecureContent["']?\s*:\s*${T}`, 'g'), 'insecure content allowed'],
    [new RegExp(String.raw`\benableRemoteModule["']?\s*:\s*${T}`, 'g'), 'remote module on'],
    [new RegExp(String.raw`\bexperimentalFeatures["']?\s*:\s*${T}`, 'g'), 'experimental features on'],
    [new RegExp(String.raw`\bwebviewTag["']?\s*:\s*${T}`, 'g'), '<webview> enabled'],
    [/\benableBlinkFeatures["']?\s*:/g, 'Blink features enabled'],
  ];
  for (const [re, what] of prefs) for (const m of text.matchAll(re)) add('WEB_PREFERENCES', 'HIGH', m.index, m[0].length + 20, what);
  if (kind === 'main') {
    for (const m of text.matchAll(/\bshell\.openExternal\s*\(/g)) {
      const before = text.slice(Math.max(0, m.index - 300), m.index);
      if (!/installNavigationGuards\s*\([^;]*openExternal\s*:\s*(?:\([^)]*\)|\w+)\s*=>\s*$/.test(before)) add('OPEN_EXTERNAL', 'HIGH', m.index, 80, 'shell.openExternal outside the navigation guards');
    }
    for (const m of text.matchAll(/\bnew\s+(?:\w+\.)?(BrowserView|WebContentsView)\s*\(/g)) add('WINDOW_FACTORY', 'HIGH', m.index, 60, `${m[1]} in the main bundle`);
  }
  if (kind !== 'main') {
    // Code evaluation in a renderer-side bundle: eval, the Function constructor, and aliases of it.
    for (const m of text.matchAll(/(?<![\w$.])eval\s*\(/g)) add('EVAL', 'HIGH', m.index, 60, 'eval() in a renderer-side bundle');
    for (const m of text.matchAll(/\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*["'`]/g)) add('EVAL', 'HIGH', m.index, 60, 'the Function constructor in a renderer-side bundle');
    for (const m of text.matchAll(/\b(?:const|let|var)\s+([\w$]+)\s*=\s*Function\s*[;,]/g)) {
      const alias = m[1]!.replace(/\$/g, '\\$');
      for (const use of text.slice(m.index).matchAll(new RegExp(String.raw`\bnew\s+${alias}\s*\(`, 'g'))) add('EVAL', 'HIGH', m.index + use.index, 80, `the Function constructor through the alias ${m[1]}`);
    }
    for (const m of text.matchAll(/\bset(?:Timeout|Interval)\s*\(\s*["'`]/g)) add('EVAL', 'HIGH', m.index, 60, 'setTimeout/setInterval with a string');
    for (const m of text.matchAll(/<webview\b|["']webview["']\s*\)/gi)) add('WEBVIEW', 'HIGH', m.index, 40, '<webview> in a renderer-side bundle');
    for (const m of text.matchAll(/\b(fetch|WebSocket|EventSource|import)\s*\(\s*["'`]((?:https?|wss?):\/\/[^"'`]+)/g)) {
      if (!/^[a-z]+:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(m[2]!)) add('REMOTE_CONTENT', 'HIGH', m.index, 80, `${m[1]} of a remote URL`);
    }
  }
  if (kind === 'preload') {
    for (const m of text.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g)) if (m[1] !== 'electron') add('PRELOAD_REQUIRE', 'HIGH', m.index, 60, `a sandboxed preload requires ${m[1]}`);
    for (const m of text.matchAll(/exposeInMainWorld\s*\(\s*["'][^"']+["']\s*,\s*(?:electron\.)?ipcRenderer\b/g)) add('EXPOSE_IPC', 'HIGH', m.index, 80, 'ipcRenderer exposed to the page');
  }
  return out;
}

function walk(dir: string, exts: readonly string[], skip: readonly string[] = []): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || skip.includes(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, exts, skip));
    else if (exts.includes(extname(name))) out.push(p);
  }
  return out;
}

/** The source files the app is built from, relative to `root`. */
export function sourceFiles(root: string): SourceFile[] {
  const dirs = ['main', 'preload', 'common', 'envs', 'renderer/src', 'engine'];
  const files = dirs.flatMap((d) => walk(join(root, d), ['.ts', '.svelte', '.html']));
  files.push(join(root, 'renderer', 'index.html'));
  return files.filter(existsSync).map((p) => ({ path: relative(root, p).split('\\').join('/'), text: readFileSync(p, 'utf8') }));
}

/** Every bundle of a built app (electron-vite's out/ layout) and its index.html. */
export function scanBuild(outDir: string): { findings: Finding[]; files: string[] } {
  const findings: Finding[] = [];
  const files: string[] = [];
  const groups: [string, 'main' | 'preload' | 'renderer'][] = [
    ['main', 'main'],
    ['preload', 'preload'],
    ['renderer', 'renderer'],
  ];
  for (const [dir, kind] of groups) {
    for (const p of walk(join(outDir, dir), ['.js', '.cjs', '.mjs', '.html'])) {
      const rel = relative(outDir, p).split('\\').join('/');
      files.push(rel);
      const text = readFileSync(p, 'utf8');
      findings.push(...(extname(p) === '.html' ? scanMarkup({ path: rel, text }) : scanBundle(rel, text, kind)));
    }
  }
  return { findings, files };
}

export interface ReviewedException {
  rule: string;
  /** Files it applies to. */
  file: RegExp;
  /** The finding's code must match this. */
  code: RegExp;
  /** Why it is safe, for the reader of the report. Required. */
  reason: string;
  /** Checked on the whole file every scan; the waiver holds only while this is true. */
  holds: (fileText: string) => boolean;
}

/** Marks findings waived by an exception whose condition holds. */
export function applyExceptions(findings: readonly Finding[], exceptions: readonly ReviewedException[], readText: (file: string) => string): Finding[] {
  return findings.map((f) => {
    for (const ex of exceptions) {
      if (!ex.reason.trim()) throw new Error(`reviewed exception for ${ex.rule} has no reason`);
      if (ex.rule === f.rule && ex.file.test(f.file) && ex.code.test(f.code) && ex.holds(readText(f.file))) return { ...f, waived: ex.reason };
    }
    return f;
  });
}
