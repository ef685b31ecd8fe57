// The size budget: the whole page (HTML, script, stylesheet) stays under 60 KB gzip. Fails the test run otherwise.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 60 * 1024;
const dir = 'target/classes/io/chartpulse/dashboard';
let total = 0;
const sizes = {};
for (const file of ['index.html', 'app.js', 'style.css']) {
  const raw = readFileSync(`${dir}/${file}`);
  const gzip = gzipSync(raw, { level: 9 }).length;
  sizes[file] = { bytes: raw.length, gzip };
  total += gzip;
}
writeFileSync('target/size.json', JSON.stringify({ ...sizes, totalGzip: total, budget: BUDGET }, null, 2));
const ok = total <= BUDGET;
console.log(
  `${ok ? 'ok  ' : 'OVER'} dashboard: ${total} bytes gzip in all (budget ${BUDGET}) ${JSON.stringify(sizes)}`,
);
if (!ok) {
  console.error('Size budget exceeded: the dashboard must stay under 60 KB gzip.');
  process.exit(1);
}
