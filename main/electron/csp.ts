/**
 * The Content-Security-Policy for the window's responses (the dev server's pages; file://
 * pages have no headers, so the renderer's index.html carries the same policy in a meta tag).
 */
import type { Session } from 'electron';
import { contentSecurityPolicy } from '../server/csp';

/** The policy; in development the dev server's HMR WebSocket must be reachable. */
export function windowCsp(devServerUrl?: string): string {
  if (!devServerUrl) return contentSecurityPolicy();
  const dev = new URL(devServerUrl);
  return contentSecurityPolicy([`ws://${dev.host}`]);
}

export function installCsp(session: Pick<Session, 'webRequest'>, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}
