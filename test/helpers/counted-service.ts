/**
 * A studio service that counts what reaches it: every channel call and every event subscription.
 * Browser-mode tests check that a refused request (no token, a bad payload) added none.
 */
import { CHANNEL_NAMES, type StudioEvent } from '../../common/ipc-contract';
import type { StudioService } from '../../main/services/studio-service';

export function countedService(real: StudioService): { service: StudioService; served: { calls: number; subscriptions: number } } {
  const served = { calls: 0, subscriptions: 0 };
  const counted: Record<string, unknown> = { ...real };
  for (const c of CHANNEL_NAMES) {
    counted[c] = (req: never) => {
      served.calls++;
      return (real[c] as (r: never) => Promise<unknown>)(req);
    };
  }
  counted.importStream = (fileName: string, source: AsyncIterable<string>) => {
    served.calls++;
    return real.importStream(fileName, source);
  };
  counted.subscribe = (l: (e: StudioEvent) => void) => {
    served.subscriptions++;
    return real.subscribe(l);
  };
  return { service: counted as unknown as StudioService, served };
}
