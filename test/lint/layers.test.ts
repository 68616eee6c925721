import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules must actually fire: lint small snippets as if they lived in each folder.
const eslint = new ESLint({ cwd: process.cwd() });

async function errorsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

describe('layer lint rules', () => {
  it('refuse Node built-ins, electron and main/ in envs/', async () => {
    expect(await errorsFor('envs/alfworld/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toEqual(['no-restricted-imports']);
    expect(await errorsFor('envs/alfworld/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual(['no-restricted-imports']);
    expect(await errorsFor('envs/core/x.ts', "import { main } from '../../main/cli/main';\nexport const a = main;\n")).toEqual(['no-restricted-imports']);
  });
  it('refuse Node and DOM globals in envs/ and common/', async () => {
    expect(await errorsFor('envs/core/x.ts', 'export const a = process.env;\n')).toEqual(['no-restricted-globals']);
    expect(await errorsFor('common/x.ts', 'export const a = document.title;\n')).toEqual(['no-restricted-globals']);
  });
  it('refuse main/ and engine/ imports in renderer/', async () => {
    expect(await errorsFor('renderer/src/x.ts', "import { main } from '../../main/cli/main';\nexport const a = main;\n")).toEqual(['no-restricted-imports']);
  });
  it('refuse electron outside main/electron/', async () => {
    expect(await errorsFor('main/services/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual(['no-restricted-imports']);
  });
  it('allow pure imports in envs/', async () => {
    expect(await errorsFor('envs/core/x.ts', "import { Rng } from './rng';\nexport const a = new Rng(1);\n")).toEqual([]);
  });
});
