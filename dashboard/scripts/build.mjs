// Builds the page into the module's jar resources (target/classes/io/chartpulse/dashboard): the minified bundle,
// the stylesheet and index.html. The streams app serves that classpath directory at /dashboard/.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const out = 'target/classes/io/chartpulse/dashboard';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/app.ts'],
  bundle: true,
  minify: true,
  target: 'es2020',
  format: 'iife',
  legalComments: 'none',
  logLevel: 'warning',
  outfile: `${out}/app.js`,
});
await build({
  entryPoints: ['src/style.css'],
  bundle: true,
  minify: true,
  logLevel: 'warning',
  outfile: `${out}/style.css`,
});
copyFileSync('src/index.html', `${out}/index.html`);
