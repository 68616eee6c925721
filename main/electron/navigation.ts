/**
 * Navigation and new windows (checklist items 13-15): the window never leaves our page and
 * never opens another window. Links to a short allow-list of https pages open in the user's
 * browser through shell.openExternal; anything else is dropped.
 */

/** Pages the studio links to (the method's reference code). */
export const EXTERNAL_LINKS: readonly string[] = ['https://github.com/WangHanLinHenry/SPA-RL-Agent'];

/**
 * Characters the URL parser silently drops or rewrites (controls, spaces, tabs, newlines and
 * backslashes): a link holding one is refused rather than normalised, since what the OS opener
 * makes of the raw text may differ from what was checked.
 */
const SUSPICIOUS = /[\u0000-\u0020\u007f\\]/;

/**
 * The URL to hand to the OS, or null: https only, same origin as an entry, and the entry's
 * path or below it (parsed, not a string prefix). The parsed, normalised href is returned, so
 * what is opened is exactly what was checked.
 */
export function allowedExternal(raw: string, allowList: readonly string[] = EXTERNAL_LINKS): string | null {
  if (typeof raw !== 'string' || SUSPICIOUS.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
  const ok = allowList.some((entry) => {
    const allowed = new URL(entry);
    if (url.origin !== allowed.origin) return false;
    const base = allowed.pathname.replace(/\/+$/, '');
    return base === '' || url.pathname === base || url.pathname.startsWith(`${base}/`);
  });
  return ok ? url.href : null;
}

export function isAllowedExternal(raw: string, allowList: readonly string[] = EXTERNAL_LINKS): boolean {
  return allowedExternal(raw, allowList) !== null;
}

/** What the guards need of a WebContents. */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface NavigationPolicy {
  isAppUrl: (url: string) => boolean;
  openExternal: (url: string) => unknown;
  allowList?: readonly string[];
}

export function installNavigationGuards(contents: GuardedContents, policy: NavigationPolicy): void {
  const maybeOpen = (raw: string) => {
    const url = allowedExternal(raw, policy.allowList);
    if (url !== null) void Promise.resolve(policy.openExternal(url)).catch(() => undefined);
  };
  contents.on('will-navigate', (event, url) => {
    if (policy.isAppUrl(url)) return;
    event.preventDefault();
    maybeOpen(url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    maybeOpen(url);
    return { action: 'deny' };
  });
}
