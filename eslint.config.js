// ESLint for the course's TypeScript, Astro components and scripts; formatting is left
// to Prettier (eslint-config-prettier turns off the rules that would disagree with it).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default defineConfig(
  globalIgnores(['dist/', 'dist-*/', '.astro/', '.build-test/', 'bench/', 'screenshots/', '.probe/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // `_name` marks a parameter a signature needs and the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // A component that takes no props says so with an empty `interface Props`: Astro reads
    // it, and src/authoring/component-props.test.ts checks the build's prop table against it.
    files: ['**/*.astro'],
    rules: {
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^(_|Props$)', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  prettier,
);
