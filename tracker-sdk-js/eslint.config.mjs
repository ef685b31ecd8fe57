// Lint for the tracker: typescript-eslint's strict rules on the sources, the tests and the build scripts.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const browser = { window: 'readonly', document: 'readonly', navigator: 'readonly', location: 'readonly' };
const node = {
  console: 'readonly',
  process: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  URL: 'readonly',
  Buffer: 'readonly',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'test-results/'] },
  eslint.configs.recommended,
  ...tseslint.configs.strict,
  { files: ['src/**/*.ts'], languageOptions: { globals: browser } },
  {
    // Tests and scripts run in Node (and drive pages whose globals they name); a test may assert an element exists
    // with `!` where a failure would show as a clear test error anyway.
    files: ['test/**', 'scripts/**', '*.mjs'],
    languageOptions: { globals: { ...browser, ...node, Event: 'readonly' } },
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
