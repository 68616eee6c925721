#!/usr/bin/env node
// The `spa` command. Sources are TypeScript, run through tsx's loader so that
// `npx spa …` works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/main.ts');
process.exitCode = await main(process.argv);
