/**
 * Serves the built renderer from one folder: GET/HEAD only, never a file outside the folder
 * (the decoded path is resolved and prefix-checked, then checked again after resolving
 * symlinks), index.html for "/" and for extensionless paths (client-side routes).
 */
import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticOutcome = { status: 200; file: string } | { status: 403 | 404; reason: string };

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function isFile(path: string): Promise<boolean> {
  return fsp.stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Which file a URL path names under `root` (a realpath), or why none. */
export async function resolveStatic(root: string, pathname: string): Promise<StaticOutcome> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 404, reason: 'malformed path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 403, reason: 'refused path' };
  const rel = decoded.replace(/^\/+/, '');
  const candidate = resolve(root, rel === '' ? 'index.html' : rel);
  if (!inside(root, candidate)) return { status: 403, reason: 'path outside the app folder' };
  let file = candidate;
  if (!(await isFile(file))) {
    if (rel !== '' && extname(rel) !== '') return { status: 404, reason: 'not found' };
    file = join(root, 'index.html');
    if (!(await isFile(file))) return { status: 404, reason: 'the app has no index.html' };
  }
  const real = await fsp.realpath(file);
  if (!inside(root, real)) return { status: 403, reason: 'path outside the app folder' };
  return { status: 200, file: real };
}

export function serveFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
