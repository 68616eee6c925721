/**
 * Navigation and new windows (checklist items 13-15): the window never leaves our page and
 * never opens another window. Links to a short allow-list of https pages open in the user's
 * browser through shell.openExternal; anything else is dropped.
 */

/** Pages the studio links to (the method's reference code). */
export const EXTERNAL_LINKS: readonly string[] = ['https://github.com/WangHanLinHenry/SPA-RL-Agent'];

/** https only, same origin as an entry, and the entry's path or below it (parsed, not a string prefix). */
export function isAllowedExternal(raw: string, allowList: readonly string[] = EXTERNAL_LINKS): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  return allowList.some((entry) => {
    const allowed = new URL(entry);
    if (url.origin !== allowed.origin) return false;
    const base = allowed.pathname.replace(/\/+$/, '');
    return base === '' || url.pathname === base || url.pathname.startsWith(`${base}/`);
  });
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
  const maybeOpen = (url: string) => {
    if (isAllowedExternal(url, policy.allowList)) void Promise.resolve(policy.openExternal(url)).catch(() => undefined);
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
