// Lint for the dashboard: typescript-eslint's strict rules on the page's sources, the tests and the build scripts.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const browser = {
  window: 'readonly',
  document: 'readonly',
  fetch: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  URLSearchParams: 'readonly',
  Intl: 'readonly',
  HTMLElement: 'readonly',
  HTMLSelectElement: 'readonly',
};
const node = { console: 'readonly', process: 'readonly', setTimeout: 'readonly', URL: 'readonly' };

export default tseslint.config(
  { ignores: ['node_modules/', 'target/'] },
  eslint.configs.recommended,
  ...tseslint.configs.strict,
  // TypeScript checks names itself (typescript-eslint's advice: no-undef only doubles it, wrongly for DOM types).
  { files: ['src/**/*.ts'], languageOptions: { globals: browser }, rules: { 'no-undef': 'off' } },
  {
    files: ['test/**', 'scripts/**', '*.mjs'],
    languageOptions: { globals: { ...browser, ...node } },
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
