// Lint rules that keep the layers honest (see docs/ARCHITECTURE.md):
// envs/ and common/ are pure TypeScript that also runs in the renderer (no Node, Electron or DOM);
// renderer/ never reaches into main/ or engine/; only main/electron/ imports electron.
import svelteParser from 'svelte-eslint-parser';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'util', 'stream', 'events', 'worker_threads', 'readline', 'net', 'http', 'https', 'url', 'zlib', 'perf_hooks'];

const pureLayer = (name) => ({
  files: [`${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: NODE_BUILTINS, message: `${name}/ is pure TypeScript that also runs in the renderer: no Node built-ins.` },
          { group: ['electron', 'electron/*'], message: `${name}/ must not import electron.` },
          { group: ['**/main/**', '**/engine/**', '**/renderer/**', '**/preload/**'], message: `${name}/ may import only envs/, common/ and pure libraries.` },
        ],
      },
    ],
    'no-restricted-globals': [
      'error',
      ...['process', 'Buffer', 'require', '__dirname', '__filename', 'window', 'document', 'navigator', 'localStorage'].map((g) => ({
        name: g,
        message: `${name}/ is environment-neutral: no Node or DOM globals.`,
      })),
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'test-artifacts/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  pureLayer('envs'),
  pureLayer('common'),
  {
    // Svelte components: the Svelte parser, with TypeScript inside <script lang="ts">.
    files: ['renderer/**/*.svelte'],
    languageOptions: { parser: svelteParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', '**/engine/**'], message: 'renderer/ talks to main only through the preload API.' },
            { group: NODE_BUILTINS, message: 'renderer/ runs in a sandboxed browser context: no Node built-ins.' },
            { group: ['electron', 'electron/*'], message: 'renderer/ must not import electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['engine/**/*.ts', 'common/**/*.ts', 'envs/**/*.ts', 'main/cli/**/*.ts', 'main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron', 'electron/*'], message: 'Only main/electron/ imports electron (the rest runs in plain Node too).' }] },
      ],
    },
  },
  pureLayer('envs'),
  pureLayer('common'),
);
