// The size budget: every build must stay under 5 KB gzip. Fails the test run when one does not.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 5 * 1024;
const sizes = {};
let failed = false;
for (const file of ['dist/tracker.esm.js', 'dist/tracker.iife.js']) {
  const raw = readFileSync(file);
  const gzip = gzipSync(raw, { level: 9 }).length;
  sizes[file] = { bytes: raw.length, gzip };
  const ok = gzip <= BUDGET;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${file}: ${raw.length} bytes, ${gzip} bytes gzip (budget ${BUDGET})`);
}
writeFileSync('dist/size.json', JSON.stringify(sizes, null, 2));
if (failed) {
  console.error('Size budget exceeded: the full build must stay under 5 KB gzip.');
  process.exit(1);
}
