/**
 * The type of `window.spa` for the renderer (import this file once, for its global
 * declaration). In browser mode the renderer installs an object of the same type that talks
 * HTTP + WebSocket instead.
 */
import type { SpaBridge } from './bridge';

export type { SpaBridge };

declare global {
  interface Window {
    spa: SpaBridge;
  }
}
