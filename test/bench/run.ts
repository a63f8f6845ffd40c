// `npm run bench`: benchmarks, printed as figures and ratios measured in one run. Not a test: nothing here fails
// the build; the figures go into issue notes and the README. Needs a production build (npm run build).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pageWeight } from './page-weight.ts';

const DIST = resolve(import.meta.dirname, '../../dist');
if (!existsSync(join(DIST, 'index.html'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log('\n## Page weight: JavaScript loaded before any widget or tfjs chunk (gzip -9)\n');
console.log('| page | files | raw | gzipped | budget 100 KB |');
console.log('|---|---|---|---|---|');
for (const page of ['index.html', 'articles/f-divergence.html', 'widgets/fdiv-conjugate.html']) {
  const w = pageWeight(DIST, page);
  console.log(`| ${page} | ${w.files} | ${kb(w.rawBytes)} | ${kb(w.gzipBytes)} | ${(w.gzipBytes / (100 * 1024) * 100).toFixed(1)} % |`);
}
