// ESLint flat config: typescript-eslint recommended, plus import boundaries between the tiers
// (the engine's tsconfig already makes vscode/Node/DOM imports a compile error; this also keeps
// the protocol and webview tiers honest).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '**/*.js', '**/*.mjs', 'src/engine/.forbidden/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'node:*', 'fs', 'path', 'worker_threads', 'child_process'],
              message: 'The engine is a pure library: no vscode, Node or DOM.',
            },
            { group: ['../../*', '!../../engine/*'], message: 'The engine may not import from outside src/engine.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'node:*', '../*', '!../l10n'],
              message: 'Protocol files import nothing outside src/protocol but the pure message catalog (src/l10n).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/l10n/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'node:*', '../*'],
              message: 'The message catalog is pure TypeScript: it imports nothing.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'node:*', '../src/engine/*', '../src/host/*'],
              message: 'Webview code runs in a browser: protocol types only.',
            },
          ],
        },
      ],
    },
  },
);
