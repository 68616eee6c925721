/**
 * Preload script (sandboxed, so bundled to one CommonJS file): exposes the contract's API as
 * `window.spa` through contextBridge. See bridge.ts.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { z } from 'zod';
import { createBridge } from './bridge';

// The contract (and zod with it) is bundled into this file. zod compiles fast parsers with
// `new Function` unless told not to; nothing in a sandboxed preload may evaluate code (the
// static scan, test/reliability/security-static-scan.test.ts, checks every renderer-side bundle).
z.config({ jitless: true });

contextBridge.exposeInMainWorld('spa', createBridge(ipcRenderer));
