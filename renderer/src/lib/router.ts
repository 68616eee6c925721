/**
 * Hash routes, parsed and built (pure; the reactive router is router.svelte.ts). Hashes work
 * from file://, a custom protocol and the local server alike:
 *   #/runs  #/new  #/import  #/compare?ids=a,b  #/run/<id>  #/run/<id>/replay?update=3&traj=5&step=2
 */
export interface Route {
  name: 'runs' | 'new' | 'import' | 'compare' | 'live' | 'replay' | 'notfound';
  runId: string | null;
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/runs';
  const [path = '', search = ''] = raw.split('?', 2);
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id, sub] = parts;
  if (!head || head === 'runs') return { name: 'runs', runId: null, query };
  if (head === 'new') return { name: 'new', runId: null, query };
  if (head === 'import') return { name: 'import', runId: null, query };
  if (head === 'compare') return { name: 'compare', runId: null, query };
  if (head === 'run' && id) return { name: sub === 'replay' ? 'replay' : 'live', runId: id, query };
  return { name: 'notfound', runId: null, query };
}

export function href(path: string, query?: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export const runHref = (id: string) => href(`/run/${encodeURIComponent(id)}`);
export const replayHref = (id: string, query?: Record<string, string | number | null | undefined>) => href(`/run/${encodeURIComponent(id)}/replay`, query);
