/** The reactive hash router: the current route as state, and navigation. */
import { href, parseHash, type Route } from './router';

export { href, parseHash, replayHref, runHref, type Route } from './router';

class Router {
  route = $state<Route>(parseHash(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseHash(location.hash);
    });
  }

  go(target: string): void {
    if (location.hash === target) return;
    location.hash = target;
  }

  /** Updates the query of the current view without adding a history entry per keystroke. */
  replaceQuery(query: Record<string, string | number | null | undefined>): void {
    const path = (location.hash.replace(/^#/, '') || '/runs').split('?')[0] ?? '/runs';
    const target = href(path, query);
    if (location.hash === target) return;
    history.replaceState(null, '', target);
    this.route = parseHash(target);
  }
}

export const router = new Router();
