// Builds the ESM bundle (for bundlers) and the IIFE snippet (for a <script> tag), both minified.
import { build } from 'esbuild';

const common = { bundle: true, minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/index.ts'], format: 'esm', outfile: 'dist/tracker.esm.js' });
await build({ ...common, entryPoints: ['src/iife.ts'], format: 'iife', outfile: 'dist/tracker.iife.js' });
