// ESLint flat config: typescript-eslint's recommended rules plus the project's own, over the
// sources `npm test` checks (test/lint.test.ts runs it). Formatting is prettier's job
// (.prettierrc.json); no rule here overlaps with it. Not type-aware: typescript-eslint's
// type-checked rules take minutes on this repository, and `tsc --noEmit` already runs first.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const focusedTests = ['it', 'describe', 'context'].map((object) => ({
  object,
  property: 'only',
  message: 'leaves the rest of the suite out',
}));

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'out/', 'bench/results/', 'training/', '.gl/', '.whl/'] },
  tseslint.configs.recommended,
  {
    rules: {
      'no-debugger': 'error',
      // `_` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Native addons are loaded lazily with require() so that a missing build gets our message.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^rclnodejs$', '^bindings$'] }],
      'no-restricted-properties': ['error', ...focusedTests],
    },
  },
  {
    // The core reports through the runner's warnings; only the CLI prints.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...focusedTests,
        { object: 'console', property: 'log', message: 'console.log in the core (warn through the runner, or print in src/cli)' },
      ],
    },
  },
  {
    // Plain CommonJS (mocha loads its reporter before tsx).
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
