/**
 * Preload script (sandboxed, so bundled to one CommonJS file): exposes the contract's API as
 * `window.spa` through contextBridge. See bridge.ts.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('spa', createBridge(ipcRenderer));
