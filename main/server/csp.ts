/**
 * The Content-Security-Policy of the studio's pages, shared by browser mode (an HTTP header)
 * and the Electron window (set through session.webRequest). Scripts only from the app itself,
 * no inline scripts, no plugins, no framing; `connect` lists what fetch/WebSocket may reach
 * besides 'self' (browser mode's event socket, the dev server's HMR socket).
 */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Svelte transitions and Chart.js set inline styles; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
