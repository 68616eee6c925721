/**
 * Imported first by main.ts: zod probes `new Function` to compile fast parsers, which the
 * CSP forbids (and reports as a violation even though zod catches it). jitless skips the probe.
 * It must run before any module that builds or uses a schema, hence its own module.
 */
import { z } from 'zod';

z.config({ jitless: true });
