/**
 * Opens a URL in the user's browser when there is a desktop to show it on; reports false
 * (the caller prints the URL) on a headless machine or when no opener is installed.
 */
import { spawn } from 'node:child_process';

export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function openInBrowser(url: string): Promise<boolean> {
  if (!hasDisplay()) return Promise.resolve(false);
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false)); // no opener installed
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
