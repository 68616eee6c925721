/**
 * A RunLauncher that starts nothing: the studio benchmark only reads runs written beforehand,
 * so it needs neither the job supervisor nor its training workers.
 */
import type { RunLauncher } from '../../jobs/launcher';

export function idleLauncher(): RunLauncher {
  const refuse = async (): Promise<never> => {
    throw new Error('the studio benchmark starts and resumes no runs');
  };
  return {
    start: refuse,
    resume: refuse,
    cancel: async () => {},
    isActive: () => false,
    onEvent: () => () => {},
    backend: () => null,
    shutdown: async () => {},
  };
}
