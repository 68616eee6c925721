/**
 * Who may talk to the browser-mode server: a request must come to 127.0.0.1:<port> or
 * localhost:<port> by name (a page on another site that rebinds its DNS name to 127.0.0.1
 * sends its own name as Host), from the server's own origin when a browser says where it
 * comes from (Origin), and carry the session token (query, header or cookie). The token is
 * 32 random bytes; comparisons are constant-time over equal-length digests.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-spa-token';
export const TOKEN_COOKIE = 'spa_token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality for strings of any length (compares SHA-256 digests). */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function cookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Where the token came from, if any valid one did. */
export function presentedToken(req: IncomingMessage, url: URL, expected: string): 'query' | 'header' | 'cookie' | null {
  const query = url.searchParams.get('token');
  if (query !== null && tokensEqual(query, expected)) return 'query';
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && tokensEqual(header, expected)) return 'header';
  const fromCookie = cookie(req.headers.cookie, TOKEN_COOKIE);
  if (fromCookie !== null && tokensEqual(fromCookie, expected)) return 'cookie';
  return null;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/** Null when the Host and Origin headers are acceptable, else why not. */
export function originProblem(req: IncomingMessage, port: number): string | null {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowedHosts(port).includes(host)) return `refused: Host ${JSON.stringify(req.headers.host ?? '')} is not this server`;
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin.toLowerCase())) return `refused: cross-origin request from ${JSON.stringify(origin)}`;
  return null;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
