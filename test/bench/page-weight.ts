// Page weight: the JavaScript a page loads before any widget or tfjs chunk is requested, gzipped. Reads the built
// HTML for module scripts and modulepreload links and follows their static imports (not dynamic import()).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const STATIC_IMPORT = /(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;

function staticClosure(file: string, seen: Set<string>): void {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const m of code.matchAll(STATIC_IMPORT)) staticClosure(resolve(dirname(file), m[1]), seen);
}

export interface PageWeight {
  page: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export function pageWeight(dist: string, page: string): PageWeight {
  const htmlPath = join(dist, page);
  const html = readFileSync(htmlPath, 'utf8');
  const seen = new Set<string>();
  const refs = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1]);
  for (const ref of refs) staticClosure(resolve(dirname(htmlPath), ref.split('?')[0]), seen);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const f of seen) {
    const buf = readFileSync(f);
    rawBytes += buf.length;
    gzipBytes += gzipSync(buf, { level: 9 }).length;
  }
  return { page, files: seen.size, rawBytes, gzipBytes };
}
